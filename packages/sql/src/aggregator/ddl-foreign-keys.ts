/**
 * Foreign keys as metadata: CREATE TABLE and ALTER TABLE keep them in the table's definition
 * (SHOW CREATE TABLE and information_schema list them), nothing checks them (partitions cannot
 * see each other's rows: docs/sql-types.md, "Foreign keys"). Names, the index made for a
 * foreign key and the errors of DDL that would break one follow MariaDB 10.11.
 */
import type { AlterAction, CreateTableStatement, ForeignKeyDef, IndexDef } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import type { Catalog } from '../catalog/catalog.js';
import type { StatementContext } from './context.js';
import type { ForeignKey, KeyDef, TableDef } from '../catalog/types.js';

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function startsWith(key: readonly string[], columns: readonly string[]): boolean {
  return key.length >= columns.length && columns.every((column, i) => same(column, key[i] ?? ''));
}

/** Whether the primary key or a key of the table starts with the columns (MariaDB's test). */
function covered(table: TableDef, columns: readonly string[]): boolean {
  return (
    startsWith(table.primaryKey, columns) ||
    table.keys.some((key) => startsWith(key.columns, columns))
  );
}

/** `<table>_ibfk_<n>`, n one more than the highest the table has (MariaDB's unnamed keys). */
function generatedName(table: TableDef): string {
  const prefix = `${table.name.toLowerCase()}_ibfk_`;
  let highest = 0;
  for (const foreignKey of table.foreignKeys ?? []) {
    const lower = foreignKey.name.toLowerCase();
    if (lower.startsWith(prefix))
      highest = Math.max(highest, Number(lower.slice(prefix.length)) || 0);
  }
  return `${table.name}_ibfk_${highest + 1}`;
}

function foreignKey(table: TableDef, written: ForeignKeyDef): ForeignKey {
  const columns = written.columns.map((name) => {
    const found = table.columns.find((column) => same(column.name, name));
    if (found === undefined)
      throw sqlError('KEY_COLUMN_DOES_NOT_EXIST', `Key column '${name}' doesn't exist in table`);
    return found.name;
  });
  return {
    name: written.name ?? generatedName(table),
    columns,
    refDatabase: written.refTable.database ?? table.database,
    refTable: written.refTable.name,
    refColumns: written.refColumns,
    ...(written.onDelete === undefined ? {} : { onDelete: written.onDelete }),
    ...(written.onUpdate === undefined ? {} : { onUpdate: written.onUpdate }),
  };
}

/**
 * The index MariaDB makes for a foreign key when no key starts with its columns: named after
 * the constraint (or its index name), else after its first column.
 */
function supportingIndex(
  table: TableDef,
  written: ForeignKeyDef,
  columns: readonly string[],
): IndexDef | undefined {
  if (covered(table, columns)) return undefined;
  const wanted = written.name ?? columns[0] ?? 'key';
  let name = wanted;
  for (let n = 2; same(name, 'PRIMARY') || table.keys.some((key) => same(key.name, name)); n += 1)
    name = `${wanted}_${n}`;
  return { name, columns: columns.map((column) => ({ name: column })) };
}

/** ALTER TABLE … ADD FOREIGN KEY: the table with it, and the index to add for it, if any. */
export function withForeignKey(
  table: TableDef,
  written: ForeignKeyDef,
): { readonly table: TableDef; readonly index?: IndexDef } {
  const added = foreignKey(table, written);
  const next = { ...table, foreignKeys: [...(table.foreignKeys ?? []), added] };
  const index = supportingIndex(table, written, added.columns);
  return index === undefined ? { table: next } : { table: next, index };
}

/**
 * CREATE TABLE's foreign keys: a column's REFERENCES first (MariaDB numbers them first), then the
 * table's FOREIGN KEYs; each gets an index when no key starts with its columns.
 */
export function withCreateForeignKeys(table: TableDef, statement: CreateTableStatement): TableDef {
  const columnLevel: ForeignKeyDef[] = statement.columns.flatMap((column) =>
    column.references === undefined ? [] : [{ columns: [column.name], ...column.references }],
  );
  const written = [...columnLevel, ...(statement.foreignKeys ?? [])];
  if (written.length === 0) return table;
  let next = table;
  const kept: ForeignKey[] = [];
  for (const definition of written) {
    const added = foreignKey(next, definition);
    kept.push(added);
    next = { ...next, foreignKeys: kept.slice() };
  }
  // MariaDB drops the index of a column's REFERENCES that a later one covers: the table's
  // foreign keys get theirs first, then the columns' go before the table's own keys.
  const withIndex = (
    definition: ForeignKeyDef,
    columns: readonly string[],
    first: boolean,
  ): void => {
    const index = supportingIndex(next, definition, columns);
    if (index === undefined) return;
    const key = { name: index.name ?? '', columns, unique: false, forForeignKey: true as const };
    next = { ...next, keys: first ? [key, ...next.keys] : [...next.keys, key] };
  };
  written.forEach((definition, i) => {
    if (i >= columnLevel.length) withIndex(definition, kept[i]?.columns ?? [], false);
  });
  columnLevel.forEach((definition, i) => withIndex(definition, kept[i]?.columns ?? [], true));
  return next;
}

/**
 * The keys made for foreign keys that a new key over `columns` replaces (it starts with theirs),
 * as MariaDB drops them when ALTER TABLE or CREATE INDEX adds such a key.
 */
export function replacedKeys(table: TableDef, columns: readonly string[]): KeyDef[] {
  return table.keys.filter((key) => key.forForeignKey === true && startsWith(columns, key.columns));
}

/** ALTER TABLE … DROP FOREIGN KEY: 1091 for a name the table does not have. */
export function withoutForeignKey(table: TableDef, name: string): TableDef {
  const foreignKeys = table.foreignKeys ?? [];
  if (!foreignKeys.some((candidate) => same(candidate.name, name)))
    throw sqlError(
      'CANT_DROP_FIELD_OR_KEY',
      `Can't DROP FOREIGN KEY \`${name}\`; check that it exists`,
    );
  return { ...table, foreignKeys: foreignKeys.filter((candidate) => !same(candidate.name, name)) };
}

/** Dropping a key a foreign key needs (no other key starts with its columns) is 1553. */
export function guardForeignKeyIndex(table: TableDef, keyName: string): void {
  const rest = {
    ...table,
    primaryKey: same(keyName, 'PRIMARY') ? [] : table.primaryKey,
    keys: table.keys.filter((key) => !same(key.name, keyName)),
  };
  const needed = (table.foreignKeys ?? []).some(
    (foreignKey) => covered(table, foreignKey.columns) && !covered(rest, foreignKey.columns),
  );
  if (needed)
    throw sqlError(
      'DROP_INDEX_FK',
      `Cannot drop index '${keyName}': needed in a foreign key constraint`,
    );
}

function references(foreignKey: ForeignKey, database: string, name: string): boolean {
  return same(foreignKey.refDatabase, database) && same(foreignKey.refTable, name);
}

/** Each table's foreign keys that refer to `database.name` (the table itself included). */
function referrers(catalog: Catalog, database: string, name: string): [TableDef, ForeignKey][] {
  return catalog
    .databases()
    .flatMap((db) => catalog.tables(db.name))
    .flatMap((child) =>
      (child.foreignKeys ?? [])
        .filter((foreignKey) => references(foreignKey, database, name))
        .map((foreignKey): [TableDef, ForeignKey] => [child, foreignKey]),
    );
}

/**
 * ALTER TABLE … DROP COLUMN of a column a foreign key uses: its index cannot go (1553), and a
 * column another table's foreign key refers to cannot either (1829), as in MariaDB.
 */
export function guardForeignKeyColumn(catalog: Catalog, table: TableDef, column: string): void {
  for (const foreignKey of table.foreignKeys ?? []) {
    if (!foreignKey.columns.some((name) => same(name, column))) continue;
    const key = table.keys.find((candidate) => startsWith(candidate.columns, foreignKey.columns));
    if (key !== undefined) guardForeignKeyIndex({ ...table, keys: [key] }, key.name);
  }
  for (const [child, foreignKey] of referrers(catalog, table.database, table.name)) {
    if (foreignKey.refColumns.some((name) => same(name, column)))
      throw sqlError(
        'FK_COLUMN_CANNOT_DROP_CHILD',
        `Cannot drop column '${column}': needed in a foreign key constraint '${foreignKey.name}' of table \`${child.database}\`.\`${child.name}\``,
      );
  }
}

/** Whether the session's foreign_key_checks is on (DROP TABLE and DROP DATABASE then refuse). */
export function foreignKeyChecks(context: StatementContext): boolean {
  return Number(context.session.variables.get('foreign_key_checks') ?? 1) !== 0;
}

/**
 * DROP TABLE (or DROP DATABASE) of a table another table's foreign key refers to, with foreign_key_checks on: 1451,
 * unless the statement drops the referring tables too (MariaDB's answer; nothing else checks).
 */
export function guardReferencedDrop(
  catalog: Catalog,
  dropped: readonly TableDef[],
  checks: boolean,
): void {
  if (!checks) return;
  const going = (table: TableDef): boolean =>
    dropped.some((other) => same(other.database, table.database) && same(other.name, table.name));
  for (const table of dropped)
    if (referrers(catalog, table.database, table.name).some(([child]) => !going(child)))
      throw sqlError(
        'ROW_IS_REFERENCED',
        'Cannot delete or update a parent row: a foreign key constraint fails',
      );
}

function renamedColumns(table: TableDef, from: string, to: string): TableDef {
  if (table.foreignKeys === undefined) return table;
  const rename = (name: string): string => (same(name, from) ? to : name);
  return {
    ...table,
    foreignKeys: table.foreignKeys.map((foreignKey) => ({
      ...foreignKey,
      columns: foreignKey.columns.map(rename),
    })),
  };
}

/** The table's own foreign keys after a column rename (CHANGE, RENAME COLUMN). */
export function withRenamedColumn(table: TableDef, from: string, to: string): TableDef {
  return renamedColumns(table, from, to);
}

/**
 * After an ALTER or RENAME TABLE: other tables' foreign keys follow the renamed table and its
 * renamed columns, as InnoDB's do.
 */
export function followRenames(
  catalog: Catalog,
  before: TableDef,
  after: TableDef,
  actions: readonly AlterAction[] = [],
): void {
  const columns: [string, string][] = [];
  for (const action of actions) {
    if (action.kind === 'renameColumn') columns.push([action.from, action.to]);
    if (action.kind === 'changeColumn' && !same(action.oldName, action.column.name))
      columns.push([action.oldName, action.column.name]);
  }
  if (same(before.name, after.name) && columns.length === 0) return;
  const children = new Set(
    referrers(catalog, before.database, before.name).map(([child]) => child),
  );
  for (const child of children) {
    const current = catalog.table(child.database, child.name);
    if (current === undefined) continue;
    const foreignKeys = (current.foreignKeys ?? []).map((foreignKey) => {
      if (!references(foreignKey, before.database, before.name)) return foreignKey;
      const refColumns = foreignKey.refColumns.map(
        (name) => columns.find(([from]) => same(from, name))?.[1] ?? name,
      );
      return { ...foreignKey, refTable: after.name, refColumns };
    });
    catalog.putTable({ ...current, foreignKeys }, current);
  }
}
