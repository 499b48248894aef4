/**
 * How unique keys compare strings. MariaDB's default collations (utf8mb4_general_ci,
 * utf8mb4_unicode_ci) are case-insensitive and PAD SPACE, so a PRIMARY or UNIQUE key refuses
 * 'a' after 'A' or 'a ' (1062). DuckDB's keys compare bytes, so every key of a columnstore
 * table with a string column also gets a *fold index*: a unique index over the folded values
 * (`lower(rtrim(col, ' '))` for string columns, other columns as they are), which DuckDB
 * enforces on every write (INSERT, INSERT OR IGNORE, UPDATE, the LOAD DATA fast path). The
 * table's own key stays: ON CONFLICT and REPLACE name it. Accents are not folded ('é' ≠ 'e').
 *
 * Rowstore keys compare through SQLite's NOCASE (case only). Columnstore tables created before
 * fold indexes existed are marked `binaryKeys` when their catalog is loaded
 * (`catalog-store.ts`) and keep comparing bytes until they are created again.
 *
 * The fold indexes are made by `engine-ddl.ts`. storage/engine-errors.ts and
 * storage/duckdb-replace.ts (REPLACE) spell the fold expression themselves (storage does not
 * import catalog): keep `foldSql` in step with them.
 */
import type { ColumnDef, TableDef } from './types.js';
import type { SqlValue } from '../values.js';

/** A PRIMARY or UNIQUE key, with its columns in key order. */
export interface UniqueKey {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  /** Each column's position in the table's columns (and in a complete row). */
  readonly positions: readonly number[];
}

/** The table's primary key (named PRIMARY) and then its unique keys, in definition order. */
export function uniqueKeys(table: TableDef): UniqueKey[] {
  const key = (name: string, names: readonly string[]): UniqueKey => {
    const positions = names.map((column) =>
      table.columns.findIndex((candidate) => candidate.name === column),
    );
    return {
      name,
      positions,
      columns: positions.map((position) => table.columns[position] as ColumnDef),
    };
  };
  const keys = table.keys.filter((candidate) => candidate.unique);
  return [
    ...(table.primaryKey.length > 0 ? [key('PRIMARY', table.primaryKey)] : []),
    ...keys.map((candidate) => key(candidate.name, candidate.columns)),
  ];
}

/** Text columns, which compare under the collation (binary strings are BLOBs here). */
export function isTextColumn(column: ColumnDef): boolean {
  return (
    (column.type === 'char' || column.type === 'varchar' || column.type === 'text') &&
    column.binary !== true
  );
}

/** Whether the table's engine keys fold text as the collation does (case and trailing spaces). */
export function foldsKeys(table: TableDef): boolean {
  return table.storage === 'column' && table.binaryKeys !== true;
}

/** The keys that need a fold index: those with a text column, on a table that folds. */
export function foldedKeys(table: TableDef): UniqueKey[] {
  if (!foldsKeys(table)) return [];
  return uniqueKeys(table).filter((key) => key.columns.some(isTextColumn));
}

/** A text value as the fold index keeps it (DuckDB SQL). */
export function foldSql(sql: string): string {
  return `lower(rtrim(${sql}, ' '))`;
}

/** `foldSql` in JavaScript (DuckDB's lower() and JavaScript's agree but for a few letters). */
export function foldText(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x20) end -= 1;
  return text.slice(0, end).toLowerCase();
}

/** One side of a comparison on a key column: folded for a text column of a table that folds. */
export function keySide(column: ColumnDef, sql: string, folds: boolean): string {
  return folds && isTextColumn(column) ? foldSql(sql) : sql;
}

/** A key's values as MariaDB's 1062 message prints them: 'a-1'. */
export function keyEntry(key: UniqueKey, row: readonly SqlValue[]): string {
  return key.positions.map((position) => entryText(row[position] ?? null)).join('-');
}

function entryText(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (value instanceof Uint8Array) return Buffer.from(value).toString('latin1');
  return String(value);
}
