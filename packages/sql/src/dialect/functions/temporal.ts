/** Helpers that bring any value into an engine's date, timestamp or time form. */
import { asValue } from '../coerce.js';
import type { Context } from '../context.js';
import { isDateTime, isString } from '../type-rules.js';
import type { Typed } from '../types.js';

/**
 * A timestamp in the engine: DuckDB TIMESTAMP, or SQLite's MySQL-formatted text (SQLite's
 * date functions read 'YYYY-MM-DD[ HH:MM:SS[.fff]]' directly).
 */
export function asTimestamp(context: Context, input: Typed): string {
  const value = asValue(context, input);
  if (context.dialect === 'sqlite') return value.sql;
  if (isDateTime(value.type)) return value.sql;
  if (value.type.type === 'date') return `CAST(${value.sql} AS TIMESTAMP)`;
  if (value.type.type === 'time') return `(DATE '${'2000-01-01'}' + ${value.sql})`;
  return `TRY_CAST(${value.sql} AS TIMESTAMP)`;
}

export function asDate(context: Context, input: Typed): string {
  const value = asValue(context, input);
  if (context.dialect === 'sqlite') return `date(${value.sql})`;
  if (value.type.type === 'date') return value.sql;
  return `CAST(${asTimestamp(context, value)} AS DATE)`;
}

/** A time of day: TIME values and strings such as '10:11:12' as well as datetimes. */
export function asTime(context: Context, input: Typed): string {
  const value = asValue(context, input);
  if (context.dialect === 'sqlite') return value.sql;
  if (value.type.type === 'time') return value.sql;
  if (isString(value.type))
    return `coalesce(TRY_CAST(${value.sql} AS TIME), CAST(TRY_CAST(${value.sql} AS TIMESTAMP) AS TIME))`;
  return `CAST(${asTimestamp(context, value)} AS TIME)`;
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
