/**
 * ALTER TABLE … RENAME INDEX | KEY a TO b, a key losing one of its columns to DROP COLUMN, and
 * the rule that an AUTO_INCREMENT column keeps a key that starts with it (1075), as MariaDB
 * answers them. A rename changes the catalog; on a
 * rowstore table a plain key's SQLite index is made again under its new name (SQLite renames
 * no index), and the fold indexes of text keys follow their key (`engine-ddl.ts`).
 */
import {
  aroundFoldIndexes,
  createIndexStatement,
  dropIndexStatement,
} from '../catalog/engine-ddl.js';
import type { KeyDef, TableDef } from '../catalog/types.js';
import { sqlError } from '../errors.js';
import { shownName } from './temporary-tables.js';

/** The table with key `from` named `to`, and the engine statements that rename it. */
export function renamedIndex(
  table: TableDef,
  from: string,
  to: string,
): { readonly next: TableDef; readonly statements: string[] } {
  const key = table.keys.find((candidate) => candidate.name.toLowerCase() === from.toLowerCase());
  if (key === undefined)
    throw sqlError(
      'KEY_DOES_NOT_EXIST',
      `Key '${from}' doesn't exist in table '${shownName(table)}'`,
    );
  const taken =
    to.toUpperCase() === 'PRIMARY' ||
    table.keys.some(
      (candidate) => candidate !== key && candidate.name.toLowerCase() === to.toLowerCase(),
    );
  if (taken) throw sqlError('DUP_KEYNAME', `Duplicate key name '${to}'`);
  const next = {
    ...table,
    keys: table.keys.map((candidate) => (candidate === key ? { ...key, name: to } : candidate)),
  };
  const statements =
    table.storage === 'row' && !key.unique
      ? [dropIndexStatement(table, key.name), createIndexStatement(next, to, key.columns)]
      : [];
  return { next, statements: aroundFoldIndexes(table, next, statements) };
}

/** Refuses a table whose AUTO_INCREMENT column no key starts with (1075), as MariaDB. */
export function assertAutoIncrementKeyed(table: TableDef): void {
  const auto = table.columns.find((column) => column.autoIncrement === true);
  if (auto === undefined) return;
  const keyed =
    table.primaryKey[0] === auto.name || table.keys.some((key) => key.columns[0] === auto.name);
  if (!keyed)
    throw sqlError(
      'WRONG_AUTO_KEY',
      'Incorrect table definition; there can be only one auto column and it must be defined as a key',
    );
}

/** A key without `column` (DROP COLUMN keeps its other columns, as MariaDB); none left: undefined. */
export function withoutKeyColumn(key: KeyDef, column: string): KeyDef | undefined {
  const kept = key.columns.flatMap((name, index) => (name === column ? [] : [index]));
  if (kept.length === 0) return undefined;
  const { prefixes, ...rest } = key;
  const shrunk = { ...rest, columns: kept.map((index) => key.columns[index] as string) };
  if (prefixes === undefined) return shrunk;
  const keptPrefixes = kept.map((index) => prefixes[index] ?? null);
  return keptPrefixes.some((prefix) => prefix !== null)
    ? { ...shrunk, prefixes: keptPrefixes }
    : shrunk;
}
