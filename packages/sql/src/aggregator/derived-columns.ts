/**
 * A derived table's result columns, as the partitions' DuckDB statement would type them: what
 * `planner/group-local.ts` reads a partition-local derived table's columns as.
 */
import type { SelectStatement } from '../parser/ast.js';
import { translateQuery } from '../dialect/index.js';
import type { TableDef } from '../catalog/types.js';
import type { ColumnMeta } from '../values.js';
import type { StatementContext } from './context.js';
import { columnMetas, translateOptions } from './query-options.js';

/** `undefined` when the partitions could not run it: the query then keeps the gather plan. */
export function derivedColumns(
  context: StatementContext,
  select: SelectStatement,
  lookupTable: (database: string | undefined, name: string) => TableDef | undefined,
): readonly ColumnMeta[] | undefined {
  try {
    return translateQuery(
      select,
      translateOptions(context, 'duckdb', (db, name) => {
        const table = lookupTable(db, name);
        return table === undefined
          ? undefined
          : { engineName: table.name, columns: columnMetas(table) };
      }),
    ).columns;
  } catch {
    return undefined;
  }
}
