/**
 * The session time zone as MariaDB without time zone tables has it: SYSTEM (the server's zone,
 * UTC: `system_time_zone`) or a fixed offset. TIMESTAMP columns store UTC; what a session
 * writes to one is its local time, moved to UTC here (reads move back in engine SQL,
 * `dialect/time-zone.ts`).
 */
import type { SqlValue } from '../values.js';

/** Minutes east of UTC of a constant '+hh:mm' zone (MariaDB accepts -12:59 … +13:00). */
export function offsetMinutes(zone: string): number | undefined {
  const match = /^([+-])(\d{1,2}):(\d{2})$/.exec(zone.trim());
  if (match === null) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  if (Number(match[3]) > 59) return undefined;
  const signed = match[1] === '-' ? -minutes : minutes;
  return signed < -(12 * 60 + 59) || signed > 13 * 60 ? undefined : signed;
}

/** Minutes east of UTC of a session's `time_zone` value (SYSTEM, or unset: 0, UTC). */
export function zoneMinutes(zone: SqlValue | undefined): number {
  return typeof zone === 'string' && zone !== 'SYSTEM' ? (offsetMinutes(zone) ?? 0) : 0;
}

const DATETIME_TEXT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d+)?$/;
const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/**
 * A canonical 'YYYY-MM-DD hh:mm:ss[.f]' moved by `minutes` (its fraction kept); text of
 * another form (the zero date) stays as it is, as MariaDB does not convert it.
 */
export function shiftDateTimeText(text: string, minutes: number): string {
  const match = minutes === 0 ? null : DATETIME_TEXT.exec(text);
  if (match === null || Number(match[1]) === 0) return text;
  const [, y, mo, d, h, mi, s, fraction] = match as unknown as string[];
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi) + minutes, Number(s), 0);
  const clock = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  return `${day} ${clock}${fraction ?? ''}`;
}

/** A TIMESTAMP value as stored: the session's local time `value` in UTC. */
export function storedTimestamp(value: SqlValue, minutes: number): SqlValue {
  return typeof value === 'string' ? shiftDateTimeText(value, -minutes) : value;
}

/**
 * Complete rows of a table as stored: each TIMESTAMP value (written in the session's local
 * time) moved to UTC, in place. Nothing to do under UTC or without TIMESTAMP columns.
 */
export function storeTimestamps(
  rows: SqlValue[][],
  columns: readonly { readonly type: string }[],
  minutes: number,
): void {
  if (minutes === 0) return;
  const indexes = columns.flatMap((column, index) => (column.type === 'timestamp' ? [index] : []));
  if (indexes.length === 0) return;
  for (const row of rows)
    for (const index of indexes) row[index] = storedTimestamp(row[index] ?? null, minutes);
}
