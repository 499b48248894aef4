/**
 * TIMESTAMP columns in the session time zone (`catalog/time-zone.ts`): a table's TIMESTAMP
 * column holds UTC, so reading it adds the session's offset and writing to it takes the offset
 * off, in engine SQL (never per row in JavaScript). Offsets are whole minutes, so a value's
 * fraction of a second is untouched. With UTC (SYSTEM, '+00:00') nothing is added.
 */
import type { ColumnMeta } from '../values.js';
import type { Context } from './context.js';
import type { Dialect } from './types.js';

/** Engine SQL moving a DATETIME/TIMESTAMP value `sql` by `minutes`. */
export function shiftTimestampSql(dialect: Dialect, sql: string, minutes: number): string {
  if (minutes === 0) return sql;
  const amount = Math.abs(minutes);
  if (dialect === 'duckdb') return `(${sql} ${minutes < 0 ? '-' : '+'} INTERVAL ${amount} MINUTE)`;
  // SQLite keeps 'YYYY-MM-DD hh:mm:ss[.f]' text; datetime() drops the fraction: kept as is.
  return `(datetime(${sql}, '${minutes < 0 ? '-' : '+'}${amount} minutes') || substr(${sql}, 20))`;
}

/** Minutes east of UTC of the statement's session zone. */
export function sessionZone(context: Context): number {
  return context.options.zoneMinutes ?? 0;
}

/** A table column's value as the session reads it: a stored TIMESTAMP in its local time. */
export function columnRead(context: Context, sql: string, column: ColumnMeta): string {
  if (column.storedUtc !== true) return sql;
  return shiftTimestampSql(context.dialect, sql, sessionZone(context));
}

/** A value the session writes to a TIMESTAMP column (its local time), as stored: in UTC. */
export function timestampWrite(context: Context, sql: string): string {
  return shiftTimestampSql(context.dialect, sql, -sessionZone(context));
}
