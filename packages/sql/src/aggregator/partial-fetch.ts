/**
 * Partition results that the aggregator only feeds to its merge engine travel as Parquet files,
 * never as JavaScript values: each partition writes its result with DuckDB `COPY (…) TO …
 * (FORMAT parquet)` on its leaf (`LeafApi.exportBroadcastRows`, as broadcast copies do), the
 * aggregator passes the bytes to the merge engine, which reads them with `read_parquet`
 * (`merge-engine.ts`). Decoding each partition's rows, encoding them for the wire, decoding them
 * again and appending them value by value cost most of a query whose partial aggregates have
 * long group keys (TPC-H Q10: about 120,000 partial rows with names, addresses and comments).
 *
 * Only outside transactions (an export reads committed rows, not a transaction's own writes),
 * for columnstore tables (SQLite cannot write Parquet), statements without parameters, and
 * results whose every column has a type Parquet keeps exactly (`PARQUET_EXACT_TYPE`: MySQL TIME,
 * a DuckDB INTERVAL kept to the millisecond by Parquet, and JSON take the value path).
 *
 * Files cost a fixed ~6 ms per stage (each partition's COPY, writing, reading and removing
 * the files on both sides), which a few hundred rows as values do not: a plan kept between
 * executions (`plan-memo.ts`) whose partitions brought back little last time takes the value
 * path, and goes back to files once its results grow.
 */
import type { TableDef } from '../catalog/types.js';
import type { StatementContext } from './context.js';
import type { PartitionTarget } from './cluster.js';
import { allParts } from './fan-out.js';
import { PARQUET_EXACT_TYPE } from './copy-fetch.js';

export interface PartialSource {
  /** The tables the partition statement reads. */
  readonly tables: readonly TableDef[];
  /** The merge engine's DuckDB type of each result column. */
  readonly engineTypes: readonly string[];
  /** Parameter markers of the partition statement. */
  readonly params: readonly unknown[];
}

/** Whether the partitions' results may travel as Parquet files. */
export function partialParquetReadable(context: StatementContext, source: PartialSource): boolean {
  return (
    context.transaction === undefined &&
    source.params.length === 0 &&
    source.engineTypes.length > 0 &&
    source.tables.every((table) => table.storage === 'column') &&
    source.engineTypes.every((type) => PARQUET_EXACT_TYPE.test(type))
  );
}

/**
 * One Parquet file per target: the result of `sql` (a DuckDB query) on that partition, each
 * column cast to its merge-engine type `engineTypes` (by position): DuckDB writes a HUGEINT to
 * Parquet as a DOUBLE, so a numeric column whose expression is wider than its declared type
 * would lose digits on the way.
 */
export async function fetchPartialParquet(
  context: StatementContext,
  targets: readonly PartitionTarget[],
  query: { readonly sql: string; readonly engineTypes: readonly string[] },
): Promise<Uint8Array[]> {
  const names = query.engineTypes.map((_type, index) => `exo_p${index + 1}`);
  const items = query.engineTypes.map((type, index) =>
    CAST_TYPE.test(type) ? `CAST(exo_p${index + 1} AS ${type})` : `exo_p${index + 1}`,
  );
  const select = `SELECT ${items.join(', ')} FROM (${query.sql}) AS exo_partial_rows(${names.join(', ')})`;
  const { pool } = context.services.cluster;
  return allParts(
    targets.map(async (target) => {
      const api = await pool.get(target.leaf);
      return api.exportBroadcastRows({ partition: target.partition, sql: select }, context.signal);
    }),
  );
}

/** Numeric merge-engine types a partition's DuckDB expression may hold in a wider type. */
const CAST_TYPE = /^(?:U?TINYINT|U?SMALLINT|U?INTEGER|U?BIGINT|DECIMAL\(\d+,\d+\))$/;

/**
 * Partial results at most this big (all partitions together) count as small: 16 KiB of
 * Parquet holds about 1,000 rows of three columns; the rows threshold is higher so that a
 * plan near the line does not change paths at every execution.
 */
const SMALL_FILES_BYTES = 16 * 1024;
const SMALL_ROWS = 2_000;

/** What a plan's partitions brought back last time it ran: whether that was small. */
const smallLastTime = new WeakMap<object, boolean>();

/** Whether the plan's partial results were small when it last ran (not known: false). */
export function partialsSmallLastTime(plan: object): boolean {
  return smallLastTime.get(plan) === true;
}

export function notePartialFiles(plan: object, files: readonly Uint8Array[]): void {
  const bytes = files.reduce((total, file) => total + file.byteLength, 0);
  smallLastTime.set(plan, bytes <= SMALL_FILES_BYTES);
}

export function notePartialRows(plan: object, rows: number): void {
  smallLastTime.set(plan, rows <= SMALL_ROWS);
}
