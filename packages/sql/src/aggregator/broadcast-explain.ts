/**
 * EXPLAIN lines for broadcast plans (`broadcast-select.ts`). Whether tables are copied is decided
 * when the statement runs, from row counts, so EXPLAIN names the candidates and the rule rather
 * than running the counts: the plan printed below these lines is the one taken when the counts
 * rule the copies out.
 */
import type { Query, SelectStatement } from '../parser/ast.js';
import {
  BROADCAST_BYTES_MAX,
  BROADCAST_ROWS_MAX,
  BROADCAST_TOTAL_ROWS_MAX,
  broadcastCandidates,
  canBroadcast,
} from '../planner/broadcast.js';
import { canBroadcastFragments } from '../planner/broadcast-fragments.js';
import { flattenDerived } from '../planner/derived-flatten.js';
import type { StatementContext } from './context.js';
import { readsSubplans, tableLookup } from './broadcast-select.js';
import { shownName } from './temporary-tables.js';

/** The broadcast lines of `query` (as `executeQuery` prepares it), or none. */
export function explainBroadcast(context: StatementContext, query: Query): string[] {
  if (context.transaction !== undefined || query.kind !== 'select') return [];
  const lookup = tableLookup(context);
  const flat = flattenDerived(query);
  // The query with its derived table merged is tried whole only (as `executeBroadcast` does).
  const forms: [SelectStatement, string, boolean][] = [[query, '', true]];
  if (flat !== undefined && !readsSubplans(flat))
    forms.unshift([flat, ' (its derived table merged into it)', false]);
  for (const [form, how, fragments] of forms) {
    const candidates = broadcastCandidates(form, lookup);
    if (candidates === undefined) continue;
    const names = candidates
      .map((candidate) => `${candidate.table.database}.${shownName(candidate.table)}`)
      .join(', ');
    const rule =
      `counted under their own filters when the statement runs; the largest stays sharded, ` +
      `the others are copied to its leaves (as Parquet files where their types allow) when they hold at most ` +
      `${BROADCAST_ROWS_MAX.toLocaleString('en-US')} rows each and ` +
      `${BROADCAST_TOTAL_ROWS_MAX.toLocaleString('en-US')} in all, and at most ` +
      `${BROADCAST_BYTES_MAX / (1024 * 1024)} MiB each by their columns' declared widths (a bigger one may first be ` +
      `restricted to the keys a filtered table joins it on)`;
    if (canBroadcast(form, lookup, candidates))
      return [
        `Broadcast: the whole query${how} runs on the partitions with copies — ${names} ${rule}; otherwise:`,
      ];
    if (fragments && canBroadcastFragments(form, lookup, candidates))
      return [
        `Broadcast: the fragments below may read copies — ${names} ${rule}; otherwise as shown:`,
      ];
  }
  return [];
}
