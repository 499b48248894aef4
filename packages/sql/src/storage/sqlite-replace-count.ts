/**
 * Counting the rows a rowstore REPLACE deletes. SQLite's INSERT OR REPLACE deletes every row the
 * new one collides with on the primary key or a unique index, but its change count leaves those
 * deletions out; MySQL counts each (REPLACE of a stored key affects 2 rows). Before each row is
 * written, one probe counts the stored rows it collides with.
 */
import type Database from 'better-sqlite3';

/** A key: the positions, in the statement's columns, of the key's columns. */
type Key = readonly number[];

/**
 * A function that counts the stored rows a row (in `columns` order) collides with, or
 * undefined when the table has no key the statement's columns cover.
 */
export function replaceProbe(
  db: Database.Database,
  table: string,
  columns: readonly string[],
  quote: (name: string) => string,
): ((params: readonly unknown[]) => number) | undefined {
  const keys = uniqueKeys(db, table)
    .map((names) => names.map((name) => columns.findIndex((column) => same(column, name))))
    .filter((key) => key.length > 0 && key.every((position) => position >= 0));
  if (keys.length === 0) return undefined;
  const where = keys
    .map(
      (key) => `(${key.map((position) => `${quote(columns[position] ?? '')} = ?`).join(' AND ')})`,
    )
    .join(' OR ');
  const probe = db.prepare(`SELECT count(*) FROM ${quote(table)} WHERE ${where}`).pluck();
  return (row) => Number(probe.get(...keys.flatMap((key: Key) => key.map((i) => row[i]))));
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The primary key's and each unique index's columns. */
function uniqueKeys(db: Database.Database, table: string): string[][] {
  const info = db.pragma(`table_info(${JSON.stringify(table)})`) as {
    name: string;
    pk: number | bigint;
  }[];
  const primary = info
    .filter((column) => Number(column.pk) > 0)
    .sort((a, b) => Number(a.pk) - Number(b.pk))
    .map((column) => column.name);
  const indexes = db.pragma(`index_list(${JSON.stringify(table)})`) as {
    name: string;
    unique: number | bigint;
    origin: string;
  }[];
  const unique = indexes
    .filter((index) => Number(index.unique) === 1 && index.origin !== 'pk')
    .map((index) =>
      (db.pragma(`index_info(${JSON.stringify(index.name)})`) as { name: string | null }[]).map(
        (column) => column.name ?? '',
      ),
    )
    // An index over an expression (a name of null) cannot be probed by column.
    .filter((names) => names.every((name) => name !== ''));
  return primary.length > 0 ? [primary, ...unique] : unique;
}
