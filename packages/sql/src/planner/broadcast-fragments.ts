/**
 * Broadcast joins inside fragments (`fragments.ts`): when the whole query cannot run on the
 * partitions even with broadcast tables (derived tables, outer joins of sharded tables, window
 * functions, subqueries off the shard key), its co-located fragments can still grow by joining
 * small broadcast tables locally, so fewer and narrower rows travel to the merge engine.
 *
 * The choice: the table with the most rows is the anchor; every other sharded table within
 * the row limits (`broadcast.ts`) starts in the broadcast set, and the largest are taken out
 * again while the fragments still cover as many table uses without them (a table co-located
 * with the anchor, or one that joins no fragment, gains nothing from a copy). Pure.
 */
import type { Query } from '../parser/ast.js';
import type { TableLookup } from './colocation.js';
import { planFragments } from './fragments.js';
import {
  copyable,
  BROADCAST_TOTAL_ROWS_MAX,
  lookupWithBroadcast,
  type BroadcastCandidate,
  type BroadcastChoice,
} from './broadcast.js';

/** Fragments per query are far fewer than this (`fragments.ts` caps them at 16). */
const FRAGMENT_WEIGHT = 64;

/**
 * How good the fragments are when `broadcast` is copied to the leaves: the more table uses
 * they cover the better, and for as many, the fewer fragments (one join on the partitions
 * rather than two gathered separately and joined on the merge engine).
 */
function covered(
  query: Query,
  lookup: TableLookup,
  broadcast: readonly BroadcastCandidate[],
): number {
  const keys = new Set(broadcast.map((candidate) => candidate.key));
  const planned = planFragments(query, {
    lookup: lookupWithBroadcast(lookup, keys),
    references: true,
  });
  const fragments = planned?.fragments ?? [];
  const tables = fragments.reduce((sum, fragment) => sum + fragment.tables.length, 0);
  return tables * FRAGMENT_WEIGHT - fragments.length;
}

/** Whether broadcasting all but one sharded table would grow the fragments: worth counting. */
export function canBroadcastFragments(
  query: Query,
  lookup: TableLookup,
  candidates: readonly BroadcastCandidate[],
): boolean {
  const base = covered(query, lookup, []);
  return candidates.some(
    (anchor) =>
      covered(
        query,
        lookup,
        candidates.filter((candidate) => candidate !== anchor),
      ) > base,
  );
}

export function chooseFragmentBroadcast(
  query: Query,
  lookup: TableLookup,
  candidates: readonly BroadcastCandidate[],
  rows: (candidate: BroadcastCandidate) => number,
  /** The bytes a copy of the candidate holds (`copyBytes`); unlimited when absent. */
  bytes?: (candidate: BroadcastCandidate) => number,
): BroadcastChoice | undefined {
  const bySize = [...candidates].sort((a, b) => rows(b) - rows(a) || a.key.localeCompare(b.key));
  const anchor = bySize[0];
  if (anchor === undefined) return undefined;
  let broadcast = bySize.filter(
    (candidate) => candidate !== anchor && copyable(candidate, rows, bytes),
  );
  const base = covered(query, lookup, []);
  let best = covered(query, lookup, broadcast);
  if (best <= base) return undefined;
  for (const candidate of [...broadcast]) {
    const fewer = broadcast.filter((other) => other !== candidate);
    const score = covered(query, lookup, fewer);
    if (score >= best) {
      broadcast = fewer;
      best = score;
    }
  }
  // Drop the largest until the total fits.
  while (
    broadcast.reduce((sum, candidate) => sum + rows(candidate), 0) >
    Math.min(BROADCAST_TOTAL_ROWS_MAX, rows(anchor))
  )
    broadcast = broadcast.slice(1);
  if (broadcast.length === 0 || covered(query, lookup, broadcast) <= base) return undefined;
  return { anchor, broadcast };
}
