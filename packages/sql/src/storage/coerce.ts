/**
 * Coerces engine values to the column types the aggregator asked for (`ExecRequest.columns`),
 * and to the types a column declares. SQLite is dynamically typed (a DECIMAL column may hold
 * text or a double, a BOOLEAN holds 0/1), so its values always pass through here.
 */
import type { ColumnMeta, SqlType, SqlValue } from '../values.js';
import { formatDecimal, toSafeNumber, withFractionDigits } from './value-format.js';

const INTEGER_TYPES: ReadonlySet<SqlType> = new Set(['tinyint', 'smallint', 'int', 'bigint']);
const TEXT_TYPES: ReadonlySet<SqlType> = new Set(['char', 'varchar', 'text', 'json']);
const textDecoder = new TextDecoder();
const textEncoder = new TextEncoder();

export function coerceValue(value: SqlValue, column: ColumnMeta): SqlValue {
  if (value === null) return null;
  const type = column.type;
  if (INTEGER_TYPES.has(type)) return toInteger(value);
  switch (type) {
    case 'bool':
      return toBool(value);
    case 'decimal':
      return typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string'
        ? formatDecimal(value, column.scale ?? 0)
        : value;
    case 'double':
    case 'float':
      return typeof value === 'bigint' || typeof value === 'string' ? Number(value) : value;
    case 'date':
      return typeof value === 'string' && value.length > 10 && value[10] === ' '
        ? value.slice(0, 10)
        : value;
    case 'datetime':
    case 'timestamp':
    case 'time':
      return typeof value === 'string' && column.scale !== undefined
        ? withFractionDigits(value, column.scale)
        : value;
    case 'blob':
      return typeof value === 'string' ? textEncoder.encode(value) : value;
    default:
      if (TEXT_TYPES.has(type)) return toText(value);
      return value;
  }
}

function toInteger(value: SqlValue): SqlValue {
  if (typeof value === 'bigint') return toSafeNumber(value);
  if (typeof value === 'string' && /^-?\d{1,40}$/.test(value)) return toSafeNumber(BigInt(value));
  return value;
}

function toBool(value: SqlValue): SqlValue {
  if (typeof value === 'bigint') return value === 0n ? 0 : 1;
  if (typeof value === 'number') return value === 0 ? 0 : 1;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return 1;
    if (lower === 'false') return 0;
    const parsed = Number(value);
    return Number.isNaN(parsed) ? value : parsed === 0 ? 0 : 1;
  }
  return value;
}

function toText(value: SqlValue): SqlValue {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return textDecoder.decode(value);
  return String(value);
}

/** Applies `coerceValue` column by column, in place. */
export function coerceRows(rows: SqlValue[][], columns: readonly ColumnMeta[]): void {
  const width = columns.length;
  for (const row of rows) {
    for (let index = 0; index < width && index < row.length; index++) {
      const column = columns[index];
      if (column !== undefined) row[index] = coerceValue(row[index] ?? null, column);
    }
  }
}
