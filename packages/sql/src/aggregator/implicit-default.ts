/**
 * MariaDB's implicit default of a NOT NULL column, which a write stores with a warning where
 * strict mode would refuse: a missing value of a column without DEFAULT (1364), or NULL in a
 * row of a multi-row INSERT, INSERT … SELECT or INSERT IGNORE (1048). Numbers are 0, strings
 * and binary strings empty, an ENUM its first member, a TIME 00:00:00, a DATE or DATETIME the
 * zero date (zero-date.ts), whatever NO_ZERO_DATE says. A TIMESTAMP left out is the zero date
 * too; one given NULL is refused (MariaDB stores the current time there).
 */
import type { ColumnDef } from '../catalog/types.js';
import { coerceValue, NUMERIC_COLUMN_TYPES } from '../catalog/coerce.js';
import type { SqlValue } from '../values.js';
import { zeroDateText } from '../zero-date.js';

const EMPTY_TYPES: ReadonlySet<string> = new Set(['char', 'varchar', 'text', 'blob']);

/** The implicit default, or undefined when it cannot be stored (JSON, a TIMESTAMP given NULL). */
export function implicitDefault(column: ColumnDef, givenNull = false): SqlValue | undefined {
  const kind = /^[a-z]+/.exec(column.mysqlType.toLowerCase())?.[0] ?? '';
  if (kind === 'enum') return column.values?.[0] ?? '';
  if (kind === 'set') return '';
  if (NUMERIC_COLUMN_TYPES.has(column.type)) return coerceValue(0, column, 1);
  if (EMPTY_TYPES.has(column.type)) return coerceValue('', column, 1);
  if (column.type === 'time') return coerceValue('00:00:00', column, 1);
  if (column.type === 'date' || column.type === 'datetime')
    return zeroDateText(column.type, column.scale);
  if (column.type === 'timestamp' && !givenNull) return zeroDateText(column.type, column.scale);
  return undefined;
}
