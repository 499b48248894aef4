/** The COLUMN_KEY / `Key` value MySQL shows for a column: PRI, UNI, MUL or empty. */
import type { TableDef } from './types.js';

export function columnKey(table: TableDef, column: string): string {
  if (table.primaryKey.includes(column)) return 'PRI';
  if (table.keys.some((key) => key.unique && key.columns[0] === column)) return 'UNI';
  if (table.keys.some((key) => key.columns[0] === column)) return 'MUL';
  return '';
}
