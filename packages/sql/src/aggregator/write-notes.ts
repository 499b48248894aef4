/**
 * MySQL's Note 1265 "Data truncated for column 'c' at row N": a value stored in every sql_mode
 * with a part of it dropped (MariaDB 10.11's answers): a DECIMAL rounded to the column's scale,
 * the time of day of a datetime stored in a DATE (not at midnight), the date of a datetime
 * stored in a TIME, spaces past a string column's length, and spaces after a number in text.
 */
import {
  decimalDropsDigits,
  excessSpacesCut,
  isCanonicalDate,
  NUMERIC_COLUMN_TYPES,
} from '../catalog/coerce.js';
import { normalizeDateTime } from '../catalog/temporal.js';
import { hasDatePart } from '../catalog/time-reading.js';
import type { ColumnDef } from '../catalog/types.js';
import type { SqlValue } from '../values.js';

/** Whether storing `given` (accepted by the column) drops a part of it. */
export function dropsPart(given: SqlValue, column: ColumnDef): boolean {
  if (given === null || given instanceof Uint8Array) return false;
  if (column.type === 'decimal') return decimalDropsDigits(given, column) || spaceAfter(given);
  if (NUMERIC_COLUMN_TYPES.has(column.type)) return spaceAfter(given);
  const text = String(given);
  switch (column.type) {
    case 'date': {
      // The common case, a date as the column stores it, without parsing it again.
      if (isCanonicalDate(text)) return false;
      const datetime = normalizeDateTime(text.trim(), 6);
      return datetime !== undefined && !datetime.endsWith(' 00:00:00.000000');
    }
    case 'time':
      return hasDatePart(text);
    case 'char':
    case 'varchar':
      return (
        text.length > (column.length ?? Infinity) &&
        excessSpacesCut(text, column.length) !== undefined
      );
    default:
      return false;
  }
}

function spaceAfter(given: SqlValue): boolean {
  return typeof given === 'string' && /\d\s+$/.test(given);
}
