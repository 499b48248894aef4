/**
 * MySQL 8's UUID functions (MySQL reference, "Miscellaneous Functions"): IS_UUID, UUID_TO_BIN
 * and BIN_TO_UUID, for UUIDs kept as BINARY(16). A UUID is 32 hex digits, bare, grouped
 * 8-4-4-4-12, or grouped in braces. With swap_flag 1 the binary form puts the time-high and
 * time-low groups the other way round (time-high, time-mid, time-low, the rest), so values
 * from UUID() sort by time. A value that is no UUID (no 16 bytes) is MySQL's error 1411.
 * Both engines take the same SQL: replace, unhex/hex, substr, lower.
 */
import { asValue, toText } from '../coerce.js';
import type { Context } from '../context.js';
import { intType, varcharType } from '../type-rules.js';
import type { Typed } from '../types.js';
import { arg, constantInt, define, type FunctionTable } from './handler.js';
import { RAISE_PREFIX } from './write-checks.js';

const HEX = '[0-9A-Fa-f]';
const GROUPED = `${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}`;
const UUID_PATTERN = `${HEX}{32}|${GROUPED}|\\{${GROUPED}\\}`;

function isUuidSql(context: Context, s: string): string {
  return context.dialect === 'duckdb'
    ? `regexp_full_match(${s}, '${UUID_PATTERN}')`
    : `exo_regexp(${s}, '^(${UUID_PATTERN})$')`;
}

/** MySQL's 1411 for a value the function cannot read, raised by the engine. */
function refused(context: Context, value: string, name: string): string {
  const message = `'${RAISE_PREFIX}1411:HY000:Incorrect string value: ''' || ${value} || ''' for function ${name}'`;
  return context.dialect === 'duckdb' ? `error(${message})` : `exo_raise(${message})`;
}

/** Whether swap_flag is set: a constant is read now, anything else row by row. */
function swapFlag(context: Context, args: readonly Typed[]): boolean | string {
  const flag = args[1];
  if (flag === undefined) return false;
  const constant = constantInt(flag);
  if (constant !== undefined) return constant !== 0;
  return `coalesce(${asValue(context, flag).sql} <> 0, false)`;
}

function choose(swap: boolean | string, swapped: string, plain: string): string {
  if (typeof swap === 'boolean') return swap ? swapped : plain;
  return `(CASE WHEN ${swap} THEN ${swapped} ELSE ${plain} END)`;
}

export const uuidFunctions: FunctionTable = {
  IS_UUID: define(1, 1, (context, args) => {
    const s = toText(context, asValue(context, arg(args, 0))).sql;
    const sql = `(CASE WHEN ${s} IS NULL THEN NULL WHEN ${isUuidSql(context, s)} THEN 1 ELSE 0 END)`;
    return { sql, type: intType };
  }),
  UUID_TO_BIN: define(1, 2, (context, args) => {
    const s = toText(context, asValue(context, arg(args, 0))).sql;
    const h = `replace(replace(replace(${s}, '-', ''), '{', ''), '}', '')`;
    const swapped = `substr(${h}, 13, 4) || substr(${h}, 9, 4) || substr(${h}, 1, 8) || substr(${h}, 17, 16)`;
    const hex = choose(swapFlag(context, args), swapped, h);
    const sql =
      `(CASE WHEN ${s} IS NULL THEN NULL WHEN ${isUuidSql(context, s)} THEN unhex(${hex}) ` +
      `ELSE ${refused(context, s, 'uuid_to_bin')} END)`;
    return { sql, type: { type: 'blob', length: 16 }, binary: true };
  }),
  BIN_TO_UUID: define(1, 2, (context, args) => {
    // The message shows the value by a plain cast: the decoding toText writes (DuckDB's TRY)
    // refuses a volatile argument such as UUID_TO_BIN's error().
    const b = asValue(context, arg(args, 0)).sql;
    const h = `lower(hex(${b}))`;
    const part = (from: number, length: number): string => `substr(${h}, ${from}, ${length})`;
    const tail = `'-' || ${part(17, 4)} || '-' || ${part(21, 12)}`;
    const plain = `${part(1, 8)} || '-' || ${part(9, 4)} || '-' || ${part(13, 4)} || ${tail}`;
    const swapped = `${part(9, 8)} || '-' || ${part(5, 4)} || '-' || ${part(1, 4)} || ${tail}`;
    const sql =
      `(CASE WHEN ${b} IS NULL THEN NULL WHEN length(${h}) = 32 ` +
      `THEN ${choose(swapFlag(context, args), swapped, plain)} ` +
      `ELSE ${refused(context, `CAST(${b} AS ${context.dialect === 'duckdb' ? 'VARCHAR' : 'TEXT'})`, 'bin_to_uuid')} END)`;
    return { sql, type: varcharType(36) };
  }),
};
