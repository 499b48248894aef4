/**
 * Making a statement's broadcast copies on the leaves, running the statement, and letting the
 * copies go (`broadcast-select.ts` chooses them). Each copy is either read from the copy cache
 * (`copy-cache.ts`: made by an earlier statement or an earlier plan of this one, nothing is
 * copied), made here and kept in the cache (on every leaf of the tables' databases, so later
 * plans of any shape find it), or made here on the statement's target leaves and dropped when
 * the statement ends, however it ends; a leaf also drops those of a connection that closes.
 */
import type { LeafDef, TableDef } from '../catalog/types.js';
import { duckdbType } from '../catalog/column-type.js';
import type { LeafApi } from '../leaf/api.js';
import type { ResultRows } from '../protocol/backend.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import type { PartitionTarget } from './cluster.js';
import type { TableFilter } from './broadcast-count.js';
import { copyCacheOf, type CopyLease, type CopyRequest } from './copy-cache.js';
import { fetchParquetCopy } from './copy-fetch.js';
import { allParts } from './fan-out.js';
import { fetchTableRows, type RowsStatement } from './select.js';

/** One copy a statement reads: its table (narrowed to the copied columns) and filter. */
export interface PlannedCopy {
  readonly name: string;
  readonly table: TableDef;
  readonly filter: TableFilter | undefined;
  /** The engine statement reading its rows (`tableRowsStatement`), made once. */
  readonly statement: RowsStatement | undefined;
  /** How the copy cache knows it. */
  readonly request: CopyRequest;
  /** Its rows, when the caller has them already (a sub-plan's result). */
  readonly rows?: CopyRows;
}

export interface CopyRun {
  /** Where the statement's plan runs (the leaves of its own copies). */
  readonly targets: readonly PartitionTarget[];
  /** Where a cached copy is made (a superset of any plan's targets over these tables). */
  readonly cacheLeaves: readonly LeafDef[];
  readonly copies: readonly PlannedCopy[];
}

/** A copy's rows, as values or as Parquet files (the source partitions' or the merge engine's). */
export interface CopyRows {
  readonly rows: readonly (readonly SqlValue[])[];
  readonly parquet?: readonly Uint8Array[];
}

/** Runs `run` once every copy of `where` exists on the leaves that read it. */
export async function runWithCopies(
  context: StatementContext,
  where: CopyRun,
  run: () => Promise<ResultRows>,
): Promise<ResultRows> {
  const { cluster } = context.services;
  const cache = copyCacheOf(cluster);
  // Taken before anything is awaited: the names in the plan are those `lookup` gave.
  const leases = where.copies.map((copy) => cache.acquire(copy.request, copy.name));
  const apis = new Map<string, Promise<LeafApi>>();
  const api = (leaf: LeafDef): Promise<LeafApi> => {
    let found = apis.get(leaf.id);
    if (found === undefined) {
      found = cluster.pool.get(leaf);
      // Awaited by each copy; a failure before any copy waits on it must not go unhandled.
      found.catch(() => undefined);
      apis.set(leaf.id, found);
    }
    return found;
  };
  const targetLeaves = [
    ...new Map(where.targets.map((target) => [target.leaf.id, target.leaf])).values(),
  ];
  try {
    // Each copy goes to the leaves as soon as its rows are fetched, and the copies of one leaf
    // are created together: the fixed cost of a statement is the slowest copy, not their sum.
    await allParts(
      where.copies.map(async (copy, index) => {
        const lease = leases[index] as CopyLease;
        if (!lease.makes) return lease.ready();
        const leaves = lease.cached ? where.cacheLeaves : targetLeaves;
        const made: { api: LeafApi; name: string }[] = [];
        // Dropped without waiting: the names are unique, so nothing that follows can meet
        // them, and a leaf that cannot be reached drops them itself when the connection closes.
        const drop = (): void => {
          for (const entry of made) void entry.api.dropBroadcast(entry.name).catch(() => undefined);
        };
        try {
          const rows = await fetchRows(context, copy);
          await allParts(leaves.map(async (leaf) => createCopy(await api(leaf), copy, rows, made)));
          lease.made(drop);
        } catch (error) {
          lease.failed(drop, error);
          throw error;
        }
        return undefined;
      }),
    );
    return await run();
  } finally {
    for (const lease of leases) lease.release();
  }
}

async function fetchRows(context: StatementContext, copy: PlannedCopy): Promise<CopyRows> {
  if (copy.rows !== undefined) return copy.rows;
  const known = { statement: copy.statement };
  const parquet = await fetchParquetCopy(context, copy.table, copy.filter, known);
  if (parquet !== undefined) return { rows: [], parquet };
  return { rows: await fetchTableRows(context, copy.table, copy.filter, known) };
}

async function createCopy(
  api: LeafApi,
  copy: PlannedCopy,
  { rows, parquet }: CopyRows,
  made: { api: LeafApi; name: string }[],
): Promise<void> {
  // Registered first: a request whose answer is lost may still have created the table.
  made.push({ api, name: copy.name });
  await api.createBroadcast({
    name: copy.name,
    columns: copy.table.columns.map((column) => ({
      name: column.name,
      engineType: duckdbType(column),
    })),
    rows,
    ...(parquet !== undefined ? { parquet } : {}),
  });
}
