/**
 * Sub-plans in the gather plan (`planner/subplans.ts` chooses them, after
 * `planner/decorrelate.ts` turned equality-correlated scalar aggregates into grouped derived
 * tables): each part of the query that has a better plan of its own runs first, through the
 * whole query pipeline (so it may run on one partition, co-located or in two phases on the
 * partitions, with broadcast tables, or with sub-plans of its own), and its rows become a table
 * of the merge engine, with the result's column types, read by the rest of the query.
 *
 * Before the parts are chosen, LEFT JOINs whose block only aggregates the null-extended side
 * read that side pre-aggregated per join key (`planner/outer-preaggregate.ts`), as do inner
 * joins whose block aggregates one side and shows the other (`planner/inner-preaggregate.ts`),
 * and EXISTS / IN subqueries correlated by equality that no fragment
 * evaluates are narrowed to distinct keys (`planner/semijoin.ts`), which then run as parts;
 * when that would cost the query a co-located fragment, the query is planned without it.
 * Marked key reductions (`planner/semi-keys.ts`) stay in the parts and are resolved when each
 * part runs (`semi-keys.ts`); the merge query drops any left over.
 *
 * Inside an explicit transaction the parts run in the transaction, as the whole query would.
 */
import type { Query, SelectStatement, TableRefTable } from '../parser/ast.js';
import type { ResolvedTable } from '../dialect/index.js';
import { SqlError } from '../errors.js';
import { decorrelate } from '../planner/decorrelate.js';
import { isPlainCteRead, planSubplans, subplanColumn, type Subplan } from '../planner/subplans.js';
import { narrowSemijoins } from '../planner/semijoin.js';
import { mapSemiKeys } from '../planner/semi-keys.js';
import { preaggregateOuterJoins } from '../planner/outer-preaggregate.js';
import { preaggregateInnerJoins } from '../planner/inner-preaggregate.js';
import { analyzeColocation, type TableLookup } from '../planner/colocation.js';
import type { ColumnMeta } from '../values.js';
import type { StatementContext } from './context.js';
import type { MergeTable } from './merge-engine.js';
import { isVirtualDatabase } from './information-schema.js';
import {
  executePrepared,
  executeQuery,
  planQuery,
  planWithSource,
  type QueryPlan,
} from './select.js';
import type { ResultRows } from '../protocol/backend.js';
import { mergeColumnType, planFragmentGather } from './fragment-gather.js';
import { mayBroadcast } from './broadcast-select.js';
import { distributedParquet, partialTable } from './distributed-select.js';
import { resolveSemiKeys } from './semi-keys.js';
import { exactSumType } from './sum-type.js';

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
  // `WITH g AS (query) SELECT * FROM g` asks for the plain gather plan (`planner/subplans.ts`).
  if (isPlainCteRead(query)) return { query, subplans: [] };
  const { catalog } = context.services;
  const columnsOf = (ref: TableRefTable): readonly string[] | undefined => {
    const database = ref.database ?? context.session.database;
    if (database === undefined || isVirtualDatabase(database)) return undefined;
    return catalog.table(database, ref.name)?.columns.map((column) => column.name);
  };
  const lookup: TableLookup = {
    table: (ref) => {
      const database = ref.database ?? context.session.database;
      if (database === undefined || isVirtualDatabase(database)) return undefined;
      return catalog.table(database, ref.name);
    },
    partitions: (database) => catalog.database(database)?.partitions,
  };
  // Joins whose blocks aggregate one side read that side pre-aggregated per join key.
  const skip = (block: SelectStatement): boolean => analyzeColocation(block, lookup) !== undefined;
  const decorrelated = preaggregateInnerJoins(
    preaggregateOuterJoins(decorrelate(query, columnsOf), { columnsOf, skip }),
    { columnsOf, skip, sumType: exactSumType(context, lookup) },
  );
  const { pushed, fragments } = pushedQueries(context, decorrelated);
  // Semi- and anti-joins the partitions do not evaluate read distinct keys instead of rows.
  const narrowed = narrowSemijoins(decorrelated, { columnsOf, skip: (part) => pushed.has(part) });
  const planned = withSubplans(context, narrowed, pushed);
  if (narrowed === decorrelated || fragments === 0) return planned;
  // A narrowed subquery reading a sub-plan keeps its block's tables from forming fragments
  // (their joins would move to the merge engine): those fragments are worth more.
  const plain = withSubplans(context, decorrelated, pushed);
  return fragmentCount(context, planned.query) >= fragmentCount(context, plain.query)
    ? planned
    : plain;
}

function fragmentCount(context: StatementContext, query: Query): number {
  return planFragmentGather(context, query)?.fragments.length ?? 0;
}

function withSubplans(
  context: StatementContext,
  query: Query,
  pushed: ReadonlySet<unknown>,
): SubplannedQuery {
  const planned = new Map<Query, { plan: QueryPlan; columns: readonly ColumnMeta[] }>();
  const rewrite = planSubplans(query, (part) => {
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
  // Key reductions left in the merge query would only gather their tables for nothing.
  if (rewrite === undefined) return { query: mapSemiKeys(query, () => undefined), subplans: [] };
  const subplans = rewrite.subplans.map((subplan) => {
    const found = planned.get(subplan.query);
    if (found === undefined) throw new Error(`sub-plan ${subplan.name} was not planned`);
    return {
      subplan,
      plan: found.plan,
      columns: found.columns.map((column, index) => ({ ...column, name: subplanColumn(index) })),
    };
  });
  return { query: mapSemiKeys(rewrite.query, () => undefined), subplans };
}

/** The subqueries that the gather plan's fragments take to the partitions. */
function pushedQueries(
  context: StatementContext,
  query: Query,
): { readonly pushed: ReadonlySet<unknown>; readonly fragments: number } {
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
  return { pushed: found, fragments: fragmented?.fragments.length ?? 0 };
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

/**
 * Runs the sub-plan and returns its rows as a merge-engine table: as the Parquet file its own
 * merge step writes when it ends on the merge engine (a two-phase aggregate, a DISTINCT or an
 * ORDER BY of the partitions' rows), outside transactions and for columns whose values
 * Parquet and the engine's casts keep as the values path does; else as values.
 */
export async function fetchSubplan(
  context: StatementContext,
  source: SubplanSource,
  /** `values`: the caller reads the rows (a scalar inlined as a literal). */
  options: { readonly values?: boolean } = {},
): Promise<MergeTable> {
  const columns = source.columns.map((column) => ({
    name: column.name,
    engineType: mergeColumnType(column),
  }));
  const query = source.subplan.query;
  if (
    options.values !== true &&
    context.transaction === undefined &&
    source.columns.every(parquetReady)
  ) {
    // Key reductions resolved once: the values path below finds none left.
    const { prepared, plan } = planWithSource(context, await resolveSemiKeys(context, query));
    // Rows only concatenated (a semi-join's keys, distinct per partition): the partitions'
    // results are the table, as files or values (`partialTable`), with no merge step.
    if (plan.kind === 'distributed' && plan.merge === undefined) {
      const partial = await partialTable(context, plan, plan.partition.columns);
      return { ...partial, name: source.subplan.name, columns };
    }
    const parquet =
      plan.kind === 'distributed' ? await distributedParquet(context, plan) : undefined;
    if (parquet !== undefined)
      return { name: source.subplan.name, columns, rows: [], parquet: [parquet] };
    // Planned once: the query runs on the plan just made.
    return valuesTable(source, columns, await executePrepared(context, prepared, plan));
  }
  return valuesTable(source, columns, await executeQuery(context, query));
}

function valuesTable(
  source: SubplanSource,
  columns: MergeTable['columns'],
  result: ResultRows,
): MergeTable {
  if (result.columns.length !== source.columns.length)
    throw new Error(`sub-plan ${source.subplan.name} returned an unexpected number of columns`);
  return { name: source.subplan.name, columns, rows: result.rows };
}

/** Column types whose values reach the merge engine alike as Parquet and as values. */
export const PARQUET_READY: ReadonlySet<string> = new Set([
  'tinyint',
  'smallint',
  'int',
  'bigint',
  'decimal',
  'double',
  'char',
  'varchar',
  'text',
  'date',
]);

function parquetReady(column: ColumnMeta): boolean {
  return PARQUET_READY.has(column.type);
}
