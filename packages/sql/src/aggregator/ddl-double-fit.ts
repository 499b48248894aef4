/**
 * ALTER TABLE … MODIFY/CHANGE to a DOUBLE(M,D), FLOAT(M,D) or UNSIGNED DOUBLE/FLOAT column: the
 * rows the column holds are stored again under its new rules (`catalog/double-fit.ts`), as
 * MariaDB's copying ALTER stores each row again: rounded to D decimals, and a value beyond the
 * column's limit refused in strict mode (1264, before anything changes) or clamped to the limit
 * with a warning per row otherwise. (InnoDB changes a DOUBLE to DOUBLE(M,D) in place, without
 * touching the rows, and only shows them rounded; a copying ALTER, or any other type, rounds
 * them as here.) Rows are counted per partition, so the row numbers of the error and warnings
 * are 1, 2, … rather than MariaDB's positions in the table.
 */
import { hasFixedDecimals } from '../catalog/double-fit.js';
import { quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { translateExpr } from '../dialect/index.js';
import { sqlError } from '../errors.js';
import type { Expr } from '../parser/ast.js';
import { isStrictMode } from './compat-lenient-values.js';
import type { StatementContext, Warning } from './context.js';
import type { Transaction } from './coordinator.js';
import { columnMetas, translateOptions } from './query-options.js';
import { fitOf } from './update-value-fits.js';
import { execOptions } from './exec-options.js';

/** Warnings listed for the rows clamped (the rest are counted only). */
const WARNED_ROWS_MAX = 64;

/** Whether changing to `column` stores the rows again. */
export function refitsRows(column: ColumnDef): boolean {
  return (
    (column.type === 'double' || column.type === 'float') &&
    (hasFixedDecimals(column) || column.unsigned === true)
  );
}

/** The new column's rule as engine SQL over the table as `table` describes it. */
function fitSql(
  context: StatementContext,
  table: TableDef,
  source: string,
  column: ColumnDef,
): { refused: string; adjusted: string } | undefined {
  const value: Expr = { kind: 'column', column: source };
  const fit = fitOf(column, table, value);
  if (fit === undefined) return undefined;
  const options = {
    ...translateOptions(context, table.storage === 'column' ? 'duckdb' : 'sqlite', () => undefined),
    scope: { tables: [{ name: table.name, columns: columnMetas(table) }] },
  };
  return {
    refused: translateExpr(fit.refused, { ...options, condition: true }).sql,
    adjusted: translateExpr(fit.adjusted, options).sql,
  };
}

/** How many rows of the table meet `condition` (engine SQL) over every partition. */
export async function countRows(
  context: StatementContext,
  table: TableDef,
  condition: string,
  transaction: Transaction | undefined,
): Promise<number> {
  const { cluster } = context.services;
  const sql = `SELECT count(*) FROM ${quoteEngineIdentifier(table.name)} WHERE ${condition}`;
  const results = await cluster.exec(
    cluster.tableTargets(table),
    table.storage,
    () => ({ sql }),
    execOptions(context, false, transaction),
  );
  // A reference table holds the same rows on every leaf: its count is the first copy's.
  const counts = results.map((result) => Number(result.rows[0]?.[0] ?? 0));
  return table.reference ? (counts[0] ?? 0) : counts.reduce((sum, count) => sum + count, 0);
}

/**
 * Strict mode: refuses the change (1264) when a row of the column `source` of `table` (the
 * table before the change) would not fit `column`. Returns the rows that will be clamped.
 */
export async function checkRefit(
  context: StatementContext,
  table: TableDef,
  source: string,
  column: ColumnDef,
  transaction?: Transaction,
): Promise<number> {
  const sql = fitSql(context, table, source, column);
  if (sql === undefined) return 0;
  const refused = await countRows(context, table, sql.refused, transaction);
  if (refused > 0 && isStrictMode(context.session))
    throw sqlError('OUT_OF_RANGE', `Out of range value for column '${column.name}' at row 1`);
  return refused;
}

/**
 * Stores every row's value again under `column`'s rule, in `table` (the table after the
 * change). Returns the warnings of the `clamped` rows.
 */
export async function refitRows(
  context: StatementContext,
  table: TableDef,
  column: ColumnDef,
  clamped: number,
  transaction?: Transaction,
): Promise<Warning[]> {
  const sql = fitSql(context, table, column.name, column);
  if (sql === undefined) return [];
  const { cluster } = context.services;
  const name = quoteEngineIdentifier(column.name);
  const update = `UPDATE ${quoteEngineIdentifier(table.name)} SET ${name} = ${sql.adjusted} WHERE ${name} IS NOT NULL`;
  await cluster.exec(
    cluster.tableTargets(table),
    table.storage,
    () => ({ sql: update }),
    execOptions(context, true, transaction),
  );
  const warnings: Warning[] = [];
  for (let row = 1; row <= Math.min(clamped, WARNED_ROWS_MAX); row++)
    warnings.push({
      level: 'Warning',
      code: 1264,
      message: `Out of range value for column '${column.name}' at row ${row}`,
    });
  return warnings;
}
