/**
 * INSERT/REPLACE … RETURNING (MariaDB 10.5): a result set of the RETURNING items over the rows
 * the statement wrote (DELETE … RETURNING evaluates its items here too: `delete-returning.ts`). The aggregator holds each written row whole — defaults, AUTO_INCREMENT
 * values and conversions applied (`insert.ts` completeRows) — so the items run on the merge
 * engine over those rows, loaded as a table that the items name as the target table. INSERT
 * IGNORE returns the rows it kept; ON DUPLICATE KEY UPDATE each row as the upsert left it
 * (inserted or updated: the engine upsert's own RETURNING, `upsert-row.ts`), in statement order.
 */
import type { SelectItem, SelectStatement, Statement } from '../parser/ast.js';
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
 * column is 1054 "in 'RETURNING'", as MariaDB names the clause.
 */
export function translateReturning(
  context: StatementContext,
  table: TableDef,
  items: readonly SelectItem[],
): TranslatedSelect {
  try {
    return translateItems(context, table, items);
  } catch (error) {
    if (error instanceof SqlError && error.errno === BAD_FIELD)
      throw sqlError('BAD_FIELD', error.message.replace(/in '[^']*'$/, "in 'RETURNING'"));
    throw error;
  }
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
  return translateReturning(context, table, statement.returning).columns;
}
