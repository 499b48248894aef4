/**
 * A DATE, DATETIME or TIMESTAMP compared with a constant that is the zero date (`d = 0`,
 * `dt = '00000000'`): MariaDB reads the constant as 0000-00-00, which the engines hold as
 * DuckDB's '-infinity' or SQLite's text (zero-date.ts). The value is compared in its own type:
 * DuckDB refuses to fold a DATE cast to TIMESTAMP against an infinite constant.
 */
import { isZeroDateValue, zeroDateText } from '../zero-date.js';
import { asValue } from './coerce.js';
import type { Context } from './context.js';
import { boolType, isDateTime } from './type-rules.js';
import type { Typed } from './types.js';

const OPERATORS: Readonly<Record<string, string>> = {
  '=': '=',
  '<>': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};
const FLIPPED: Readonly<Record<string, string>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

export function zeroDateCompare(
  context: Context,
  op: string,
  left: Typed,
  right: Typed,
): Typed | undefined {
  const engineOp = OPERATORS[op];
  if (engineOp === undefined) return undefined;
  if (isZeroConstant(right) && isDateValue(left)) return test(context, engineOp, left);
  if (isZeroConstant(left) && isDateValue(right))
    return test(context, FLIPPED[engineOp] ?? engineOp, right);
  return undefined;
}

function isZeroConstant(value: Typed): boolean {
  const literal = value.constant;
  if (literal === undefined) return false;
  const constant = literal.value;
  return (
    (typeof constant === 'number' ||
      typeof constant === 'bigint' ||
      typeof constant === 'string') &&
    isZeroDateValue(constant)
  );
}

function isDateValue(value: Typed): boolean {
  return value.constant === undefined && (value.type.type === 'date' || isDateTime(value.type));
}

function test(context: Context, op: string, input: Typed): Typed {
  const value = asValue(context, input);
  const date = value.type.type === 'date';
  const zero =
    context.dialect === 'duckdb'
      ? `${date ? 'DATE' : 'TIMESTAMP'} '-infinity'`
      : `'${zeroDateText(date ? 'date' : 'datetime', value.type.scale ?? 0)}'`;
  return { sql: `(${value.sql} ${op} ${zero})`, type: boolType, bool: true };
}
