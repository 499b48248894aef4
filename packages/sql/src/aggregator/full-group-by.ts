/**
 * sql_mode ONLY_FULL_GROUP_BY, checked once on a query as the user wrote it (views expanded)
 * before it is planned. The plans translate rewritten queries — joins moved into fragments,
 * sub-plans read as merge tables — where the keys and equalities that make a column
 * functionally dependent (dialect/group-dependencies.ts) are no longer visible, so their
 * translations only wrap ungrouped columns and never refuse them.
 */
import type { Query } from '../parser/ast.js';
import { translateQuery } from '../dialect/index.js';
import { aggregateNames } from '../dialect/functions/aggregates.js';
import { SqlError } from '../errors.js';
import type { StatementContext } from './context.js';
import { columnMetas, translateOptions } from './query-options.js';
import { expandViews } from './view-expand.js';

/** ER_WRONG_FIELD_WITH_GROUP and ER_MIX_OF_GROUP_FUNC_AND_FIELDS. */
const REFUSALS: ReadonlySet<number> = new Set([1055, 1140]);

export function onlyFullGroupBy(context: StatementContext): boolean {
  return /(^|,)ONLY_FULL_GROUP_BY(,|$)/i.test(
    String(context.session.variables.get('sql_mode') ?? ''),
  );
}

/**
 * Throws MySQL's 1055/1140 when `query` (views expanded here) shows a column its grouping does
 * not determine.
 */
export function checkFullGroupBy(context: StatementContext, query: Query): void {
  if (!onlyFullGroupBy(context) || !aggregates(query)) return;
  const options = translateOptions(context, 'duckdb', (database, name) => {
    const db = database ?? context.session.database;
    const table = db === undefined ? undefined : context.services.catalog.table(db, name);
    return table === undefined
      ? undefined
      : { engineName: table.name, columns: columnMetas(table) };
  });
  try {
    translateQuery(expandViews(context, query), { ...options, onlyFullGroupBy: true });
  } catch (error) {
    // Anything else (a table of information_schema, an unknown column) is the plan's to report.
    if (error instanceof SqlError && REFUSALS.has(error.errno)) throw error;
  }
}

/** True when some block of `node` groups or aggregates. */
function aggregates(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(aggregates);
  if (node === null || typeof node !== 'object') return false;
  const fields = node as { kind?: unknown; name?: unknown; groupBy?: unknown };
  if (fields.kind === 'select' && Array.isArray(fields.groupBy) && fields.groupBy.length > 0)
    return true;
  if (
    fields.kind === 'call' &&
    typeof fields.name === 'string' &&
    aggregateNames.has(fields.name.toUpperCase())
  )
    return true;
  return Object.values(node).some(
    (value) => value !== null && typeof value === 'object' && aggregates(value),
  );
}
