/**
 * The values of a translated statement's `?` markers, in text order, from the execution's
 * parameters (`dialect/params.ts`: a translation may repeat an operand, so each marker names
 * the parameter it binds). A missing value is the client's mistake (1210), as in MySQL.
 */
import { sqlError } from '../errors.js';
import type { SqlValue } from '../values.js';

export function bindParams(indexes: readonly number[], params: readonly SqlValue[]): SqlValue[] {
  return indexes.map((index) => {
    const value = params[index];
    if (value === undefined)
      throw sqlError('WRONG_ARGUMENTS', 'Incorrect arguments to mysqld_stmt_execute');
    return value;
  });
}
