/**
 * `coerceValue` for a statement that knows the table: its 1366/1292 errors name the column as
 * MariaDB does, `db`.`t`.`c`, with the table's name as the statement shows it (a temporary
 * table's own name, not the reserved one).
 */
import { coerceValue, qualifiedIncorrect } from '../catalog/coerce.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import type { SqlValue } from '../values.js';
import { shownName } from './temporary-tables.js';

export function coerceIn(
  table: Pick<TableDef, 'database' | 'name' | 'temporary'>,
  value: SqlValue,
  column: ColumnDef,
  row: number,
  zeroDates = false,
): SqlValue {
  try {
    return coerceValue(value, column, row, zeroDates);
  } catch (error) {
    throw qualifiedIncorrect(error, { database: table.database, name: shownName(table) });
  }
}
