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
import { sqlError } from '../errors.js';
import { isStrictMode } from './compat-lenient-values.js';
import type { StatementContext, Warning } from './context.js';
import type { Transaction } from './coordinator.js';
import { countRows } from './ddl-double-fit.js';
import { execOptions } from './exec-options.js';
import { truncated, truncationWarnings } from './ddl-not-null.js';

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
  const longer = `length(${name}) > ${length}`;
  const rows = await countRows(context, table, longer, transaction);
  if (rows === 0) return [];
  if (isStrictMode(context.session)) throw sqlError('DATA_TRUNCATED', truncated(column, 1));
  const { cluster } = context.services;
  const sql = `UPDATE ${quoteEngineIdentifier(table.name)} SET ${name} = substr(${name}, 1, ${length}) WHERE ${longer}`;
  await cluster.exec(
    cluster.tableTargets(table),
    table.storage,
    () => ({ sql }),
    execOptions(context, true, transaction),
  );
  return truncationWarnings(column, rows);
}
