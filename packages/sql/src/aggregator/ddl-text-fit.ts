/**
 * ALTER TABLE … MODIFY/CHANGE that makes a CHAR or VARCHAR column shorter than values it holds:
 * as MariaDB's copying ALTER, strict mode refuses the statement before any change (1265 "Data
 * truncated for column 'c' at row N"), otherwise each longer value is cut to the new length
 * with a 1265 warning per row. Lengths are in characters on both engines. Rows are counted per
 * partition, so the row numbers are 1, 2, … rather than MariaDB's positions in the table.
 */
import { quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import { isTextColumn } from '../catalog/folded-keys.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import type { StatementContext, Warning } from './context.js';
import type { Transaction } from './coordinator.js';
import { changeRows } from './ddl-not-null.js';

/** Makes the text values of `old` fit `column`'s length; returns the warnings of the cuts. */
export async function fitTextLength(
  context: StatementContext,
  table: TableDef,
  old: ColumnDef,
  column: ColumnDef,
  transaction: Transaction | undefined,
): Promise<Warning[]> {
  const length = column.length;
  if (!isTextColumn(old) || !isTextColumn(column) || length === undefined) return [];
  if (old.length !== undefined && old.length <= length) return [];
  const name = quoteEngineIdentifier(old.name);
  return changeRows(context, table, column, transaction, {
    where: `length(${name}) > ${length}`,
    set: { sql: `${name} = substr(${name}, 1, ${length})` },
  });
}
