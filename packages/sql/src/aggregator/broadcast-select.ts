/**
 * Running a query with broadcast joins (`planner/broadcast.ts` chooses the tables): the small
 * sharded tables are counted, fetched once (only the columns the query mentions, filtered by
 * the WHERE conjuncts about them alone), copied to every leaf that holds the anchor's
 * partitions as broadcast tables (`LeafApi.createBroadcast`), and the query runs as a
 * distributed plan that reads them as reference tables. Copies are kept for later statements
 * until anything is written (`copy-cache.ts`), or dropped when the statement ends, however it
 * ends (`copy-run.ts`); a leaf also drops those of a connection that closes.
 *
 * Three refinements: a query over one plain derived table is first tried with the derived table
 * merged into it (`planner/derived-flatten.ts`); a table too big to copy may be restricted to
 * the keys a filtered table joins it on (`copy-reduction.ts`; on the partitions themselves when
 * both are sharded on the join, `copy-colocated.ts`), when plain copies cannot make the whole
 * query co-located; and copies travel as Parquet files from the source partitions to the
 * target leaves where their types allow (`copy-fetch.ts`).
 *
 * Explicit transactions keep the other plans: a transaction's own writes to the small tables
 * would be invisible to a copy fetched outside it.
 */
import { randomBytes } from 'node:crypto';
import type { Query, TableRef } from '../parser/ast.js';
import type { ColumnDef, LeafDef } from '../catalog/types.js';
import { quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import { BROADCAST_CATALOG } from '../leaf/api.js';
import {
  broadcastCandidates,
  canBroadcast,
  chooseBroadcast,
  copyBytes,
  tableKey,
  type BroadcastCandidate,
  type BroadcastChoice,
} from '../planner/broadcast.js';
import { canBroadcastFragments, chooseFragmentBroadcast } from '../planner/broadcast-fragments.js';
import type { TableLookup } from '../planner/colocation.js';
import { flattenDerived } from '../planner/derived-flatten.js';
import { isSubplanName } from '../planner/subplans.js';
import { collectTableUses } from '../planner/tables.js';
import { mentionedColumns, singleTableFilters } from '../planner/pushdown.js';
import type { ResultRows } from '../protocol/backend.js';
import type { StatementContext } from './context.js';
import { isVirtualDatabase } from './information-schema.js';
import { executeDistributed, planDistributed, type BroadcastTable } from './distributed-select.js';
import type { FragmentSource } from './fragment-gather.js';
import { countRows, type TableFilter } from './broadcast-count.js';
import { reduceCopies, type ReducedCopy } from './copy-reduction.js';
import { copyCacheOf, type CopyRequest } from './copy-cache.js';
import { cacheableFilter, copyCacheKey } from './copy-cache-key.js';
import { runWithCopies, type PlannedCopy } from './copy-run.js';
import { executePlan, planGather, tableRowsStatement } from './select.js';
import type { SubplanSource } from './subplan-select.js';

interface Chosen extends PlannedCopy {
  readonly candidate: BroadcastCandidate;
}

export interface BroadcastOptions {
  /** Whether the fragments of a gather plan may read broadcast tables (default true). */
  readonly fragments?: boolean;
  /** Parts of the query that run first (`subplan-select.ts`), read by its merge query. */
  readonly subplans?: readonly SubplanSource[];
}

export function tableLookup(context: StatementContext): TableLookup {
  const { catalog } = context.services;
  return {
    table: (ref) => {
      const database = ref.database ?? context.session.database;
      if (database === undefined || isVirtualDatabase(database)) return undefined;
      return catalog.table(database, ref.name);
    },
    partitions: (database) => catalog.database(database)?.partitions,
  };
}

/**
 * Whether the whole query may run on the partitions with broadcast tables (row counts decide
 * when it runs).
 */
export function mayBroadcast(context: StatementContext, query: Query): boolean {
  if (context.transaction !== undefined || query.kind !== 'select') return false;
  const lookup = tableLookup(context);
  const candidates = broadcastCandidates(query, lookup);
  return candidates !== undefined && canBroadcast(query, lookup, candidates);
}

/** The query's result through a broadcast plan, or `undefined` when none applies. */
export async function executeBroadcast(
  context: StatementContext,
  query: Query,
  options: BroadcastOptions = {},
): Promise<ResultRows | undefined> {
  if (context.transaction !== undefined || query.kind !== 'select') return undefined;
  // A query over one plain derived table may run whole once the derived table is merged into
  // it (`planner/derived-flatten.ts`): copies join on the partitions and aggregate in two phases.
  // Only the query as written: a merge query reads its sub-plans' tables, which only its own
  // plan knows.
  const flat = options.subplans === undefined ? flattenDerived(query) : undefined;
  if (flat !== undefined && !readsSubplans(flat)) {
    const result = await executeBroadcast(context, flat, { fragments: false });
    if (result !== undefined) return result;
  }
  const lookup = tableLookup(context);
  const candidates = broadcastCandidates(query, lookup);
  if (candidates === undefined) return undefined;
  const whole = canBroadcast(query, lookup, candidates);
  const fragments = options.fragments !== false;
  if (!whole && !(fragments && canBroadcastFragments(query, lookup, candidates))) return undefined;
  const filters = singleTableFilters(query, (ref) =>
    lookup.table(ref)?.columns.map((column) => column.name),
  );
  const outer = new Set<TableRef>((query.from ?? []).flatMap(collectRefs));
  const filterOf = (candidate: BroadcastCandidate): TableFilter | undefined => {
    // Only a table read once, in the outermost FROM, may take that FROM's filters.
    const ref = candidate.ref;
    if (ref === undefined || !outer.has(ref)) return undefined;
    const alias = ref.alias ?? ref.name;
    const exprs = filters.get(alias.toLowerCase());
    return exprs === undefined || exprs.length === 0 ? undefined : { alias, exprs };
  };
  const counts = new Map<BroadcastCandidate, number>();
  await Promise.all(
    candidates.map(async (candidate) => {
      counts.set(candidate, await countRows(context, candidate.table, filterOf(candidate)));
    }),
  );
  const mentioned = mentionedColumns(query);
  // A copy holds only the columns the query mentions.
  const copiedColumns = (candidate: BroadcastCandidate): readonly ColumnDef[] => {
    const kept =
      mentioned === undefined
        ? candidate.table.columns
        : candidate.table.columns.filter((column) => mentioned.has(column.name.toLowerCase()));
    return kept.length > 0 ? kept : candidate.table.columns;
  };
  // Tables too big to copy may be restricted to the keys a filtered table joins them on, when
  // the whole query cannot run with plain copies (the key query and recount cost scans).
  const counted = (candidate: BroadcastCandidate): number => counts.get(candidate) ?? 0;
  const plain =
    whole &&
    chooseBroadcast(query, lookup, candidates, counted, (candidate) =>
      copyBytes(copiedColumns(candidate), counted(candidate)),
    ) !== undefined;
  const reduced = plain
    ? new Map<BroadcastCandidate, ReducedCopy>()
    : await reduceCopies(context, { query, lookup, candidates, filters, filterOf, rows: counted });
  const rows = (candidate: BroadcastCandidate): number =>
    reduced.get(candidate)?.rows ?? counts.get(candidate) ?? 0;
  const bytes = (candidate: BroadcastCandidate): number =>
    copyBytes(copiedColumns(candidate), rows(candidate));
  const statement = randomBytes(6).toString('hex');
  const cache = copyCacheOf(context.services.cluster);
  const cacheLeaves = copyLeaves(context, query);
  const catalogVersion = context.services.catalog.version;
  const prepare = (choice: BroadcastChoice): Chosen[] =>
    choice.broadcast.map((candidate, index) => {
      const reduction = reduced.get(candidate);
      const table = { ...candidate.table, columns: copiedColumns(candidate) };
      const filter = reduction?.filter ?? filterOf(candidate);
      const rowsStatement = tableRowsStatement(context, table, filter);
      const request: CopyRequest = {
        key:
          rowsStatement === undefined ||
          rowsStatement.params.length > 0 ||
          (filter !== undefined && !cacheableFilter(filter.exprs))
            ? undefined
            : copyCacheKey({
                database: table.database,
                sql: rowsStatement.sql,
                leaves: cacheLeaves.map((leaf) => leaf.id),
              }),
        catalogVersion,
        bytes: bytes(candidate),
      };
      return {
        candidate,
        // A copy made by an earlier statement, or a new one; a reduced copy says so in its name
        // (what the leaves and their tests see).
        name:
          cache.lookup(request) ??
          `exo_bc_${statement}_${index + 1}${reduction !== undefined ? REDUCED_SUFFIX : ''}`,
        table,
        filter,
        statement: rowsStatement,
        request,
      };
    });
  const wholeChoice = whole ? chooseBroadcast(query, lookup, candidates, rows, bytes) : undefined;
  if (wholeChoice !== undefined) {
    const chosen = prepare(wholeChoice);
    const plan = planDistributed(context, query, broadcastTables(chosen));
    if (plan !== undefined)
      return runWithCopies(context, { targets: plan.targets, cacheLeaves, copies: chosen }, () =>
        executeDistributed(context, plan),
      );
  }
  if (!fragments) return undefined;
  const fragmentChoice = chooseFragmentBroadcast(query, lookup, candidates, rows, bytes);
  if (fragmentChoice === undefined) return undefined;
  const chosen = prepare(fragmentChoice);
  const tables = broadcastTables(chosen);
  const plan = planGather(context, query, { broadcasts: tables, subplans: options.subplans ?? [] });
  const reads = (fragment: FragmentSource): boolean =>
    fragment.plan.distribution.colocation.references.some((table) => tables.has(tableKey(table)));
  if (!plan.fragments.some(reads)) return undefined;
  const targets = plan.fragments.flatMap((fragment) => fragment.plan.targets);
  return runWithCopies(context, { targets, cacheLeaves, copies: chosen }, () =>
    executePlan(context, plan),
  );
}

/** Ends the name of a copy restricted by a semi-join reduction (`copy-reduction.ts`). */
export const REDUCED_SUFFIX = '_semi';

function broadcastTables(chosen: readonly Chosen[]): Map<string, BroadcastTable> {
  return new Map(
    chosen.map((entry) => [
      entry.candidate.key,
      {
        table: entry.table,
        engineSql: `${quoteEngineIdentifier(BROADCAST_CATALOG)}.main.${quoteEngineIdentifier(entry.name)}`,
      },
    ]),
  );
}

/** Whether `query` reads the tables of sub-plans (only its own plan knows them). */
export function readsSubplans(query: Query): boolean {
  return collectTableUses(query).some(
    (use) => use.ref.database === undefined && isSubplanName(use.ref.name),
  );
}

/**
 * The leaves of every partition of the databases `query` reads: where a cached copy is made, so
 * that any plan of a query over these tables finds it on each of its target leaves.
 */
function copyLeaves(context: StatementContext, query: Query): LeafDef[] {
  const { catalog, cluster } = context.services;
  const leaves = new Map<string, LeafDef>();
  const databases = new Set<string>();
  for (const use of collectTableUses(query)) {
    const name = use.ref.database ?? context.session.database;
    if (name !== undefined && !isVirtualDatabase(name)) databases.add(name);
  }
  for (const name of databases) {
    const database = catalog.database(name);
    if (database === undefined) continue;
    for (const target of cluster.partitions(database)) leaves.set(target.leaf.id, target.leaf);
  }
  return [...leaves.values()];
}

function collectRefs(ref: TableRef): TableRef[] {
  if (ref.kind === 'table') return [ref];
  if (ref.kind === 'join') return [...collectRefs(ref.left), ...collectRefs(ref.right)];
  return [];
}
