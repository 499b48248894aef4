/**
 * Row counts for the broadcast choice (`planner/broadcast.ts`): COUNT(*) of a table with the
 * WHERE conjuncts that filter it alone, summed over its partitions. DuckDB answers a plain
 * COUNT(*) from its row-group metadata and a filtered one with a scan of the filter's columns,
 * both far cheaper than moving the rows.
 */
import { countCacheOf } from './count-cache.js';
import type { Expr, Query } from '../parser/ast.js';
import { translateQuery } from '../dialect/index.js';
import type { TableDef } from '../catalog/types.js';
import { andAll } from '../planner/pushdown.js';
import { SqlError, sqlError } from '../errors.js';
import type { StatementContext } from './context.js';
import { copyTableResolver, translateOptions } from './query-options.js';
import { execOptions } from './exec-options.js';

export interface TableFilter {
  readonly alias: string;
  readonly exprs: readonly Expr[];
}

export async function countRows(
  context: StatementContext,
  table: TableDef,
  filter: TableFilter | undefined,
): Promise<number> {
  const { cluster, catalog } = context.services;
  const alias = filter?.alias ?? table.name;
  const where = filter === undefined ? undefined : andAll(filter.exprs);
  const query: Query = {
    kind: 'select',
    distinct: false,
    columns: [{ expr: { kind: 'call', name: 'COUNT', args: [], star: true }, alias: 'n' }],
    from: [{ kind: 'table', name: table.name, database: table.database, alias }],
    ...(where !== undefined ? { where } : {}),
    groupBy: [],
    withRollup: false,
    windows: [],
    orderBy: [],
  };
  let translated;
  try {
    translated = translateQuery(
      query,
      translateOptions(context, 'duckdb', copyTableResolver(context, table)),
    );
  } catch (error) {
    // A filter the engine cannot express: count the whole table.
    if (error instanceof SqlError && error.errno === 1235 && filter !== undefined)
      return countRows(context, table, undefined);
    throw error;
  }
  const params = translated.params.map((index) => {
    const value = context.params[index];
    if (value === undefined)
      throw sqlError('WRONG_ARGUMENTS', 'Incorrect arguments to mysqld_stmt_execute');
    return value;
  });
  const database = catalog.requireDatabase(table.database);
  const count = async (): Promise<number> => {
    const results = await cluster.exec(
      cluster.partitions(database),
      'column',
      () => ({ sql: translated.sql, params }),
      execOptions(context, false, undefined),
    );
    let total = 0;
    for (const result of results) total += Number(result.rows[0]?.[0] ?? 0);
    return total;
  };
  // Counts with parameters depend on the execution's values: never cached.
  if (params.length > 0) return count();
  const key = { catalogVersion: catalog.version, text: `${database.name}\n${translated.sql}` };
  return countCacheOf(cluster).count(key, count);
}
