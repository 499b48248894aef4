/**
 * Sub-plan results copied to the leaves (TPC-H Q10 and Q22). A gather plan runs its sub-plans
 * first and then the merge query on the merge engine, which gathers every row the merge query
 * reads from its sharded tables (150,000 customers with their addresses and comments for Q10).
 * When the merge query, reading each sub-plan's result as a reference table, is co-located
 * (`planner/colocation.ts`), the sub-plans still run first, but their results go to the leaves
 * of the query's partitions as broadcast tables (as the Parquet file the merge engine wrote,
 * or as values), and the merge query runs there as a distributed plan: the sharded rows stay
 * where they are and only its result travels.
 *
 * A sub-plan read as a derived table (`(SELECT c1 AS k, … FROM exo_subplan_1) AS alias`, as
 * `planner/subplans.ts` writes it) is read as the table itself under that alias, its copy's
 * columns named as the derived table names them; other readers keep the `c1`…`cn` names.
 * Outside transactions only (a copy fetched outside a transaction could not see its writes),
 * for column types whose copies the leaves hold exactly, and only when every result is small
 * enough to copy (`BROADCAST_BYTES_MAX` of Parquet, `BROADCAST_ROWS_MAX` values): else the
 * gather plan runs with the results already fetched.
 */
import { randomBytes } from 'node:crypto';
import type { Query } from '../parser/ast.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import { BROADCAST_CATALOG } from '../leaf/api.js';
import { BROADCAST_BYTES_MAX, BROADCAST_ROWS_MAX, tableKey } from '../planner/broadcast.js';
import { flattenDerived } from '../planner/derived-flatten.js';
import { readSubplansAsTables } from '../planner/subplan-readers.js';
import { isSubplanName } from '../planner/subplans.js';
import { collectTableUses } from '../planner/tables.js';
import type { ResultRows } from '../protocol/backend.js';
import type { ColumnMeta } from '../values.js';
import type { StatementContext } from './context.js';
import {
  executeDistributed,
  explainDistributed,
  planDistributed,
  subplanCopyKey,
  type BroadcastTable,
  type DistributedPlan,
} from './distributed-select.js';
import { runWithCopies, type PlannedCopy } from './copy-run.js';
import { allParts } from './fan-out.js';
import type { MergeTable } from './merge-engine.js';
import { executePlan, type QueryPlan } from './select.js';
import { fetchSubplan, PARQUET_READY, type SubplanSource } from './subplan-select.js';

type GatherPlan = Extract<QueryPlan, { kind: 'gather' }>;

/** DuckDB keeps DECIMAL up to this precision. */
const DECIMAL_PRECISION_MAX = 38;

interface SubplanCopy {
  readonly source: SubplanSource;
  /** The broadcast table's name on the leaves. */
  readonly name: string;
  readonly table: TableDef;
}

/** The merge query as a distributed plan reading the sub-plans' copies. */
export interface SubplanCopyPlan {
  readonly copies: readonly SubplanCopy[];
  readonly distributed: DistributedPlan;
}

/**
 * The distributed plan of `plan`'s merge query with its sub-plans' results read as copies on
 * the leaves, or `undefined` when it would not run on the partitions that way.
 */
export function planSubplanCopies(
  context: StatementContext,
  plan: GatherPlan,
): SubplanCopyPlan | undefined {
  if (context.transaction !== undefined || plan.subplans.length === 0) return undefined;
  const copyableColumns = (source: SubplanSource): boolean =>
    source.columns.every((column) => PARQUET_READY.has(column.type) && column.kind === undefined);
  if (!plan.subplans.every(copyableColumns)) return undefined;
  const database = catalogDatabase(context, plan.query);
  if (database === undefined) return undefined;
  const read = readSubplansAsTables(plan.query);
  const statement = randomBytes(6).toString('hex');
  const copies = plan.subplans.map((source, index) => ({
    source,
    name: `exo_bc_${statement}_sp${index + 1}`,
    table: copyTable(database, source, read.names.get(source.subplan.name.toLowerCase())),
  }));
  const broadcasts = new Map<string, BroadcastTable>();
  for (const copy of copies) {
    const table = {
      table: copy.table,
      engineSql: `${quoteEngineIdentifier(BROADCAST_CATALOG)}.main.${quoteEngineIdentifier(copy.name)}`,
    };
    broadcasts.set(tableKey(copy.table), table);
    broadcasts.set(subplanCopyKey(copy.table.name), table);
  }
  // A query over one plain derived table may run on the partitions once it is merged into it;
  // its subqueries move with its FROM (TPC-H Q22's NOT EXISTS then reads a copy).
  const flat = flattenDerived(read.query, { whereSubqueries: true });
  const distributed =
    planDistributed(context, read.query, broadcasts) ??
    (flat !== undefined ? planDistributed(context, flat, broadcasts) : undefined);
  if (distributed === undefined || distributed.distribution.colocation.sharded.length === 0)
    return undefined;
  return { copies, distributed };
}

/**
 * The result of `plan` with its sub-plans' results copied to the leaves, or with them fetched
 * and gathered when they are too big to copy; `undefined` (nothing run) when the merge query
 * would not run on the partitions with them.
 */
export async function executeWithSubplanCopies(
  context: StatementContext,
  plan: GatherPlan,
): Promise<ResultRows | undefined> {
  const copyPlan = planSubplanCopies(context, plan);
  if (copyPlan === undefined) return undefined;
  const results = await allParts(plan.subplans.map((source) => fetchSubplan(context, source)));
  const fetched = new Map(plan.subplans.map((source, index) => [source, results[index]]));
  if (!results.every(copyable)) return executePlan(context, plan, fetched);
  const catalogVersion = context.services.catalog.version;
  const copies: PlannedCopy[] = copyPlan.copies.map((copy, index) => {
    const result = results[index] as MergeTable;
    return {
      name: copy.name,
      table: copy.table,
      filter: undefined,
      statement: undefined,
      // No cache key: a sub-plan's result is the statement's own.
      request: { key: undefined, catalogVersion, bytes: 0 },
      rows: {
        rows: result.rows,
        ...(result.parquet !== undefined ? { parquet: result.parquet } : {}),
      },
    };
  });
  const { distributed } = copyPlan;
  return runWithCopies(context, { targets: distributed.targets, cacheLeaves: [], copies }, () =>
    executeDistributed(context, distributed),
  );
}

/** EXPLAIN lines: the plan taken when the sub-plans' results are small enough to copy. */
export function explainSubplanCopies(context: StatementContext, plan: GatherPlan): string[] {
  const copyPlan = planSubplanCopies(context, plan);
  if (copyPlan === undefined) return [];
  const limits =
    `at most ${BROADCAST_BYTES_MAX / (1024 * 1024)} MiB as Parquet or ` +
    `${BROADCAST_ROWS_MAX.toLocaleString('en-US')} rows each`;
  return [
    `Sub-plan copies: the sub-plans below run first; when their results hold ${limits}, they are copied to the leaves and the query runs there:`,
    ...explainDistributed(copyPlan.distributed, context).map((line) => `  ${line}`),
    'Otherwise:',
  ];
}

function copyable(table: MergeTable | undefined): boolean {
  if (table === undefined) return false;
  if (table.parquet !== undefined)
    return table.parquet.reduce((sum, file) => sum + file.byteLength, 0) <= BROADCAST_BYTES_MAX;
  return table.rows.length <= BROADCAST_ROWS_MAX;
}

/** The database of the query's catalog tables, when they are in one. */
function catalogDatabase(context: StatementContext, query: Query): string | undefined {
  const databases = new Set<string>();
  for (const use of collectTableUses(query)) {
    if (use.ref.database === undefined && isSubplanName(use.ref.name)) continue;
    const database = use.ref.database ?? context.session.database;
    if (database === undefined) return undefined;
    databases.add(database.toLowerCase());
  }
  if (databases.size !== 1) return undefined;
  const [name] = databases;
  return name === undefined ? undefined : context.services.catalog.database(name)?.name;
}

/** The copy's table definition: the sub-plan's columns, named `names` when given. */
function copyTable(
  database: string,
  source: SubplanSource,
  names: readonly string[] | undefined,
): TableDef {
  return {
    database,
    name: source.subplan.name,
    storage: 'column',
    reference: true,
    columns: source.columns.map((column, index) =>
      columnDef(column, names?.[index] ?? column.name),
    ),
    primaryKey: [],
    keys: [],
    shardKey: [],
    sortKey: [],
    id: 0,
    createdAtMs: 0,
  };
}

function columnDef(meta: ColumnMeta, name: string): ColumnDef {
  const precision =
    meta.precision === undefined ? undefined : Math.min(meta.precision, DECIMAL_PRECISION_MAX);
  return {
    name,
    type: meta.type,
    mysqlType: meta.type,
    nullable: meta.nullable ?? true,
    ...(meta.length !== undefined ? { length: meta.length } : {}),
    ...(precision !== undefined ? { precision } : {}),
    ...(meta.scale !== undefined ? { scale: meta.scale } : {}),
    ...(meta.unsigned !== undefined ? { unsigned: meta.unsigned } : {}),
  };
}
