/**
 * Functions of the checks the aggregator writes into a write's engine SQL. Their names cannot be
 * written in SQL text (`#` starts a comment), so only the aggregator's checks call them.
 * - `#RAISE('code:sqlstate:message')`: the error a write's value check raises on the partition
 *   (a value computed from columns that does not fit its column, a division by zero in strict
 *   mode). DuckDB raises with `error()`, SQLite with the `exo_raise` callback;
 *   `storage/engine-errors.ts` reads the message back as the MySQL error.
 * - `#DOUBLE_ROUND(x, D)`: x rounded to D decimals as a DOUBLE(M,D) column stores it
 *   (`catalog/double-fit.ts`: the fraction alone, half to even, in double arithmetic). DuckDB
 *   computes it with round_even; SQLite calls `exo_double_round`, the same JavaScript.
 */
import { duckdbDoubleRound } from '../../catalog/double-fit.js';
import { asValue, toNumber } from '../coerce.js';
import { doubleType, nullType } from '../type-rules.js';
import { arg, constantInt, define, type FunctionTable } from './handler.js';

/** The prefix engine errors carry so the leaf can tell a value check from other failures. */
export const RAISE_PREFIX = 'exo-raise:';

export const writeCheckFunctions: FunctionTable = {
  '#RAISE': define(1, 1, (context, args) => {
    const message = asValue(context, arg(args, 0)).sql;
    const call =
      context.dialect === 'duckdb'
        ? `error('${RAISE_PREFIX}' || ${message})`
        : `exo_raise('${RAISE_PREFIX}' || ${message})`;
    return { sql: call, type: nullType };
  }),
  '#DOUBLE_ROUND': define(2, 2, (context, args) => {
    const x = toNumber(context, asValue(context, arg(args, 0))).sql;
    const scale = constantInt(args[1]) ?? 0;
    if (context.dialect === 'sqlite')
      return { sql: `exo_double_round(${x}, ${scale})`, type: doubleType };
    return { sql: duckdbDoubleRound(`CAST(${x} AS DOUBLE)`, scale), type: doubleType };
  }),
};
