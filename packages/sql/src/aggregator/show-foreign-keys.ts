/**
 * Foreign keys as MariaDB 10.11 shows them: SHOW CREATE TABLE's CONSTRAINT lines and the
 * information_schema rows (KEY_COLUMN_USAGE, REFERENTIAL_CONSTRAINTS, TABLE_CONSTRAINTS). They
 * are kept, not enforced (`ddl-foreign-keys.ts`).
 */
import type { Catalog } from '../catalog/catalog.js';
import type { ForeignKey, TableDef } from '../catalog/types.js';
import type { SqlValue } from '../values.js';

const quote = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

/** A table's foreign keys in MariaDB's order: by name, byte by byte (InnoDB's). */
export function sortedForeignKeys(table: TableDef): ForeignKey[] {
  return [...(table.foreignKeys ?? [])].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
}

/**
 * SHOW CREATE TABLE's lines (after the keys, before the checks): the referenced table qualified
 * when in another database, RESTRICT (the default) not printed.
 */
export function foreignKeyLines(table: TableDef): string[] {
  return sortedForeignKeys(table).map((foreignKey) => {
    const list = (columns: readonly string[]): string => columns.map(quote).join(', ');
    const database =
      foreignKey.refDatabase.toLowerCase() === table.database.toLowerCase()
        ? ''
        : `${quote(foreignKey.refDatabase)}.`;
    let line = `  CONSTRAINT ${quote(foreignKey.name)} FOREIGN KEY (${list(foreignKey.columns)}) REFERENCES ${database}${quote(foreignKey.refTable)} (${list(foreignKey.refColumns)})`;
    if (foreignKey.onDelete !== undefined && foreignKey.onDelete !== 'RESTRICT')
      line += ` ON DELETE ${foreignKey.onDelete}`;
    if (foreignKey.onUpdate !== undefined && foreignKey.onUpdate !== 'RESTRICT')
      line += ` ON UPDATE ${foreignKey.onUpdate}`;
    return line;
  });
}

/** KEY_COLUMN_USAGE rows of a table's foreign keys (after its unique keys'). */
export function foreignKeyColumnUsage(table: TableDef): SqlValue[][] {
  return sortedForeignKeys(table).flatMap((foreignKey) =>
    foreignKey.columns.map((column, index) => [
      'def',
      table.database,
      foreignKey.name,
      'def',
      table.database,
      table.name,
      column,
      index + 1,
      index + 1,
      foreignKey.refDatabase,
      foreignKey.refTable,
      foreignKey.refColumns[index] ?? null,
    ]),
  );
}

/** TABLE_CONSTRAINTS rows of a table's foreign keys (after its keys and checks). */
export function foreignKeyTableConstraints(table: TableDef): SqlValue[][] {
  return sortedForeignKeys(table).map((foreignKey) => [
    'def',
    table.database,
    foreignKey.name,
    table.database,
    table.name,
    'FOREIGN KEY',
    // ENFORCED (MySQL 8's column): MariaDB's are; these are not checked.
    'YES',
  ]);
}

/**
 * The referenced table's key a foreign key points at, as MariaDB names it in
 * UNIQUE_CONSTRAINT_NAME: the primary key or first key starting with the referenced columns;
 * NULL when there is none or the table does not exist.
 */
function referencedKey(catalog: Catalog, foreignKey: ForeignKey): string | null {
  const parent = catalog.table(foreignKey.refDatabase, foreignKey.refTable);
  if (parent === undefined) return null;
  const starts = (columns: readonly string[]): boolean =>
    columns.length >= foreignKey.refColumns.length &&
    foreignKey.refColumns.every(
      (name, i) => name.toLowerCase() === (columns[i] ?? '').toLowerCase(),
    );
  if (parent.primaryKey.length > 0 && starts(parent.primaryKey)) return 'PRIMARY';
  return parent.keys.find((key) => starts(key.columns))?.name ?? null;
}

/** REFERENTIAL_CONSTRAINTS rows of a table's foreign keys. */
export function referentialConstraintRows(catalog: Catalog, table: TableDef): SqlValue[][] {
  return sortedForeignKeys(table).map((foreignKey) => [
    'def',
    table.database,
    foreignKey.name,
    'def',
    foreignKey.refDatabase,
    referencedKey(catalog, foreignKey),
    'NONE',
    foreignKey.onUpdate ?? 'RESTRICT',
    foreignKey.onDelete ?? 'RESTRICT',
    table.name,
    foreignKey.refTable,
  ]);
}
