/**
 * ALTER TABLE … MODIFY/CHANGE of a columnstore column's type: each partition's engine converts
 * its own rows, so a value one partition cannot convert would leave the others converted and
 * the table's partitions with different types. Every partition is asked first whether a
 * stored value fails the conversion; if one does, the statement is refused before any change,
 * with MariaDB's error for that value (1292, "Truncated incorrect INTEGER value" for numbers;
 * 1292/1366 naming `db`.`t`.`c` for dates, times and years).
 */
import { quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { sqlError } from '../errors.js';
import { IncorrectValueError } from '../catalog/coerce.js';
import { shownName } from './temporary-tables.js';
import type { StatementContext } from './context.js';
import type { Transaction } from './coordinator.js';
import { execOptions } from './exec-options.js';

const TEMPORAL: ReadonlySet<string> = new Set(['date', 'datetime', 'timestamp', 'time']);

export async function checkTypeChange(
  context: StatementContext,
  table: TableDef,
  source: string,
  column: ColumnDef,
  engineType: string,
  transaction?: Transaction,
): Promise<void> {
  const name = quoteEngineIdentifier(source);
  const sql = `SELECT CAST(${name} AS VARCHAR) FROM ${quoteEngineIdentifier(table.name)} WHERE ${name} IS NOT NULL AND TRY_CAST(${name} AS ${engineType}) IS NULL LIMIT 1`;
  const { cluster } = context.services;
  const results = await cluster.exec(
    cluster.tableTargets(table),
    table.storage,
    () => ({ sql }),
    execOptions(context, false, transaction),
  );
  const failed = results.find((result) => result.rows.length > 0)?.rows[0]?.[0];
  if (failed === undefined) return;
  const value = String(failed);
  // MariaDB names a DATE or TIMESTAMP's failure a datetime one, and a YEAR's an integer one.
  const incorrect = TEMPORAL.has(column.type)
    ? column.type === 'time'
      ? 'time'
      : 'datetime'
    : column.mysqlType.startsWith('year')
      ? 'integer'
      : undefined;
  if (incorrect !== undefined)
    throw new IncorrectValueError(incorrect, value, column.name, 1, {
      database: table.database,
      name: shownName(table),
    });
  const kind =
    column.type === 'decimal' ? 'DECIMAL' : /float|double/.test(column.type) ? 'DOUBLE' : 'INTEGER';
  throw sqlError('TRUNCATED_WRONG_VALUE', `Truncated incorrect ${kind} value: '${value}'`);
}
