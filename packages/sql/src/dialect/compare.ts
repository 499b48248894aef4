/**
 * Comparisons with MySQL's conversion rules ("Type Conversion in Expression Evaluation"):
 * two strings compare as strings in the case-insensitive default collation; a string and a
 * number compare as DOUBLE; a temporal value and a string compare as temporal values.
 */
import type { Context } from './context.js';
import { asValue, noCase, toNumber } from './coerce.js';
import { isDateTime, isNull, isNumeric, isString, isTemporal } from './type-rules.js';
import { boolType } from './type-rules.js';
import type { Typed } from './types.js';
import { asTime } from './functions/temporal.js';

export type CompareMode = 'string' | 'binary' | 'number' | 'native' | 'datetime' | 'time';

/** How a set of operands compare with each other. */
export function compareMode(values: readonly Typed[]): CompareMode {
  const types = values.map((v) => v.type).filter((t) => !isNull(t));
  if (types.length === 0) return 'native';
  if (types.every(isString))
    return values.some((v) => v.binary === true || v.type.type === 'blob') ? 'binary' : 'string';
  if (types.some(isTemporal)) {
    if (
      types.some(isDateTime) ||
      (types.some((t) => t.type === 'date') &&
        types.some((t) => t.type !== 'date' && isTemporal(t)))
    ) {
      return 'datetime';
    }
    // TIME with TIME or text: as durations (SQLite keeps TIME as text, which sorts wrongly).
    if (types.every((t) => t.type === 'time' || isString(t))) return 'time';
    return 'native';
  }
  if (types.some(isString) && types.some(isNumeric)) return 'number';
  return 'native';
}

/** Brings one operand into the form the comparison mode needs. */
export function prepareOperand(
  context: Context,
  value: Typed,
  mode: CompareMode,
  temporal?: Typed,
): string {
  const v = asValue(context, value);
  switch (mode) {
    case 'string':
      // A NULL operand has no collation to take (DuckDB refuses COLLATE on it).
      return isNull(v.type) ? v.sql : noCase(v.sql);
    case 'binary':
      return isNull(v.type) ? v.sql : binaryCollation(context, v.sql);
    case 'number':
      return toNumber(context, v).sql;
    case 'datetime':
      if (context.dialect === 'duckdb')
        return isDateTime(v.type) ? v.sql : `TRY_CAST(${v.sql} AS TIMESTAMP)`;
      // SQLite keeps temporal values as MySQL-formatted text; a DATE compares as midnight.
      return v.type.type === 'date' ? `(${v.sql} || ' 00:00:00')` : v.sql;
    case 'time':
      return timeKey(context, v);
    case 'native':
      if (
        context.dialect === 'duckdb' &&
        isString(v.type) &&
        temporal !== undefined &&
        isTemporal(temporal.type)
      ) {
        const target =
          temporal.type.type === 'date'
            ? 'DATE'
            : temporal.type.type === 'time'
              ? 'INTERVAL'
              : 'TIMESTAMP';
        return `TRY_CAST(${v.sql} AS ${target})`;
      }
      return v.sql;
  }
}

/**
 * A value that orders and compares TIME values by duration: the INTERVAL itself in DuckDB,
 * signed microseconds in SQLite (whose TIME values are text).
 */
export function timeKey(context: Context, value: Typed): string {
  const v = asValue(context, value);
  if (isNull(v.type)) return v.sql;
  if (context.dialect === 'duckdb') return asTime(context, v);
  return `exo_time_key(${v.type.type === 'time' ? v.sql : `exo_time(${v.sql}, 6)`})`;
}

/** Byte-wise comparison, overriding a column's case-insensitive collation. */
export function binaryCollation(context: Context, sql: string): string {
  return `(${sql} COLLATE ${context.dialect === 'sqlite' ? 'BINARY' : 'C'})`;
}

const engineOperators: Record<string, string> = {
  '=': '=',
  '<>': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

export function compare(context: Context, op: string, left: Typed, right: Typed): Typed {
  const mode = compareMode([left, right]);
  const temporal = isTemporal(left.type) ? left : isTemporal(right.type) ? right : undefined;
  const a = prepareOperand(context, left, mode, temporal);
  const b = prepareOperand(context, right, mode, temporal);
  if (op === '<=>') {
    const nullSafe = context.dialect === 'duckdb' ? 'IS NOT DISTINCT FROM' : 'IS';
    return { sql: `(${a} ${nullSafe} ${b})`, type: { ...boolType, nullable: false }, bool: true };
  }
  const engineOp = engineOperators[op];
  if (engineOp === undefined) throw new Error(`not a comparison: ${op}`);
  return { sql: `(${a} ${engineOp} ${b})`, type: boolType, bool: true };
}
