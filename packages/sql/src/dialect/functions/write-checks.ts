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
 * - `#MEMBER_STORE(x, kind, members)` and `#MEMBER_FITS(…)`: x as an ENUM or SET column
 *   (`kind` 'enum' or 'set', `members` a JSON array) stores it, and 1 when it fits
 *   (`catalog/member-values.ts`, run as the shared functions exo_member_store/fits).
 */
import { duckdbDoubleRound } from '../../catalog/double-fit.js';
import { asValue, toNumber, toText } from '../coerce.js';
import { doubleType, intType, nullType, varcharType } from '../type-rules.js';
import { arg, constantInt, define, type FunctionTable } from './handler.js';
import type { Context } from '../context.js';
import type { Typed } from '../types.js';

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
  '#MEMBER_STORE': define(3, 3, (context, args) => ({
    sql: `exo_member_store(${memberArguments(context, args)})`,
    type: varcharType(arg(args, 0).type.length ?? 255),
  })),
  '#MEMBER_FITS': define(3, 3, (context, args) => ({
    sql: `exo_member_fits(${memberArguments(context, args)})`,
    type: intType,
  })),
};

function memberArguments(context: Context, args: readonly Typed[]): string {
  return args.map((value) => toText(context, asValue(context, value)).sql).join(', ');
}
