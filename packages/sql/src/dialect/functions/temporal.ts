/** Helpers that bring any value into an engine's date, timestamp or time form. */
import { leadingDateTime } from '../../catalog/temporal.js';
import { duckDateLiteral, zeroDateConstant } from '../../zero-date.js';
import { castTimeMicros, TIME_MICROS_MAX } from '../time-text.js';
import { asValue } from '../coerce.js';
import type { Context } from '../context.js';
import {
  isDateTime,
  isExact,
  isFloat,
  isInteger,
  isNull,
  isNumeric,
  isString,
} from '../type-rules.js';
import type { Typed } from '../types.js';

/**
 * A timestamp in the engine: DuckDB TIMESTAMP, or SQLite's MySQL-formatted text (SQLite's
 * date functions read 'YYYY-MM-DD[ HH:MM:SS[.fff]]' directly).
 */
export function asTimestamp(context: Context, input: Typed): string {
  const value = asValue(context, input);
  const constant = constantDateTime(value);
  if (constant !== undefined)
    return context.dialect === 'sqlite' ? `'${constant}'` : duckDateLiteral('TIMESTAMP', constant);
  if (context.dialect === 'sqlite') return value.sql;
  if (isDateTime(value.type)) return value.sql;
  if (value.type.type === 'date') return `CAST(${value.sql} AS TIMESTAMP)`;
  if (value.type.type === 'time') return `(DATE '${'2000-01-01'}' + ${value.sql})`;
  return `TRY_CAST(${value.sql} AS TIMESTAMP)`;
}

/**
 * A string constant read as MySQL reads a date or datetime literal ('24-01-05', '20240105',
 * '2024.01.05 10.11.12'; a leading date followed by other text, '2024-01-05x', as its date), in
 * canonical text; `undefined` when it is not one, and the engine's own cast decides.
 */
export function constantDateTime(value: Typed): string | undefined {
  const literal = value.constant;
  if (literal?.type !== 'string' || typeof literal.value !== 'string') return undefined;
  const text = leadingDateTime(literal.value)?.value ?? zeroDateConstant(literal.value);
  return text?.endsWith('.000000') === true ? text.slice(0, -7) : text;
}

/** SQLite's form of a value its date functions read: a date constant in canonical text. */
export function sqliteText(value: Typed): string {
  const constant = constantDateTime(value);
  return constant === undefined ? value.sql : `'${constant}'`;
}

export function asDate(context: Context, input: Typed): string {
  const value = asValue(context, input);
  if (context.dialect === 'sqlite') return `date(${sqliteText(value)})`;
  if (value.type.type === 'date') return value.sql;
  return `CAST(${asTimestamp(context, value)} AS DATE)`;
}

/**
 * A TIME value: TIME values and strings such as '10:11:12' or '-838:59:59' as well as the time
 * of day of datetimes. In DuckDB a TIME is an INTERVAL of microseconds (MySQL's TIME is a signed
 * duration); SQLite keeps MySQL's TIME text.
 */
export function asTime(context: Context, input: Typed): string {
  const value = asValue(context, input);
  if (context.dialect === 'sqlite')
    return value.type.type === 'time' ? value.sql : `exo_time(${value.sql}, 6)`;
  if (value.type.type === 'time') return value.sql;
  if (isString(value.type)) return duckTextTime(value);
  if (value.type.type === 'date')
    return `(CASE WHEN ${value.sql} IS NOT NULL THEN to_microseconds(0) END)`;
  if (isNumeric(value.type)) return duckNumberTime(value.sql);
  const stamp = asTimestamp(context, value);
  return `(${stamp} - date_trunc('day', ${stamp}))`;
}

/**
 * Text as a DuckDB INTERVAL by MySQL's reading of TIME text (`readTime`): a constant is read
 * here; other text (and a constant that is no whole time, '10:11:12x') by DuckDB, digits alone
 * as [H…H]HMMSS (DuckDB reads '1234' as seconds).
 */
function duckTextTime(value: Typed): string {
  const literal = value.constant;
  const micros =
    literal?.type === 'string' && typeof literal.value === 'string'
      ? castTimeMicros(literal.value)
      : null;
  if (micros !== null) return `to_microseconds(${micros})`;
  const trimmed = `trim(${value.sql})`;
  const stamp = `TRY_CAST(${value.sql} AS TIMESTAMP)`;
  return `(CASE WHEN regexp_full_match(${trimmed}, '-?[0-9]+([.][0-9]*)?') THEN ${duckNumberTime(`TRY_CAST(${trimmed} AS DOUBLE)`)} ELSE coalesce(TRY_CAST(${value.sql} AS INTERVAL), ${stamp} - date_trunc('day', ${stamp})) END)`;
}

/**
 * A number read as [H…H]HMMSS[.ffffff], clamped to ±838:59:59.999999; minutes or seconds past
 * 59 are no time (NULL).
 */
function duckNumberTime(number: string): string {
  const n = `abs(CAST(${number} AS DOUBLE))`;
  const seconds = `(floor(${n} / 10000) * 3600 + floor(${n} / 100) % 100 * 60 + ${n} % 100)`;
  const micros = `least(round(${seconds} * 1000000), ${TIME_MICROS_MAX})`;
  return `(CASE WHEN floor(${n} / 100) % 100 < 60 AND ${n} % 100 < 60 THEN to_microseconds(CAST(sign(${number}) * ${micros} AS BIGINT)) END)`;
}

/** DuckDB strftime on a timestamp; SQLite strftime on text. Returns text. */
export function strftime(context: Context, timestamp: string, format: string): string {
  return context.dialect === 'duckdb'
    ? `strftime(${timestamp}, '${format}')`
    : `strftime('${format}', ${timestamp})`;
}

/** An integer field of a timestamp. */
export function field(context: Context, timestamp: string, format: string): string {
  const cast = context.dialect === 'duckdb' ? 'INTEGER' : 'INTEGER';
  return `CAST(${strftime(context, timestamp, format)} AS ${cast})`;
}

/**
 * The fraction digits a value brings to a TIME or DATETIME result (MariaDB): a temporal value's
 * own, a DECIMAL's scale, a constant string's digits as written, 6 for other text and DOUBLEs.
 */
export function fractionDigitsOf(value: Typed): number {
  const t = value.type;
  if (t.type === 'time' || isDateTime(t)) return t.scale ?? 0;
  if (t.type === 'date' || isInteger(t)) return 0;
  if (isExact(t)) return Math.min(6, t.scale ?? 0);
  // A DOUBLE with fixed decimals (CEIL(x), ROUND(x, 2)) brings those; other DOUBLEs six.
  if (isFloat(t) && t.scale !== undefined && t.scale < 31) return Math.min(6, t.scale);
  const literal = value.constant;
  if (literal?.type === 'string' && typeof literal.value === 'string') {
    const text = literal.value.trim();
    const dot = text.lastIndexOf('.');
    return dot < 0 ? 0 : Math.min(6, text.length - dot - 1);
  }
  return isNull(t) ? 0 : 6;
}
