/**
 * Running a query on its partitions (`planner/distribute.ts` decides the shape): each
 * partition runs one engine statement over its own rows (co-located tables, and reference
 * tables through the leaf's reference partition, attached to the same DuckDB), and the
 * aggregator concatenates the partitions' rows or finishes on its merge engine: the merge of
 * ORDER BY/LIMIT/DISTINCT, or the second phase of aggregation.
 */
import type { Expr, Query, SelectStatement } from '../parser/ast.js';
import {
  inferType,
  translateQuery,
  type MyType,
  type ResolvedTable,
  type TranslatedSelect,
} from '../dialect/index.js';
import { isNumeric } from '../dialect/type-rules.js';
import { SqlError } from '../errors.js';
import type { ResultRows } from '../protocol/backend.js';
import type { TableDef } from '../catalog/types.js';
import { duckdbType } from '../catalog/column-type.js';
import { quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import { REFERENCE_ORDINAL } from '../leaf/api.js';
import { duckAlias } from '../storage/names.js';
import { coerceRows } from '../storage/coerce.js';
import { planDistribution, PARTIAL_TABLE, type Distribution } from '../planner/distribute.js';
import { GROUPS_TABLE } from '../planner/two-phase.js';
import { tableKey } from '../planner/broadcast.js';
import { isSubplanName } from '../planner/subplans.js';
import type { ColumnMeta, SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { bindParams } from './bind-params.js';
import type { PartitionTarget } from './cluster.js';
import { columnMetas, translateOptions } from './query-options.js';
import { isVirtualDatabase } from './information-schema.js';
import { combineSql } from './distributed-combine.js';
import type { MergeTable } from './merge-engine.js';
import {
  fetchPartialParquet,
  notePartialFiles,
  notePartialRows,
  partialParquetReadable,
  partialsSmallLastTime,
} from './partial-fetch.js';
import { shownName } from './temporary-tables.js';
import { derivedColumns } from './derived-columns.js';
import { execOptions } from './exec-options.js';

export interface DistributedPlan {
  readonly kind: 'distributed';
  readonly distribution: Distribution;
  readonly targets: readonly PartitionTarget[];
  /** What every target runs. */
  readonly partition: TranslatedSelect;
  /** The aggregator's step over the partitions' rows; absent when they are concatenated. */
  readonly merge?: {
    readonly sql: string;
    readonly params: readonly number[];
    readonly partialColumns: readonly ColumnMeta[];
  };
  readonly columns: ColumnMeta[];
  /** The partition statement with the result's columns (what prepared statements describe). */
  readonly translated: TranslatedSelect;
}

type PlanParts = Omit<DistributedPlan, 'translated'>;

function withResult(parts: PlanParts): DistributedPlan {
  return {
    ...parts,
    translated: {
      sql: parts.partition.sql,
      params: parts.partition.params,
      columns: parts.columns,
    },
  };
}

const DECIMAL_PRECISION_MAX = 38;

/** The distributed plan, when the query's tables are co-located and its parts translate. */
/**
 * A small sharded table copied to every leaf for one statement (`broadcast-select.ts`): the
 * plan reads it as a reference table, under `engineSql`, with the narrowed `table`'s columns.
 */
export interface BroadcastTable {
  readonly table: TableDef;
  readonly engineSql: string;
}

/** The key of a sub-plan's copy among a plan's broadcast tables (unqualified references). */
export function subplanCopyKey(name: string): string {
  return `subplan:${name.toLowerCase()}`;
}

export function planDistributed(
  context: StatementContext,
  query: Query,
  /** Keyed by `tableKey` (`planner/broadcast.ts`), sub-plan copies by `subplanCopyKey`. */
  broadcasts?: ReadonlyMap<string, BroadcastTable>,
): DistributedPlan | undefined {
  const parts = planParts(context, query, broadcasts);
  return parts === undefined ? undefined : withResult(parts);
}

function planParts(
  context: StatementContext,
  query: Query,
  broadcasts: ReadonlyMap<string, BroadcastTable> | undefined,
): PlanParts | undefined {
  const { catalog, cluster } = context.services;
  const broadcastOf = (table: TableDef): BroadcastTable | undefined =>
    broadcasts?.get(tableKey(table));
  const lookupTable = (database: string | undefined, name: string): TableDef | undefined => {
    // A sub-plan's result copied to the leaves (`subplan-copies.ts`) is read by its name.
    const copied = isSubplanName(name) ? broadcasts?.get(subplanCopyKey(name)) : undefined;
    if (copied !== undefined) return { ...copied.table, reference: true };
    const db = database ?? context.session.database;
    if (db === undefined || isVirtualDatabase(db)) return undefined;
    const table = catalog.table(db, name);
    return table !== undefined && broadcastOf(table) !== undefined
      ? { ...table, reference: true }
      : table;
  };
  const distribution = planDistribution(
    query,
    {
      table: (ref) => lookupTable(ref.database, ref.name),
      partitions: (database) => catalog.database(database)?.partitions,
      derived: (select) => derivedColumns(context, select, lookupTable),
    },
    context.params,
  );
  if (distribution === undefined) return undefined;
  const { colocation } = distribution;
  const onShards = colocation.sharded.length > 0;
  // A transaction's own writes to a reference table live in its reference-partition
  // transaction, which a partition's statement cannot see.
  if (onShards && colocation.references.length > 0 && context.transaction !== undefined)
    return undefined;
  const database = catalog.requireDatabase(colocation.database);
  const targets = onShards
    ? cluster.partitions(database)
    : cluster.referencePartitions(database).slice(0, 1);
  const resolve = (db: string | undefined, name: string): ResolvedTable | undefined => {
    const table = lookupTable(db, name);
    if (table === undefined) return undefined;
    const broadcast = broadcastOf(table);
    if (broadcast !== undefined)
      return {
        engineName: table.name,
        columns: columnMetas(broadcast.table),
        engineSql: broadcast.engineSql,
      };
    const reference = onShards && table.reference;
    return {
      engineName: table.name,
      columns: columnMetas(table),
      ...(reference
        ? {
            engineSql: `${quoteEngineIdentifier(duckAlias({ database: table.database, ordinal: REFERENCE_ORDINAL }))}.main.${quoteEngineIdentifier(table.name)}`,
          }
        : {}),
    };
  };
  try {
    const translate = (
      select: SelectStatement,
      tables: (name: string) => ResolvedTable | undefined,
    ): TranslatedSelect =>
      translateQuery(
        select,
        translateOptions(context, 'duckdb', (_db, name) => tables(name)),
      );
    switch (distribution.kind) {
      case 'whole': {
        const partition = translate(distribution.query, (name) => resolve(undefined, name));
        return {
          kind: 'distributed',
          distribution,
          targets,
          partition,
          columns: partition.columns,
        };
      }
      case 'rows': {
        const partition = translateQuery(
          distribution.partitionQuery,
          translateOptions(context, 'duckdb', resolve),
        );
        const visible = partition.columns.length - distribution.hidden.length;
        const columns = partition.columns.slice(0, visible);
        const merge = distribution.merge;
        if (merge === undefined)
          return { kind: 'distributed', distribution, targets, partition, columns };
        const partialColumns = partition.columns.map((column, index) => ({
          ...column,
          name:
            index < visible ? `exo_c${index + 1}` : (distribution.hidden[index - visible] ?? ''),
        }));
        const mergeQuery: SelectStatement = {
          kind: 'select',
          distinct: merge.distinct,
          columns: columns.map((column, index) => ({
            expr: { kind: 'column', column: `exo_c${index + 1}` },
            alias: column.name,
          })),
          from: [{ kind: 'table', name: PARTIAL_TABLE }],
          groupBy: [],
          withRollup: false,
          windows: [],
          orderBy: merge.orderBy.map((key) => {
            const column: Expr =
              'position' in key
                ? key.binary === true
                  ? { kind: 'column', column: `exo_c${key.position}` }
                  : { kind: 'literal', type: 'int', value: key.position, raw: String(key.position) }
                : { kind: 'column', column: key.hidden };
            const expr: Expr =
              key.binary === true
                ? { kind: 'collate', expr: column, collation: 'utf8mb4_bin' }
                : column;
            return {
              expr,
              desc: key.desc,
              ...(key.nulls !== undefined ? { nulls: key.nulls } : {}),
            };
          }),
          ...(merge.limit !== undefined ? { limit: merge.limit } : {}),
        };
        const translated = translate(mergeQuery, (name) =>
          name === PARTIAL_TABLE
            ? { engineName: PARTIAL_TABLE, columns: partialColumns, transparent: true }
            : undefined,
        );
        return {
          kind: 'distributed',
          distribution,
          targets,
          partition,
          merge: { sql: translated.sql, params: translated.params, partialColumns },
          columns,
        };
      }
      case 'twoPhase':
        return planTwoPhaseSteps(context, distribution, targets, resolve);
    }
  } catch (error) {
    // A part the engine cannot run there leaves the query to the gather plan.
    if (error instanceof SqlError && error.errno === 1235) return undefined;
    throw error;
  }
}

function planTwoPhaseSteps(
  context: StatementContext,
  distribution: Extract<Distribution, { kind: 'twoPhase' }>,
  targets: readonly PartitionTarget[],
  resolve: (db: string | undefined, name: string) => ResolvedTable | undefined,
): PlanParts | undefined {
  const options = translateOptions(context, 'duckdb', resolve);
  const partition = translateQuery(distribution.partitionQuery, options);
  const meta = (name: string): ColumnMeta | undefined =>
    partition.columns.find((column) => column.name === name);
  for (const aggregate of distribution.aggregates) {
    // SUM and AVG of DISTINCT strings convert each value to a number first: not combined here.
    if (aggregate.kind !== 'sumDistinct' && aggregate.kind !== 'avgDistinct') continue;
    const input = meta(aggregate.inputs[0] ?? '');
    if (input === undefined || !isNumeric(typeOf(input))) return undefined;
  }
  const scope = {
    tables: distribution.colocation.top.tables.map((use) => ({
      name: use.name,
      columns: use.metas ?? columnMetas(use.table),
    })),
  };
  const keyColumns = distribution.keyNames.map((name) => {
    const found = meta(name);
    if (found === undefined) throw new Error(`partition key ${name} is missing`);
    return found;
  });
  const aggregateColumns = distribution.aggregates.map((aggregate) =>
    columnOf(aggregate.name, inferType(aggregate.call, { ...options, scope })),
  );
  const groups = [...keyColumns, ...aggregateColumns];
  const final = translateQuery(
    distribution.finalQuery,
    translateOptions(context, 'duckdb', (_db, name) =>
      name === GROUPS_TABLE
        ? { engineName: GROUPS_TABLE, columns: groups, transparent: true }
        : undefined,
    ),
  );
  const combine = combineSql({
    keyNames: distribution.keyNames,
    aggregates: distribution.aggregates,
    partialColumns: partition.columns,
  });
  return {
    kind: 'distributed',
    distribution,
    targets,
    partition,
    merge: {
      sql: `WITH ${quoteEngineIdentifier(GROUPS_TABLE)} AS (${combine}) ${final.sql}`,
      params: final.params,
      partialColumns: partition.columns,
    },
    columns: final.columns,
  };
}

function typeOf(column: ColumnMeta): MyType {
  return {
    type: column.type,
    ...(column.precision !== undefined ? { precision: column.precision } : {}),
    ...(column.scale !== undefined ? { scale: column.scale } : {}),
    ...(column.unsigned !== undefined ? { unsigned: column.unsigned } : {}),
  };
}

function columnOf(name: string, type: MyType): ColumnMeta {
  return {
    name,
    type: type.type === 'null' ? 'varchar' : type.type,
    ...(type.length !== undefined ? { length: type.length } : {}),
    ...(type.precision !== undefined ? { precision: type.precision } : {}),
    ...(type.scale !== undefined ? { scale: type.scale } : {}),
    ...(type.unsigned !== undefined ? { unsigned: type.unsigned } : {}),
    nullable: type.nullable ?? true,
  };
}

function engineType(column: ColumnMeta): string {
  const precision =
    column.precision === undefined ? undefined : Math.min(column.precision, DECIMAL_PRECISION_MAX);
  return duckdbType({
    ...column,
    mysqlType: column.type,
    ...(precision !== undefined ? { precision } : {}),
  });
}

export async function executeDistributed(
  context: StatementContext,
  plan: DistributedPlan,
): Promise<ResultRows> {
  const merge = plan.merge;
  if (merge === undefined) {
    const rows = await partitionRows(context, plan);
    return { kind: 'rows', columns: plan.columns, rows };
  }
  const partial = await partialTable(context, plan, merge.partialColumns);
  const result = await context.services.merge.run(
    [partial],
    merge.sql,
    bindParams(merge.params, context.params),
    context.signal,
  );
  coerceRows(result.rows, plan.columns);
  return { kind: 'rows', columns: plan.columns, rows: result.rows };
}

/**
 * The result of a plan finished on the merge engine, as one Parquet file written there (for a
 * merge table of another query), or `undefined` when the plan has no merge step or binds
 * parameters in it.
 */
export async function distributedParquet(
  context: StatementContext,
  plan: DistributedPlan,
): Promise<Uint8Array | undefined> {
  const merge = plan.merge;
  if (merge === undefined || merge.params.length > 0) return undefined;
  const partial = await partialTable(context, plan, merge.partialColumns);
  return context.services.merge.runToParquet([partial], merge.sql, context.signal);
}

/** The partitions' rows, concatenated in target order. */
async function partitionRows(
  context: StatementContext,
  plan: DistributedPlan,
): Promise<SqlValue[][]> {
  const params = bindParams(plan.partition.params, context.params);
  const results = await context.services.cluster.exec(
    plan.targets,
    'column',
    () => ({ sql: plan.partition.sql, params, columns: plan.partition.columns }),
    execOptions(context, false, context.transaction),
  );
  return results.flatMap((result) => result.rows as SqlValue[][]);
}

/**
 * The partitions' results (the partition statement's rows, before any merge step) as one
 * merge-engine table named `name`, with `columns`: as Parquet files where `partial-fetch.ts`
 * allows, else as values.
 */
export async function partialTable(
  context: StatementContext,
  plan: DistributedPlan,
  columns: readonly ColumnMeta[],
  name: string = PARTIAL_TABLE,
): Promise<MergeTable> {
  const engineColumns = columns.map((column) => ({
    name: column.name,
    engineType: engineType(column),
  }));
  if (columns.length === plan.partition.columns.length && partialsAsParquet(context, plan)) {
    const parquet = await fetchPartialParquet(context, plan.targets, {
      sql: plan.partition.sql,
      engineTypes: engineColumns.map((column) => column.engineType),
    });
    notePartialFiles(plan, parquet);
    return { name, columns: engineColumns, rows: [], parquet };
  }
  const rows = await partitionRows(context, plan);
  notePartialRows(plan, rows.length);
  return { name, columns: engineColumns, rows };
}

/** Whether the partitions' results travel as Parquet files (`partial-fetch.ts`). */
export function partialsAsParquet(context: StatementContext, plan: DistributedPlan): boolean {
  const { distribution } = plan;
  const { colocation } = distribution;
  // Aggregates without GROUP BY: one row per partition, cheaper as values than as files.
  if (distribution.kind === 'twoPhase' && distribution.keyNames.length === 0) return false;
  return (
    !partialsSmallLastTime(plan) &&
    partialParquetReadable(context, {
      tables: [...colocation.sharded, ...colocation.references],
      engineTypes: plan.partition.columns.map(engineType),
      params: plan.partition.params,
    })
  );
}

/** EXPLAIN lines: what the partitions run, and what the aggregator does with their rows. */
export function explainDistributed(plan: DistributedPlan, context?: StatementContext): string[] {
  const lines: string[] = [];
  const { distribution } = plan;
  const step =
    distribution.kind === 'twoPhase'
      ? 'Aggregator: combine partial aggregates, then finish on the merge engine (DuckDB)'
      : plan.merge !== undefined
        ? "Aggregator: merge the partitions' rows on the merge engine (DuckDB)"
        : plan.targets.length === 1
          ? 'Gather: results from 1 partition'
          : "Gather: concatenate the partitions' rows";
  lines.push(step);
  if (plan.merge !== undefined) lines.push(`  Engine SQL: ${plan.merge.sql}`);
  if (plan.merge !== undefined && context !== undefined)
    lines.push(
      partialsAsParquet(context, plan)
        ? '  Partition results: Parquet files (DuckDB COPY on the partitions, read_parquet here; values once a kept plan brought back little)'
        : '  Partition results: rows',
    );
  const { colocation } = distribution;
  const leaves = [
    ...new Set(plan.targets.map((target) => `${target.leaf.host}:${target.leaf.port}`)),
  ].join(', ');
  const where =
    colocation.sharded.length === 0
      ? '1 reference partition'
      : `${plan.targets.length} ${plan.targets.length === 1 ? 'partition' : 'partitions'}`;
  const joined =
    colocation.references.length > 0 && colocation.sharded.length > 0
      ? `; reference tables ${colocation.references.map(shownName).join(', ')} joined locally`
      : '';
  const shape =
    distribution.kind === 'twoPhase'
      ? 'partial aggregation'
      : colocation.sharded.length > 1
        ? `co-located join of ${colocation.sharded.map(shownName).join(', ')}`
        : 'the query';
  lines.push(
    `  Partitions: ${colocation.database} ${where} on ${leaves} (columnstore, DuckDB) run ${shape}${joined}`,
  );
  lines.push(`    Engine SQL: ${plan.partition.sql}`);
  return lines;
}
