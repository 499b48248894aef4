/**
 * Running a query. Three plans, chosen by `planner/`:
 * - **one partition**: a single-table query whose WHERE pins the whole shard key (or a query on
 *   a reference table) runs whole on that partition's engine;
 * - **no table**: expressions only (`SELECT 1 + 1`, `SELECT NOW()`) run on the merge engine;
 * - **gather**: every other query. Each table it reads is fetched from its partitions (rows
 *   only, never MySQL text), loaded into the aggregator's merge engine, and the whole query runs
 *   there. This is correct for every query shape (joins of any kind, subqueries, window
 *   functions, mixed rowstore/columnstore), at the cost of moving the tables' rows. The
 *   co-located parts of such a query (`planner/fragments.ts`) are joined on the partitions
 *   first and gathered as one table each (`fragment-gather.ts`).
 */
import type { Expr, Query } from '../parser/ast.js';
import { andAll, mentionedColumns, singleTableFilters } from '../planner/pushdown.js';
import { translateQuery, type ResolvedTable, type TranslatedSelect } from '../dialect/index.js';
import { coerceRows } from '../storage/coerce.js';
import { sqlError, SqlError } from '../errors.js';
import type { ResultRows } from '../protocol/backend.js';
import type { TableDef } from '../catalog/types.js';
import { duckdbType } from '../catalog/column-type.js';
import { quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import { collectTableUses, containsKind, singleTable } from '../planner/tables.js';
import { pinsUniqueKey, routePartitions } from '../planner/route.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { bindParams } from './bind-params.js';
import { readLocally } from './point-read.js';
import type { MergeTable } from './merge-engine.js';
import {
  columnMetas,
  copyTableResolver,
  translateOptions,
  sessionZoneMinutes,
} from './query-options.js';
import { substituteVariables } from './substitute.js';
import { executeWithSubplanCopies } from './subplan-copies.js';
import { virtualColumns, virtualTable, isVirtualDatabase } from './information-schema.js';
import type { PartitionTarget } from './cluster.js';
import {
  executeDistributed,
  planDistributed,
  type BroadcastTable,
  type DistributedPlan,
} from './distributed-select.js';
import { rememberPartitionShape } from './cached-query.js';
import { memoPlan } from './plan-memo.js';
import { translateForCache } from './plan-cache.js';
import { fetchFragment, planFragmentGather, type FragmentSource } from './fragment-gather.js';
import { executeBroadcast } from './broadcast-select.js';
import { fetchParquetCopy } from './copy-fetch.js';
import { allParts } from './fan-out.js';
import { expandViews } from './view-expand.js';
import { orderAggregatesByKey } from './aggregate-order.js';
import { withDerivedOrder } from './compat-derived-order.js';
import { mapSemiKeys } from '../planner/semi-keys.js';
import { resolveSemiKeys } from './semi-keys.js';
import { inlineScalarSubplans } from './subplan-scalars.js';
import {
  fetchSubplan,
  planSubplanned,
  subplanTable,
  type SubplanSource,
} from './subplan-select.js';
import { execOptions } from './exec-options.js';

const NESTED_QUERY_KINDS: ReadonlySet<string> = new Set(['subquery', 'exists', 'quantified', 'in']);

export type QueryPlan =
  | {
      readonly kind: 'partition';
      readonly table: TableDef;
      readonly target: PartitionTarget;
      readonly translated: TranslatedSelect;
      /** A rowstore query that pins a unique key: a point read (`local-reads.ts`). */
      readonly point?: boolean;
    }
  | {
      readonly kind: 'gather';
      /** The query before fragments: decorrelated, its sub-plans read as merge tables. */
      readonly query: Query;
      /** Parts of the query that run first, through the whole pipeline. */
      readonly subplans: readonly SubplanSource[];
      readonly sources: readonly GatherSource[];
      /** Co-located parts of the query that the partitions join before rows travel. */
      readonly fragments: readonly FragmentSource[];
      readonly translated: TranslatedSelect;
    }
  | DistributedPlan;

export interface GatherSource {
  readonly engineName: string;
  /** The table with only the columns the query needs. */
  readonly table?: TableDef;
  /** WHERE conjuncts partitions apply before sending rows (the table under `alias`). */
  readonly filter?: { readonly alias: string; readonly exprs: readonly Expr[] } | undefined;
  readonly virtual?: string;
  /** The system database of `virtual` (information_schema, mysql). */
  readonly virtualDatabase?: string | undefined;
  readonly resolved: ResolvedTable;
}

export async function executeQuery(context: StatementContext, query: Query): Promise<ResultRows> {
  // Marked semi-join key reductions run first and become literal lists (`semi-keys.ts`).
  const { prepared, plan } = planWithSource(context, await resolveSemiKeys(context, query));
  return executePrepared(context, prepared, plan);
}

/**
 * Runs `plan`, the plan of `source` as `planPrepared` made it from a query whose key
 * reductions are resolved (`prepareQuery`): callers that planned already do not plan again.
 */
export async function executePrepared(
  context: StatementContext,
  source: Query,
  plan: QueryPlan,
): Promise<ResultRows> {
  if (plan.kind === 'gather') {
    // Scalar sub-plans compared with a value become literals, and the query is planned again:
    // it may now run on the partitions (`subplan-scalars.ts`).
    const inlined = await inlineScalarSubplans(context, source, plan.subplans);
    if (inlined !== undefined) return executeQuery(context, inlined);
    // Small tables off the shard keys may be copied to the leaves instead (row counts decide):
    // the whole query as written first, then the merge query with its sub-plans.
    const written = substituteVariables(source, context);
    const rewritten = plan.query !== written;
    const whole = await executeBroadcast(context, written, { fragments: !rewritten });
    if (whole !== undefined) return whole;
    if (rewritten) {
      const broadcast = await executeBroadcast(context, plan.query, { subplans: plan.subplans });
      if (broadcast !== undefined) return broadcast;
    }
    // The sub-plans' results may go to the leaves instead, for the query to run there.
    const copied = await executeWithSubplanCopies(context, plan);
    if (copied !== undefined) return copied;
  }
  return executePlan(context, plan);
}

export function planQuery(context: StatementContext, source: Query): QueryPlan {
  return planPrepared(context, prepareQuery(context, source)).plan;
}

/** A prepared query (`prepareQuery`) and its plan, for `executePrepared`. */
export interface PreparedPlan {
  readonly prepared: Query;
  readonly plan: QueryPlan;
}

/** `source` prepared (`prepareQuery`) and its plan, for `executePrepared`. */
export function planWithSource(context: StatementContext, source: Query): PreparedPlan {
  return planPrepared(context, prepareQuery(context, source));
}

/**
 * The query as planned: views expanded, a plain read of one ordered as MariaDB reads it
 * (`compat-derived-order.ts`), GROUP_CONCAT ordered by key (`aggregate-order.ts`),
 * variables substituted, and marked key reductions
 * omitted (they are redundant; `executeQuery` resolves them before).
 */
export function prepareQuery(context: StatementContext, source: Query): Query {
  const expanded = orderAggregatesByKey(
    context,
    withDerivedOrder(expandViews(context, source), {
      catalog: context.services.catalog,
      database: context.session.database,
    }),
  );
  return mapSemiKeys(substituteVariables(expanded, context), () => undefined);
}

/**
 * The plan of a prepared query, whose sub-plans' queries are nodes of the query it returns with
 * it: `query` itself, or — for a plan on several partitions kept in the aggregator's memo
 * (`plan-memo.ts`) — the equal query the plan was made from.
 */
function planPrepared(context: StatementContext, query: Query): PreparedPlan {
  const one = planOnePartition(context, query);
  if (one !== undefined) return { prepared: query, plan: one };
  return memoPlan(context.services.planMemo, context, query, () => ({
    prepared: query,
    plan: planDistributed(context, query) ?? planSubplannedGather(context, query),
  }));
}

/** The gather plan of the query decorrelated, with its sub-plans (`subplan-select.ts`). */
function planSubplannedGather(
  context: StatementContext,
  query: Query,
): Extract<QueryPlan, { kind: 'gather' }> {
  const subplanned = planSubplanned(context, query);
  if (subplanned.query === query) return planGather(context, query);
  return planGather(context, subplanned.query, { subplans: subplanned.subplans });
}

/** Runs `plan`; `fetched`: results of its sub-plans that ran already. */
export async function executePlan(
  context: StatementContext,
  plan: QueryPlan,
  fetched?: ReadonlyMap<SubplanSource, MergeTable | undefined>,
): Promise<ResultRows> {
  if (plan.kind === 'distributed') return executeDistributed(context, plan);
  if (plan.kind === 'partition') {
    const { translated, table, target } = plan;
    const local = readLocally(context, plan);
    if (local !== undefined) return { kind: 'rows', columns: translated.columns, rows: local.rows };
    const [result] = await context.services.cluster.exec(
      [target],
      table.storage,
      () => ({
        sql: translated.sql,
        params: bindParams(translated.params, context.params),
        columns: translated.columns,
        ...(context.lockReads === true ? { lock: true } : {}),
      }),
      execOptions(context, false, context.transaction),
    );
    if (result === undefined) throw new Error('no result from partition');
    return { kind: 'rows', columns: translated.columns, rows: result.rows };
  }
  const tables = await gatherTables(context, plan, fetched);
  const result = await context.services.merge.run(
    tables,
    plan.translated.sql,
    bindParams(plan.translated.params, context.params),
    context.signal,
  );
  coerceRows(result.rows, plan.translated.columns);
  return { kind: 'rows', columns: plan.translated.columns, rows: result.rows };
}

/**
 * The merge tables of a gather plan: its sub-plans' results, its fragments' and its tables'
 * rows (as Parquet files where `partial-fetch.ts` and `copy-fetch.ts` allow). Outside
 * transactions they are fetched at once; a transaction's statements run one at a time.
 */
async function gatherTables(
  context: StatementContext,
  plan: Extract<QueryPlan, { kind: 'gather' }>,
  fetched?: ReadonlyMap<SubplanSource, MergeTable | undefined>,
): Promise<MergeTable[]> {
  const subplan = (source: SubplanSource): Promise<MergeTable> => {
    const found = fetched?.get(source);
    return found !== undefined ? Promise.resolve(found) : fetchSubplan(context, source);
  };
  const parts: (() => Promise<MergeTable>)[] = [
    ...plan.subplans.map((source) => () => subplan(source)),
    ...plan.fragments.map((fragment) => () => fetchFragment(context, fragment)),
    ...plan.sources.map((source) => () => fetchSource(context, source)),
  ];
  if (context.transaction === undefined) return allParts(parts.map((part) => part()));
  const tables: MergeTable[] = [];
  for (const part of parts) tables.push(await part());
  return tables;
}

async function fetchSource(context: StatementContext, source: GatherSource): Promise<MergeTable> {
  if (source.virtual !== undefined) {
    const virtual = await virtualTable(context, source.virtual, source.virtualDatabase);
    return { name: source.engineName, columns: virtual.engineColumns, rows: virtual.rows };
  }
  const table = source.table;
  if (table === undefined) throw new Error(`gather source ${source.engineName} has no table`);
  const columns = table.columns.map((column) => ({
    name: column.name,
    engineType: duckdbType(column),
  }));
  const parquet = await fetchParquetCopy(context, table, source.filter);
  if (parquet !== undefined) return { name: source.engineName, columns, rows: [], parquet };
  return {
    name: source.engineName,
    columns,
    rows: await fetchTableRows(context, table, source.filter),
  };
}

function resolveTableDef(
  context: StatementContext,
  database: string | undefined,
  name: string,
): TableDef | undefined {
  const db = database ?? context.session.database;
  if (db === undefined) throw sqlError('NO_DB', 'No database selected');
  return context.services.catalog.table(db, name);
}

/** The single-partition plan, when it applies. */
function planOnePartition(context: StatementContext, query: Query): QueryPlan | undefined {
  if (query.kind !== 'select') return undefined;
  const ref = singleTable(query.from);
  if (ref === undefined || containsKind(query, NESTED_QUERY_KINDS)) return undefined;
  if (isVirtualDatabase(ref.database ?? context.session.database)) return undefined;
  const table = resolveTableDef(context, ref.database, ref.name);
  if (table === undefined) return undefined;
  const { cluster, catalog } = context.services;
  const database = catalog.requireDatabase(table.database);
  let target: PartitionTarget | undefined;
  if (table.reference) target = cluster.referencePartitions(database)[0];
  else {
    const ordinals = routePartitions({
      where: query.where,
      table,
      name: ref.alias ?? ref.name,
      params: context.params,
      partitions: database.partitions,
      zoneMinutes: sessionZoneMinutes(context),
    });
    if (ordinals === undefined || ordinals.length !== 1) return undefined;
    target = cluster.partition(database, ordinals[0] ?? 0);
  }
  if (target === undefined) return undefined;
  const dialect = table.storage === 'column' ? 'duckdb' : 'sqlite';
  try {
    const { result: translated, reusable } = translateForCache(
      context,
      translateOptions(context, dialect, (db, name) => {
        const found = resolveTableDef(context, db, name);
        return found === undefined
          ? undefined
          : { engineName: found.name, columns: columnMetas(found) };
      }),
      (options) => translateQuery(query, options),
    );
    const name = ref.alias ?? ref.name;
    const point = table.storage === 'row' && pinsUniqueKey(query.where, table, name);
    if (reusable) rememberPartitionShape(context, query, { table, name, translated, point });
    return { kind: 'partition', table, target, translated, point };
  } catch (error) {
    if (error instanceof SqlError && error.errno === 1235) return undefined;
    throw error;
  }
}

/**
 * The gather plan: fetch each table's rows, finish the query on the merge engine. Co-located
 * fragments of the query (`planner/fragments.ts`) are joined on the partitions first and
 * gathered as one table each.
 */
export function planGather(
  context: StatementContext,
  source: Query,
  options: {
    readonly broadcasts?: ReadonlyMap<string, BroadcastTable>;
    readonly subplans?: readonly SubplanSource[];
  } = {},
): Extract<QueryPlan, { kind: 'gather' }> {
  const subplans = options.subplans ?? [];
  const subplanOf = (database: string | undefined, name: string): SubplanSource | undefined =>
    database === undefined || database === context.session.database
      ? subplans.find((entry) => entry.subplan.name === name.toLowerCase())
      : undefined;
  const fragmented = planFragmentGather(context, source, options.broadcasts);
  const query = fragmented?.query ?? source;
  const fragments = new Map(
    (fragmented?.fragments ?? []).map((fragment) => [fragment.name.toLowerCase(), fragment]),
  );
  // The translator qualifies unqualified names with the session's database.
  const fragmentOf = (database: string | undefined, name: string): FragmentSource | undefined =>
    database === undefined || database === context.session.database
      ? fragments.get(name.toLowerCase())
      : undefined;
  const sources = new Map<string, GatherSource>();
  const mentioned = mentionedColumns(query);
  const filters = singleTableFilters(
    query,
    (ref) =>
      fragmentOf(ref.database, ref.name)?.plan.columns.map((column) => column.name) ??
      resolveTableDef(context, ref.database, ref.name)?.columns.map((column) => column.name),
  );
  const outerFrom = query.kind === 'select' ? (query.from ?? []) : [];
  for (const use of collectTableUses(query)) {
    if (fragmentOf(use.ref.database, use.ref.name) !== undefined) continue;
    if (subplanOf(use.ref.database, use.ref.name) !== undefined) continue;
    const database = use.ref.database ?? context.session.database;
    const useName = (use.ref.alias ?? use.ref.name).toLowerCase();
    // A table read once, in the outermost FROM, may take that FROM's filters.
    const pushed =
      outerFrom.length > 0 && collectTableUses(outerFrom).some((outer) => outer.ref === use.ref)
        ? filters.get(useName)
        : undefined;
    const key = `${(database ?? '').toLowerCase()}.${use.ref.name.toLowerCase()}`;
    const existing = sources.get(key);
    if (existing !== undefined) {
      // The same table read twice: fetch it once, unfiltered.
      if (existing.filter !== undefined) sources.set(key, { ...existing, filter: undefined });
      continue;
    }
    const engineName = `t${sources.size + 1}_${use.ref.name}`;
    if (isVirtualDatabase(database)) {
      sources.set(key, {
        engineName,
        virtual: use.ref.name,
        virtualDatabase: database,
        resolved: { engineName, columns: virtualColumns(use.ref.name, database) },
      });
      continue;
    }
    const table = resolveTableDef(context, database, use.ref.name);
    if (table === undefined)
      throw sqlError('NO_SUCH_TABLE', `Table '${database ?? ''}.${use.ref.name}' doesn't exist`);
    const kept =
      mentioned === undefined
        ? table.columns
        : table.columns.filter((column) => mentioned.has(column.name.toLowerCase()));
    const columns = kept.length > 0 ? kept : table.columns.slice(0, 1);
    const narrowed: TableDef = { ...table, columns };
    sources.set(key, {
      engineName,
      table: narrowed,
      resolved: { engineName, columns: columnMetas(narrowed) },
      ...(pushed !== undefined && pushed.length > 0
        ? { filter: { alias: use.ref.alias ?? use.ref.name, exprs: pushed } }
        : {}),
    });
  }
  const translated = translateQuery(
    query,
    translateOptions(context, 'duckdb', (db, name) => {
      const fragment = fragmentOf(db, name);
      if (fragment !== undefined)
        return { engineName: fragment.name, columns: fragment.plan.columns };
      const subplan = subplanOf(db, name);
      if (subplan !== undefined) return subplanTable(subplan);
      const database = db ?? context.session.database;
      return sources.get(`${(database ?? '').toLowerCase()}.${name.toLowerCase()}`)?.resolved;
    }),
  );
  return {
    kind: 'gather',
    query: source,
    subplans,
    sources: [...sources.values()],
    fragments: [...fragments.values()],
    translated,
  };
}

/**
 * The rows of a table from each of its partitions (one of them for a reference table): the
 * table's columns (as narrowed by the caller), filtered by `filter` on the partitions.
 */
export async function fetchTableRows(
  context: StatementContext,
  table: TableDef,
  filter?: { readonly alias: string; readonly exprs: readonly Expr[] },
  known?: { readonly statement: RowsStatement | undefined },
): Promise<SqlValue[][]> {
  const { cluster, catalog } = context.services;
  const database = catalog.requireDatabase(table.database);
  const targets = table.reference
    ? cluster.referencePartitions(database).slice(0, 1)
    : cluster.partitions(database);
  const columns = columnMetas(table);
  // `known`: the statement its caller made already (translating a long key list costs).
  const statement =
    known !== undefined ? known.statement : tableRowsStatement(context, table, filter);
  // A filter the partition's engine cannot express is applied by the merge engine instead.
  if (statement === undefined) return fetchTableRows(context, table);
  const { sql, params } = statement;
  const lock = context.lockReads === true ? { lock: true } : {};
  const results = await cluster.exec(
    targets,
    table.storage,
    () => ({ sql, params, columns, ...lock }),
    execOptions(context, false, context.transaction),
  );
  return results.flatMap((result) => result.rows as SqlValue[][]);
}

/** An engine statement reading a table's rows (`tableRowsStatement`). */
export interface RowsStatement {
  readonly sql: string;
  readonly params: SqlValue[];
}

/**
 * The engine statement selecting the table's columns (in order, named as the columns) with the
 * filter, or `undefined` when the partition's engine cannot express the filter.
 */
export function tableRowsStatement(
  context: StatementContext,
  table: TableDef,
  filter?: { readonly alias: string; readonly exprs: readonly Expr[] },
): RowsStatement | undefined {
  const where = filter === undefined ? undefined : andAll(filter.exprs);
  if (where === undefined || filter === undefined) {
    const list = table.columns.map((column) => quoteEngineIdentifier(column.name)).join(', ');
    return { sql: `SELECT ${list} FROM ${quoteEngineIdentifier(table.name)}`, params: [] };
  }
  const query: Query = {
    kind: 'select',
    distinct: false,
    // The values as stored (TIMESTAMP in UTC): the copy is read as the table itself is.
    columns: table.columns.map((column) => ({
      expr: { kind: 'column', table: filter.alias, column: column.name, stored: true },
      alias: column.name,
    })),
    from: [{ kind: 'table', name: table.name, database: table.database, alias: filter.alias }],
    where,
    groupBy: [],
    withRollup: false,
    windows: [],
    orderBy: [],
  };
  try {
    const translated = translateQuery(
      query,
      translateOptions(
        context,
        table.storage === 'column' ? 'duckdb' : 'sqlite',
        copyTableResolver(context, table),
      ),
    );
    return { sql: translated.sql, params: bindParams(translated.params, context.params) };
  } catch (error) {
    if (!(error instanceof SqlError && error.errno === 1235)) throw error;
    return undefined;
  }
}
