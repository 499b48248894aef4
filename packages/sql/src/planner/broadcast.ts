/**
 * Broadcast joins: a query that joins a sharded table with sharded tables that are not
 * co-located with it can still run on the partitions when those other tables are small. Their
 * rows (filtered and narrowed) are copied to every leaf for the one statement, and the query
 * runs there as if they were reference tables (`colocation.ts` already says when a reference
 * table is safe: never preserved by an outer join against sharded rows, full copies in every
 * subquery).
 *
 * The choice: the *anchor* stays sharded, trying the tables with the most rows first; the
 * fewest other tables needed to make the query co-located are broadcast, and each of them must
 * hold at most `BROADCAST_ROWS_MAX` rows after its own filters (all together at most
 * `BROADCAST_TOTAL_ROWS_MAX`, and no more than the anchor: copying more rows than the anchor
 * holds to every leaf would move more data than the gather plan). Row counts come from the
 * caller (a COUNT(*) with the table's filters on its partitions).
 * Pure.
 */
import type { Query, SelectStatement, TableRefTable } from '../parser/ast.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { analyzeColocation, type TableLookup } from './colocation.js';
import { collectTableUses } from './tables.js';
import { isSubplanName } from './subplans.js';

/** Rows a broadcast table may hold after its filters: below this, copying to each leaf pays. */
export const BROADCAST_ROWS_MAX = 200_000;
export const BROADCAST_TOTAL_ROWS_MAX = 400_000;
/**
 * Bytes a copy may hold by its columns' declared widths (`copyBytes`): each leaf loads every
 * copied byte, so wide rows (names, addresses, comments) are gathered once rather than copied
 * to every leaf — TPC-H Q10's 150,000 customers with their comments, 33 MB declared, took
 * longer to copy to two leaves than the whole query takes gathered.
 */
export const BROADCAST_BYTES_MAX = 16 * 1024 * 1024;
/** The width counted for a string or binary column without a declared length. */
const UNSIZED_BYTES = 256;
const FIXED_BYTES = 8;

/** The declared size of `rows` rows of `columns`: string lengths, 8 bytes for anything else. */
export function copyBytes(columns: readonly ColumnDef[], rows: number): number {
  const width = columns.reduce((sum, column) => {
    switch (column.type) {
      case 'char':
      case 'varchar':
      case 'text':
      case 'blob':
      case 'json':
        return sum + (column.length ?? UNSIZED_BYTES);
      default:
        return sum + FIXED_BYTES;
    }
  }, 0);
  return width * rows;
}

export interface BroadcastCandidate {
  /** `database.table`, lower case. */
  readonly key: string;
  readonly table: TableDef;
  /** How many times the query reads the table. */
  readonly uses: number;
  /** The reference of its only use, when it is read once. */
  readonly ref?: TableRefTable;
}

export interface BroadcastChoice {
  readonly anchor: BroadcastCandidate;
  readonly broadcast: readonly BroadcastCandidate[];
}

export function tableKey(table: TableDef): string {
  return `${table.database}.${table.name}`.toLowerCase();
}

/**
 * The distinct sharded tables of a SELECT whose tables are all known columnstore tables of one
 * database; `undefined` when the query cannot take a broadcast plan (fewer than two sharded
 * tables, unknown or rowstore tables, several databases, locking reads).
 */
export function broadcastCandidates(
  query: Query,
  lookup: TableLookup,
): BroadcastCandidate[] | undefined {
  if (query.kind !== 'select' || query.from === undefined || query.lock !== undefined)
    return undefined;
  if (query.into !== undefined) return undefined;
  const found = new Map<string, { table: TableDef; refs: TableRefTable[] }>();
  let database: string | undefined;
  for (const use of collectTableUses(query)) {
    // A sub-plan's rows stay on the aggregator's merge engine (`subplans.ts`).
    if (use.ref.database === undefined && isSubplanName(use.ref.name)) continue;
    const table = lookup.table(use.ref);
    if (table === undefined || table.storage !== 'column') return undefined;
    database ??= table.database;
    if (table.database !== database) return undefined;
    if (table.reference) continue;
    const key = tableKey(table);
    const entry = found.get(key) ?? { table, refs: [] };
    entry.refs.push(use.ref);
    found.set(key, entry);
  }
  if (found.size < 2) return undefined;
  return [...found].map(([key, entry]) => ({
    key,
    table: entry.table,
    uses: entry.refs.length,
    ...(entry.refs.length === 1 && entry.refs[0] !== undefined ? { ref: entry.refs[0] } : {}),
  }));
}

/** The lookup with the given tables seen as reference tables. */
export function lookupWithBroadcast(
  lookup: TableLookup,
  broadcast: ReadonlySet<string>,
): TableLookup {
  return {
    partitions: (database) => lookup.partitions(database),
    table: (ref) => {
      const table = lookup.table(ref);
      return table !== undefined && broadcast.has(tableKey(table))
        ? { ...table, reference: true }
        : table;
    },
  };
}

function colocatedWith(
  query: SelectStatement,
  lookup: TableLookup,
  broadcast: readonly BroadcastCandidate[],
): boolean {
  const keys = new Set(broadcast.map((candidate) => candidate.key));
  return analyzeColocation(query, lookupWithBroadcast(lookup, keys)) !== undefined;
}

/**
 * Whether some anchor makes the query co-located once every other sharded table is broadcast:
 * worth counting rows for.
 */
export function canBroadcast(
  query: SelectStatement,
  lookup: TableLookup,
  candidates: readonly BroadcastCandidate[],
): boolean {
  return candidates.some((anchor) =>
    colocatedWith(
      query,
      lookup,
      candidates.filter((candidate) => candidate !== anchor),
    ),
  );
}

/** The anchor and the tables to broadcast, or `undefined` when no choice fits the limits. */
export function chooseBroadcast(
  query: SelectStatement,
  lookup: TableLookup,
  candidates: readonly BroadcastCandidate[],
  rows: (candidate: BroadcastCandidate) => number,
  /** The bytes a copy of the candidate holds (`copyBytes`); unlimited when absent. */
  bytes?: (candidate: BroadcastCandidate) => number,
): BroadcastChoice | undefined {
  const bySize = [...candidates].sort((a, b) => rows(b) - rows(a) || a.key.localeCompare(b.key));
  for (const anchor of bySize) {
    let broadcast = bySize.filter((candidate) => candidate !== anchor);
    if (!colocatedWith(query, lookup, broadcast)) continue;
    // Keep sharded whatever stays co-located with the anchor, largest first.
    for (const candidate of [...broadcast]) {
      const fewer = broadcast.filter((other) => other !== candidate);
      if (colocatedWith(query, lookup, fewer)) broadcast = fewer;
    }
    if (broadcast.length === 0) return undefined;
    const total = broadcast.reduce((sum, candidate) => sum + rows(candidate), 0);
    if (broadcast.some((candidate) => !copyable(candidate, rows, bytes))) continue;
    if (total > BROADCAST_TOTAL_ROWS_MAX || total > rows(anchor)) continue;
    return { anchor, broadcast };
  }
  return undefined;
}

/** Whether the candidate is small enough to copy to every leaf. */
export function copyable(
  candidate: BroadcastCandidate,
  rows: (candidate: BroadcastCandidate) => number,
  bytes: ((candidate: BroadcastCandidate) => number) | undefined,
): boolean {
  return (
    rows(candidate) <= BROADCAST_ROWS_MAX &&
    (bytes === undefined || bytes(candidate) <= BROADCAST_BYTES_MAX)
  );
}
