/**
 * Running a query with broadcast joins (`planner/broadcast.ts` chooses the tables): the small
 * sharded tables are counted, fetched once (only the columns the query mentions, filtered by
 * the WHERE conjuncts about them alone), copied to every leaf that holds the anchor's
 * partitions as broadcast tables (`LeafApi.createBroadcast`), and the query runs as a
 * distributed plan that reads them as reference tables. The copies are dropped when the
 * statement ends, however it ends; a leaf also drops those of a connection that closes.
 *
 * Explicit transactions keep the other plans: a transaction's own writes to the small tables
 * would be invisible to a copy fetched outside it.
 */
import { randomBytes } from 'node:crypto';
import type { Query, TableRef } from '../parser/ast.js';
import type { LeafDef, TableDef } from '../catalog/types.js';
import { duckdbType } from '../catalog/column-type.js';
import { quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import { BROADCAST_CATALOG, type LeafApi } from '../leaf/api.js';
import {
  broadcastCandidates,
  canBroadcast,
  chooseBroadcast,
  tableKey,
  type BroadcastCandidate,
  type BroadcastChoice,
} from '../planner/broadcast.js';
import { canBroadcastFragments, chooseFragmentBroadcast } from '../planner/broadcast-fragments.js';
import type { TableLookup } from '../planner/colocation.js';
import { mentionedColumns, singleTableFilters } from '../planner/pushdown.js';
import type { ResultRows } from '../protocol/backend.js';
import type { StatementContext } from './context.js';
import { isVirtualDatabase } from './information-schema.js';
import { executeDistributed, planDistributed, type BroadcastTable } from './distributed-select.js';
import type { PartitionTarget } from './cluster.js';
import type { FragmentSource } from './fragment-gather.js';
import { countRows, type TableFilter } from './broadcast-count.js';
import { executePlan, fetchTableRows, planGather } from './select.js';
import type { SubplanSource } from './subplan-select.js';

interface Chosen {
  readonly candidate: BroadcastCandidate;
  readonly name: string;
  readonly table: TableDef;
  readonly filter: TableFilter | undefined;
}

export interface BroadcastOptions {
  /** Whether the fragments of a gather plan may read broadcast tables (default true). */
  readonly fragments?: boolean;
  /** Parts of the query that run first (`subplan-select.ts`), read by its merge query. */
  readonly subplans?: readonly SubplanSource[];
}

function tableLookup(context: StatementContext): TableLookup {
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
  const rows = (candidate: BroadcastCandidate): number => counts.get(candidate) ?? 0;
  const mentioned = mentionedColumns(query);
  const statement = randomBytes(6).toString('hex');
  const prepare = (choice: BroadcastChoice): Chosen[] =>
    choice.broadcast.map((candidate, index) => {
      const kept =
        mentioned === undefined
          ? candidate.table.columns
          : candidate.table.columns.filter((column) => mentioned.has(column.name.toLowerCase()));
      return {
        candidate,
        name: `exo_bc_${statement}_${index + 1}`,
        table: { ...candidate.table, columns: kept.length > 0 ? kept : candidate.table.columns },
        filter: filterOf(candidate),
      };
    });
  const wholeChoice = whole ? chooseBroadcast(query, lookup, candidates, rows) : undefined;
  if (wholeChoice !== undefined) {
    const chosen = prepare(wholeChoice);
    const plan = planDistributed(context, query, broadcastTables(chosen));
    if (plan !== undefined)
      return runWithBroadcasts(context, { targets: plan.targets, chosen }, () =>
        executeDistributed(context, plan),
      );
  }
  if (!fragments) return undefined;
  const fragmentChoice = chooseFragmentBroadcast(query, lookup, candidates, rows);
  if (fragmentChoice === undefined) return undefined;
  const chosen = prepare(fragmentChoice);
  const tables = broadcastTables(chosen);
  const plan = planGather(context, query, { broadcasts: tables, subplans: options.subplans ?? [] });
  const reads = (fragment: FragmentSource): boolean =>
    fragment.plan.distribution.colocation.references.some((table) => tables.has(tableKey(table)));
  if (!plan.fragments.some(reads)) return undefined;
  const targets = plan.fragments.flatMap((fragment) => fragment.plan.targets);
  return runWithBroadcasts(context, { targets, chosen }, () => executePlan(context, plan));
}

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

function collectRefs(ref: TableRef): TableRef[] {
  if (ref.kind === 'table') return [ref];
  if (ref.kind === 'join') return [...collectRefs(ref.left), ...collectRefs(ref.right)];
  return [];
}

async function runWithBroadcasts(
  context: StatementContext,
  where: { readonly targets: readonly PartitionTarget[]; readonly chosen: readonly Chosen[] },
  run: () => Promise<ResultRows>,
): Promise<ResultRows> {
  const { cluster } = context.services;
  const leaves = new Map<string, LeafDef>(
    where.targets.map((target) => [target.leaf.id, target.leaf]),
  );
  const created: { api: LeafApi; name: string }[] = [];
  try {
    const tables = await Promise.all(
      where.chosen.map(async (entry) => ({
        entry,
        rows: await fetchTableRows(context, entry.table, entry.filter),
      })),
    );
    await Promise.all(
      [...leaves.values()].map(async (leaf) => {
        const api = await cluster.pool.get(leaf);
        for (const { entry, rows } of tables) {
          // Registered first: a request whose answer is lost may still have created the table.
          created.push({ api, name: entry.name });
          await api.createBroadcast({
            name: entry.name,
            columns: entry.table.columns.map((column) => ({
              name: column.name,
              engineType: duckdbType(column),
            })),
            rows,
          });
        }
      }),
    );
    return await run();
  } finally {
    // A leaf that cannot be reached drops the tables itself when the connection closes.
    await Promise.allSettled(created.map(({ api, name }) => api.dropBroadcast(name)));
  }
}
