/**
 * TIMESTAMP's range as MariaDB 10.11 keeps it: from '1970-01-01 00:00:01' to
 * '2038-01-19 03:14:07.999999' UTC, the zero date aside. A value written past it (in the
 * session's time zone) is refused in strict mode with 1292, naming the value as it was given,
 * and otherwise stored as the zero date with warning 1264.
 */
import { IncorrectValueError } from '../catalog/coerce.js';
import { storedTimestamp } from '../catalog/time-zone.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import type { SqlValue } from '../values.js';
import { ZERO_DATE, zeroDateText } from '../zero-date.js';
import type { Warning } from './context.js';
import { shownName } from './temporary-tables.js';

/** The first value in range, and the first past it (UTC text). */
export const TIMESTAMP_FIRST = '1970-01-01 00:00:01';
export const TIMESTAMP_PAST_LAST = '2038-01-19 03:14:08';

/** Whether a stored (UTC) TIMESTAMP text is outside the range; the zero date is not. */
export function outsideTimestampRange(utc: string): boolean {
  return !utc.startsWith(ZERO_DATE) && (utc < TIMESTAMP_FIRST || utc >= TIMESTAMP_PAST_LAST);
}

/** The value a TIMESTAMP column stores for `value` (local time), `given` as the statement wrote it. */
export function fitTimestamp(options: {
  readonly value: SqlValue;
  readonly given: SqlValue;
  readonly column: ColumnDef;
  readonly table: Pick<TableDef, 'database' | 'name' | 'temporary'>;
  readonly row: number;
  readonly zoneMinutes: number;
  readonly lenient: boolean;
  readonly warnings: Warning[];
}): SqlValue {
  const { value, column, row } = options;
  if (column.type !== 'timestamp' || typeof value !== 'string') return value;
  const stored = storedTimestamp(value, options.zoneMinutes);
  if (typeof stored !== 'string' || !outsideTimestampRange(stored)) return value;
  if (!options.lenient) {
    const given = options.given;
    const shown = given instanceof Uint8Array ? Buffer.from(given).toString('utf8') : String(given);
    throw new IncorrectValueError('datetime', shown.slice(0, 64), column.name, row, {
      database: options.table.database,
      name: shownName(options.table),
    });
  }
  options.warnings.push({
    level: 'Warning',
    code: 1264,
    message: `Out of range value for column '${column.name}' at row ${row}`,
  });
  return zeroDateText('timestamp', column.scale);
}
