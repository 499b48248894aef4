/**
 * Sub-plans in the gather plan (`planner/subplans.ts` chooses them, after
 * `planner/decorrelate.ts` turned equality-correlated scalar aggregates into grouped derived
 * tables): each part of the query that has a better plan of its own runs first, through the
 * whole query pipeline (so it may run on one partition, co-located or in two phases on the
 * partitions, with broadcast tables, or with sub-plans of its own), and its rows become a table
 * of the merge engine, with the result's column types, read by the rest of the query.
 *
 * Inside an explicit transaction the parts run in the transaction, as the whole query would.
 */
import type { Query } from '../parser/ast.js';
import type { ResolvedTable } from '../dialect/index.js';
import { SqlError } from '../errors.js';
import { decorrelate } from '../planner/decorrelate.js';
import { planSubplans, subplanColumn, type Subplan } from '../planner/subplans.js';
import type { ColumnMeta } from '../values.js';
import type { StatementContext } from './context.js';
import type { MergeTable } from './merge-engine.js';
import { isVirtualDatabase } from './information-schema.js';
import { executeQuery, planQuery, type QueryPlan } from './select.js';
import { mergeColumnType, planFragmentGather } from './fragment-gather.js';
import { mayBroadcast } from './broadcast-select.js';

export interface SubplanSource {
  readonly subplan: Subplan;
  /** Its own plan, for EXPLAIN (broadcasts are decided when it runs). */
  readonly plan: QueryPlan;
  /** The result's columns, named as the merge table names them (`c1`…`cn`). */
  readonly columns: readonly ColumnMeta[];
}

export interface SubplannedQuery {
  /** The query the merge engine runs (the input itself when nothing changed). */
  readonly query: Query;
  readonly subplans: readonly SubplanSource[];
}

/** The query decorrelated, with the parts that run first taken out. */
export function planSubplanned(context: StatementContext, query: Query): SubplannedQuery {
  const { catalog } = context.services;
  const decorrelated = decorrelate(query, (ref) => {
    const database = ref.database ?? context.session.database;
    if (database === undefined || isVirtualDatabase(database)) return undefined;
    return catalog.table(database, ref.name)?.columns.map((column) => column.name);
  });
  const planned = new Map<Query, { plan: QueryPlan; columns: readonly ColumnMeta[] }>();
  const pushed = pushedQueries(context, decorrelated);
  const rewrite = planSubplans(decorrelated, (part) => {
    // A subquery that a co-located fragment evaluates on the partitions stays with it.
    if (pushed.has(part)) return undefined;
    let plan: QueryPlan;
    try {
      plan = planQuery(context, part);
    } catch (error) {
      // A correlated part names columns it does not have: it stays in the query.
      if (error instanceof SqlError) return undefined;
      throw error;
    }
    if (!isBetterThanGather(context, part, plan)) return undefined;
    const columns = plan.kind === 'distributed' ? plan.columns : plan.translated.columns;
    planned.set(part, { plan, columns });
    return columns.map((column) => column.name);
  });
  if (rewrite === undefined) return { query: decorrelated, subplans: [] };
  const subplans = rewrite.subplans.map((subplan) => {
    const found = planned.get(subplan.query);
    if (found === undefined) throw new Error(`sub-plan ${subplan.name} was not planned`);
    return {
      subplan,
      plan: found.plan,
      columns: found.columns.map((column, index) => ({ ...column, name: subplanColumn(index) })),
    };
  });
  return { query: rewrite.query, subplans };
}

/** The subqueries that the gather plan's fragments take to the partitions. */
function pushedQueries(context: StatementContext, query: Query): ReadonlySet<unknown> {
  const found = new Set<unknown>();
  const fragmented = planFragmentGather(context, query);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as { kind?: unknown; query?: unknown };
    if (typeof record.kind === 'string' && QUERY_KINDS.has(record.kind)) found.add(record.query);
    for (const value of Object.values(node))
      if (value !== null && typeof value === 'object') visit(value);
  };
  for (const fragment of fragmented?.fragments ?? []) visit(fragment.plan.distribution);
  return found;
}

const QUERY_KINDS: ReadonlySet<string> = new Set(['subquery', 'exists', 'quantified', 'in']);

function isBetterThanGather(context: StatementContext, query: Query, plan: QueryPlan): boolean {
  if (plan.kind !== 'gather') return true;
  if (plan.fragments.length > 0) return true;
  return context.transaction === undefined && mayBroadcast(context, query);
}

/** How the merge query's translation sees the sub-plan's table. */
export function subplanTable(source: SubplanSource): ResolvedTable {
  return { engineName: source.subplan.name, columns: source.columns };
}

/** Runs the sub-plan and returns its rows as a merge-engine table. */
export async function fetchSubplan(
  context: StatementContext,
  source: SubplanSource,
): Promise<MergeTable> {
  const result = await executeQuery(context, source.subplan.query);
  if (result.columns.length !== source.columns.length)
    throw new Error(`sub-plan ${source.subplan.name} returned an unexpected number of columns`);
  return {
    name: source.subplan.name,
    columns: source.columns.map((column) => ({
      name: column.name,
      engineType: mergeColumnType(column),
    })),
    rows: result.rows,
  };
}
