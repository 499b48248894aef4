/**
 * The COLUMN_KEY / `Key` value MariaDB shows for a column (PRI, UNI, MUL or empty), and the
 * order it lists a table's keys in (SHOW INDEX, information_schema.STATISTICS).
 */
import type { KeyDef, TableDef } from './types.js';

function allNotNull(table: TableDef, columns: readonly string[]): boolean {
  return columns.every(
    (name) => table.columns.find((column) => column.name === name)?.nullable === false,
  );
}

/**
 * The keys after the primary key as MariaDB sorts them: unique keys of NOT NULL columns, other
 * unique keys, then plain indexes, each group in the order they were declared.
 */
export function sortedKeys(table: TableDef): KeyDef[] {
  const rank = (key: KeyDef): number => (key.unique ? (allNotNull(table, key.columns) ? 0 : 1) : 2);
  return [...table.keys].sort((a, b) => rank(a) - rank(b));
}

/**
 * The columns MariaDB shows as PRI: the primary key's, or for a table without one, those of its
 * first unique key over NOT NULL columns (which InnoDB uses as the primary key).
 */
function primaryColumns(table: TableDef): readonly string[] {
  if (table.primaryKey.length > 0) return table.primaryKey;
  const promoted = sortedKeys(table).find((key) => key.unique && allNotNull(table, key.columns));
  return promoted?.columns ?? [];
}

/**
 * PRI for a column of the primary key; UNI for the column of a one-column unique key; MUL for
 * the first column of any other key (a composite unique key included), as MariaDB answers.
 */
export function columnKey(table: TableDef, column: string): string {
  if (primaryColumns(table).includes(column)) return 'PRI';
  const first = table.keys.filter((key) => key.columns[0] === column);
  if (first.some((key) => key.unique && key.columns.length === 1)) return 'UNI';
  return first.length > 0 ? 'MUL' : '';
}
