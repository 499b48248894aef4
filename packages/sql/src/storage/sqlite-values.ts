/** SQLite declared column types → `ColumnMeta`, and SQLite values → values.ts conventions. */
import type { ColumnMeta, SqlType, SqlValue } from '../values.js';
import { coerceValue } from './coerce.js';
import { toSafeNumber } from './value-format.js';
import { sqlError, type SqlError } from '../errors.js';

export interface SqliteColumn {
  readonly name: string;
  readonly column: string | null;
  readonly table: string | null;
  readonly type: string | null;
}

/** Base type name → SqlType; MySQL's own names survive translation, so they are checked first. */
const DECLARED_TYPES: readonly (readonly [RegExp, SqlType])[] = [
  [/^BOOL/, 'bool'],
  [/^TINYINT/, 'tinyint'],
  [/^SMALLINT/, 'smallint'],
  [/^(MEDIUMINT|INT$|INTEGER|INT\b)/, 'int'],
  [/^BIGINT/, 'bigint'],
  [/^(DECIMAL|NUMERIC|DEC\b|FIXED)/, 'decimal'],
  [/^(DOUBLE|REAL)/, 'double'],
  [/^FLOAT/, 'float'],
  [/^(VARCHAR|NVARCHAR|CHARACTER VARYING)/, 'varchar'],
  [/^(CHAR|NCHAR|CHARACTER)/, 'char'],
  [/^JSON/, 'json'],
  [/^(TEXT|TINYTEXT|MEDIUMTEXT|LONGTEXT|CLOB|ENUM|SET)/, 'text'],
  [/^(BLOB|TINYBLOB|MEDIUMBLOB|LONGBLOB|BINARY|VARBINARY)/, 'blob'],
  [/^DATETIME/, 'datetime'],
  [/^TIMESTAMP/, 'timestamp'],
  [/^DATE/, 'date'],
  [/^TIME/, 'time'],
];

export function declaredTypeMeta(name: string, declared: string): ColumnMeta {
  const upper = declared.trim().toUpperCase();
  const type = DECLARED_TYPES.find(([pattern]) => pattern.test(upper))?.[1] ?? 'text';
  const numbers = /\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(upper);
  const first = numbers?.[1] === undefined ? undefined : Number(numbers[1]);
  const second = numbers?.[2] === undefined ? undefined : Number(numbers[2]);
  const unsigned = upper.includes('UNSIGNED') ? { unsigned: true } : {};
  switch (type) {
    case 'decimal':
      return { name, type, precision: first ?? 10, scale: second ?? 0, ...unsigned };
    case 'varchar':
    case 'char':
      return first === undefined ? { name, type } : { name, type, length: first };
    case 'datetime':
    case 'timestamp':
    case 'time':
      return { name, type, scale: first ?? 0 };
    case 'tinyint':
      // MySQL's BOOL is TINYINT(1); keep the width so the protocol layer can tell.
      return first === undefined
        ? { name, type, ...unsigned }
        : { name, type, length: first, ...unsigned };
    default:
      return { name, type, ...unsigned };
  }
}

/** A column without a declared type (an expression): typed by its first non-null value. */
function inferredMeta(
  name: string,
  rows: readonly (readonly unknown[])[],
  index: number,
): ColumnMeta {
  for (const row of rows) {
    const value = row[index];
    if (value === null || value === undefined) continue;
    if (typeof value === 'bigint') return { name, type: 'bigint' };
    if (typeof value === 'number') return { name, type: 'double' };
    if (typeof value === 'string') return { name, type: 'text' };
    return { name, type: 'blob' };
  }
  return { name, type: 'null' };
}

export function sqliteColumnMetas(
  columns: readonly SqliteColumn[],
  rows: readonly (readonly unknown[])[],
): ColumnMeta[] {
  return columns.map((column, index) => {
    const origin = column.table === null ? {} : { table: column.table, orgTable: column.table };
    const orgName = column.column === null ? {} : { orgName: column.column };
    const base =
      column.type === null
        ? inferredMeta(column.name, rows, index)
        : declaredTypeMeta(column.name, column.type);
    return { ...base, ...origin, ...orgName };
  });
}

/** One raw SQLite value (read with safeIntegers) → SqlValue, then coerced to its column type. */
export function sqliteValue(raw: unknown, column: ColumnMeta): SqlValue {
  let value: SqlValue;
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'bigint') value = toSafeNumber(raw);
  else if (raw instanceof Uint8Array)
    value = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  else value = raw as SqlValue;
  return coerceValue(value, column);
}

/** SQLite's integers are signed 64-bit: a larger one (BIGINT UNSIGNED, BIT(64)) would turn REAL. */
export const SQLITE_INTEGER_MAX = 9223372036854775807n;

/**
 * A stored value a rowstore table cannot keep exactly, refused rather than rounded: SQLite would
 * keep an integer past 2^63 - 1 as a double (18446744073709551615 read back as 2^64).
 */
export function rowstoreIntegerRefusal(
  value: unknown,
  column: string,
  row: number,
): SqlError | undefined {
  if (typeof value !== 'bigint' || value <= SQLITE_INTEGER_MAX) return undefined;
  return sqlError(
    'NOT_SUPPORTED',
    `Rowstore tables keep integers up to ${SQLITE_INTEGER_MAX}: ${value} for column '${column}' at row ${row} needs a columnstore table`,
  );
}

/** SqlValue → a SQLite binding (better-sqlite3 takes bigint, number, string, Buffer, null). */
export function sqliteParam(value: SqlValue): unknown {
  if (typeof value === 'bigint' && (value > 9223372036854775807n || value < -9223372036854775808n))
    return value.toString();
  if (value instanceof Uint8Array && !Buffer.isBuffer(value))
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return value;
}
