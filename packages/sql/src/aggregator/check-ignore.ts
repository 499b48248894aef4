/**
 * INSERT IGNORE's rows that break a CHECK constraint, found before the write, as MariaDB treats
 * them: in a statement of several rows (VALUES of more than one, INSERT … SELECT) each such row
 * is skipped with warning 4025 "CONSTRAINT `…` failed for `db`.`t`"; a statement of one row is
 * refused with that error. Left to the engines, DuckDB would refuse the whole statement and
 * SQLite's OR IGNORE would skip such rows without a word.
 *
 * The enforced checks run on the merge engine over the completed rows (a batch at a time), each
 * value cast to its column's columnstore type, translated as the columnstore's own check is;
 * a row fails when a check is FALSE (NULL passes), and names the first one it fails, in the
 * table's order. A value the cast cannot take reads as NULL, so the engine, which checks every
 * row again, keeps the last word.
 */
import { quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import { defaultExpr } from '../catalog/column-default.js';
import type { CheckConstraint, TableDef } from '../catalog/types.js';
import { translateExpr } from '../dialect/index.js';
import { ER, type SqlError } from '../errors.js';
import type { SqlValue } from '../values.js';
import { checkFailure } from './check-errors.js';
import type { StatementContext, Warning } from './context.js';
import { columnMetas, translateOptions } from './query-options.js';
import { typedParameter } from './upsert-statement.js';

/** Rows per merge-engine query. */
const ROWS_PER_QUERY = 500;

/**
 * The rows of an INSERT IGNORE that break a check, each with its warning (empty when the table
 * has no enforced check); throws the 4025 for a statement of one row (`several` false).
 */
export async function refusedByChecks(
  context: StatementContext,
  table: TableDef,
  rows: readonly SqlValue[][],
  several: boolean,
): Promise<ReadonlyMap<SqlValue[], Warning>> {
  const refused = new Map<SqlValue[], Warning>();
  const checks = (table.checks ?? []).filter((check) => check.engineSql !== undefined);
  if (checks.length === 0 || rows.length === 0) return refused;
  const failing = failingSql(context, table, checks);
  const name = quoteEngineIdentifier(table.name);
  const names = table.columns.map((column) => quoteEngineIdentifier(column.name)).join(', ');
  const tuple = `(${table.columns.map((column) => typedParameter(column, 'TRY_CAST')).join(', ')})`;
  for (let start = 0; start < rows.length; start += ROWS_PER_QUERY) {
    const batch = rows.slice(start, start + ROWS_PER_QUERY);
    const sql = `SELECT ${failing} FROM (VALUES ${batch.map(() => tuple).join(', ')}) AS ${name}(${names})`;
    const result = await context.services.merge.run([], sql, batch.flat(), context.signal);
    batch.forEach((row, index) => {
      const position = Number(result.rows[index]?.[0] ?? -1);
      const check = checks[position];
      if (check === undefined) return;
      const error = checkFailure(table, check);
      if (!several) throw error;
      refused.set(row, warningOf(error));
    });
  }
  return refused;
}

/** The position of the first check the row fails, or -1. */
function failingSql(
  context: StatementContext,
  table: TableDef,
  checks: readonly CheckConstraint[],
): string {
  const options = {
    ...translateOptions(context, 'duckdb', () => undefined),
    scope: { tables: [{ name: table.name, columns: columnMetas(table) }] },
    condition: true,
  };
  const whens = checks.map((check, position) => {
    const condition = translateExpr(defaultExpr(check.text), options).sql;
    return `WHEN (${condition}) IS FALSE THEN ${position}`;
  });
  return `CASE ${whens.join(' ')} ELSE -1 END`;
}

function warningOf(error: SqlError): Warning {
  const [code] = ER.CHECK_VIOLATED;
  return { level: 'Warning', code, message: error.message };
}
