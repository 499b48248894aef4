/**
 * Expression defaults (`DEFAULT (UUID())`, `DEFAULT (CURRENT_DATE + INTERVAL 7 DAY)`) of the rows
 * of a write. Before the rows are completed (`insert-complete.ts`), each expression a row takes
 * is evaluated on the merge engine with MySQL's functions: once per statement, or once per row
 * for the functions whose value differs from row to row (UUID(), RAND(), …). The values join
 * the rows as given values, so they are coerced and checked like any other.
 */
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { defaultExpr, isExpressionDefault, variesPerRow } from '../catalog/column-default.js';
import { translateExpr } from '../dialect/index.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { translateOptions } from './query-options.js';

export interface DefaultedRows {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly SqlValue[])[];
  readonly defaults: readonly (readonly boolean[])[];
}

/** The rows with the expression defaults they take filled in (unchanged when none takes one). */
export async function withExpressionDefaults(
  context: StatementContext,
  table: TableDef,
  input: DefaultedRows,
): Promise<DefaultedRows> {
  const computed = computedColumns(table);
  if (computed.length === 0 || input.rows.length === 0) return input;
  const lower = input.columns.map((name) => name.toLowerCase());
  // Each computed column's place in the rows: where the statement names it, else a new one.
  const places = computed.map((column) => ({
    column,
    named: lower.indexOf(column.name.toLowerCase()),
  }));
  const takes = (rowIndex: number, named: number): boolean =>
    named < 0 || input.defaults[rowIndex]?.[named] === true;
  const wanted = places.filter(({ named }) =>
    input.rows.some((_, rowIndex) => takes(rowIndex, named)),
  );
  if (wanted.length === 0) return input;
  const values = await evaluate(
    context,
    wanted.map(({ column }) => column),
    input.rows.length,
  );
  const added = wanted.filter(({ named }) => named < 0);
  const columns = [...input.columns, ...added.map(({ column }) => column.name)];
  const rows: SqlValue[][] = [];
  const defaults: boolean[][] = [];
  input.rows.forEach((row, rowIndex) => {
    const out = [...row];
    const flags = input.defaults[rowIndex]?.slice() ?? row.map(() => false);
    wanted.forEach(({ named }, index) => {
      const value = values[index]?.[rowIndex] ?? null;
      if (named < 0) {
        out.push(value);
        flags.push(false);
      } else if (flags[named] === true) {
        out[named] = value;
        flags[named] = false;
      }
    });
    rows.push(out);
    defaults.push(flags);
  });
  return { columns, rows, defaults };
}

/** Whether any column of the table has an expression default. */
export function hasExpressionDefaults(table: TableDef): boolean {
  return computedColumns(table).length > 0;
}

/** The columns with an expression default, per table definition (catalog changes make new ones). */
const computedByTable = new WeakMap<TableDef, readonly ColumnDef[]>();

function computedColumns(table: TableDef): readonly ColumnDef[] {
  let computed = computedByTable.get(table);
  if (computed === undefined) {
    computed = table.columns.filter(
      (column) =>
        column.defaultSql !== undefined &&
        column.autoIncrement !== true &&
        isExpressionDefault(column.defaultSql),
    );
    computedByTable.set(table, computed);
  }
  return computed;
}

/** Each column's default for `count` rows: one value repeated, or one per row. */
async function evaluate(
  context: StatementContext,
  columns: readonly ColumnDef[],
  count: number,
): Promise<SqlValue[][]> {
  const exprs = columns.map((column) => defaultExpr(column.defaultSql as string));
  const perRow = exprs.some(variesPerRow);
  const options = translateOptions(context, 'duckdb', () => undefined);
  const list = exprs
    .map((expr, index) => `${translateExpr(expr, options).sql} AS "c${index}"`)
    .join(', ');
  const sql = perRow ? `SELECT ${list} FROM range(${count})` : `SELECT ${list}`;
  const result = await context.services.merge.run([], sql, [], context.signal);
  return columns.map((_, index) =>
    Array.from({ length: count }, (_unused, rowIndex) => {
      const row = result.rows[perRow ? rowIndex : 0] ?? [];
      return row[index] ?? null;
    }),
  );
}

/** Engine SQL (for `dialect`) computing a column's expression default, for rows that exist. */
export function engineDefaultSql(
  context: StatementContext,
  column: ColumnDef,
  dialect: 'duckdb' | 'sqlite',
): string {
  const expr = defaultExpr(column.defaultSql as string);
  return translateExpr(
    expr,
    translateOptions(context, dialect, () => undefined),
  ).sql;
}

/** Evaluates one expression default once (the value every existing row would take). */
export async function defaultOnce(context: StatementContext, column: ColumnDef): Promise<SqlValue> {
  const [values] = await evaluate(context, [column], 1);
  return values?.[0] ?? null;
}

/** Translates each expression default, so an unknown function is refused by CREATE or ALTER. */
export function checkExpressionDefaults(
  context: StatementContext,
  columns: readonly ColumnDef[],
): void {
  for (const column of columns)
    if (column.defaultSql !== undefined && isExpressionDefault(column.defaultSql))
      engineDefaultSql(context, column, 'duckdb');
}
