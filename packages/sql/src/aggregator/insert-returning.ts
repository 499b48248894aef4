/**
 * INSERT/REPLACE … RETURNING (MariaDB 10.5): a result set of the RETURNING items over the rows
 * the statement wrote (DELETE … RETURNING evaluates its items here too: `delete-returning.ts`). The aggregator holds each written row whole — defaults, AUTO_INCREMENT
 * values and conversions applied (`insert.ts` completeRows) — so the items run on the merge
 * engine over those rows, loaded as a table that the items name as the target table. INSERT
 * IGNORE returns the rows it kept; ON DUPLICATE KEY UPDATE each row as the upsert left it
 * (inserted or updated: the engine upsert's own RETURNING, `upsert-row.ts`), in statement order.
 */
import type { Expr, SelectItem, SelectStatement, Statement } from '../parser/ast.js';
import { exprQuery, walkExpr } from '../parser/walk.js';
import { isAggregateCall } from '../planner/aggregates.js';
import { collectTableUses } from '../planner/tables.js';
import { singleTable } from '../planner/tables.js';
import type { TableDef } from '../catalog/types.js';
import { duckdbType } from '../catalog/column-type.js';
import { translateQuery, type TranslatedSelect } from '../dialect/index.js';
import { ER, SqlError, sqlError } from '../errors.js';
import type { ResultRows } from '../protocol/backend.js';
import { coerceRows } from '../storage/coerce.js';
import type { ColumnMeta, SqlValue } from '../values.js';
import { currentDatabase, type StatementContext } from './context.js';
import { columnMetas, translateOptions } from './query-options.js';

const [BAD_FIELD] = ER.BAD_FIELD;

/** The merge-engine table holding the written rows. */
const WRITTEN_TABLE = 'exo_written';

/**
 * The RETURNING items translated over `table`'s columns (their result columns too); an unknown
 * column is 1054 "in 'RETURNING'", as MariaDB names the clause. What MariaDB refuses there is
 * refused first: aggregates (1111), window functions (4015), a subquery reading the written
 * table (1093); other subqueries are not supported here (1235).
 */
export function translateReturning(
  context: StatementContext,
  table: TableDef,
  items: readonly SelectItem[],
  verb: 'INSERT' | 'REPLACE' | 'DELETE' = 'INSERT',
): TranslatedSelect {
  for (const item of items) checkItem(context, table, item.expr, verb);
  try {
    return translateItems(context, table, items);
  } catch (error) {
    if (error instanceof SqlError && error.errno === BAD_FIELD)
      throw sqlError('BAD_FIELD', error.message.replace(/in '[^']*'$/, "in 'RETURNING'"));
    throw error;
  }
}

function checkItem(
  context: StatementContext,
  table: TableDef,
  expr: Expr,
  verb: 'INSERT' | 'REPLACE' | 'DELETE',
): void {
  walkExpr(expr, (node) => {
    if (node.kind === 'windowCall')
      throw sqlError(
        'WRONG_PLACEMENT_OF_WINDOW_FUNCTION',
        'Window function is allowed only in SELECT list and ORDER BY clause',
      );
    if (isAggregateCall(node))
      throw sqlError('INVALID_GROUP_FUNC_USE', 'Invalid use of group function');
    const query = exprQuery(node);
    if (query === undefined) return;
    const reads = collectTableUses(query).some(
      (use) =>
        use.ref.name.toLowerCase() === table.name.toLowerCase() &&
        currentDatabase(context, use.ref.database).toLowerCase() === table.database.toLowerCase(),
    );
    if (reads)
      throw sqlError(
        'UPDATE_TABLE_USED',
        `Table '${table.name}' is specified twice, both as a target for '${verb}' and as a separate source for data`,
      );
    throw sqlError('NOT_SUPPORTED', 'A subquery in RETURNING is not supported');
  });
}

function translateItems(
  context: StatementContext,
  table: TableDef,
  items: readonly SelectItem[],
): TranslatedSelect {
  const query: SelectStatement = {
    kind: 'select',
    distinct: false,
    columns: items,
    from: [{ kind: 'table', name: table.name, database: table.database }],
    groupBy: [],
    withRollup: false,
    windows: [],
    orderBy: [],
  };
  const columns = columnMetas(table);
  return translateQuery(
    query,
    translateOptions(context, 'duckdb', (database, name) =>
      name.toLowerCase() === table.name.toLowerCase() &&
      (database ?? table.database).toLowerCase() === table.database.toLowerCase()
        ? { engineName: WRITTEN_TABLE, columns }
        : undefined,
    ),
  );
}

/**
 * The translated items, checked before anything is written: a `?` without a bound value is
 * 1210, as a SELECT's is.
 */
export function boundReturning(
  context: StatementContext,
  translated: TranslatedSelect,
): TranslatedSelect {
  if (translated.params.some((index) => context.params[index] === undefined))
    throw sqlError('WRONG_ARGUMENTS', 'Incorrect arguments to mysqld_stmt_execute');
  return translated;
}

/** The result set of the translated items over `rows`, whole rows of `table` in column order. */
export async function returningRows(
  context: StatementContext,
  table: TableDef,
  translated: TranslatedSelect,
  rows: readonly (readonly SqlValue[])[],
): Promise<ResultRows> {
  const result = await context.services.merge.run(
    [
      {
        name: WRITTEN_TABLE,
        columns: table.columns.map((column) => ({
          name: column.name,
          engineType: duckdbType(column),
        })),
        rows,
      },
    ],
    translated.sql,
    translated.params.map((index) => context.params[index] ?? null),
    context.signal,
  );
  coerceRows(result.rows, translated.columns);
  return { kind: 'rows', columns: translated.columns, rows: result.rows };
}

/**
 * The result columns of an INSERT … RETURNING or DELETE … RETURNING, for COM_STMT_PREPARE;
 * none for other statements.
 */
export function returningColumns(
  context: StatementContext,
  statement: Statement,
): readonly ColumnMeta[] {
  if ((statement.kind !== 'insert' && statement.kind !== 'delete') || !statement.returning)
    return [];
  const ref = statement.kind === 'insert' ? statement.table : singleTable(statement.from);
  if (ref === undefined) return [];
  const table = context.services.catalog.requireTable(
    currentDatabase(context, ref.database),
    ref.name,
  );
  const verb = statement.kind === 'delete' ? 'DELETE' : statement.replace ? 'REPLACE' : 'INSERT';
  return translateReturning(context, table, statement.returning, verb).columns;
}
