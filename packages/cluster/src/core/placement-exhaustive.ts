import { fieldValue } from './constraint-eval.js';
import type { PlacementContext } from './placement-context.js';
import type { LedgerAgent } from './placement-ledger.js';
import type { Placement } from './placement-types.js';

/**
 * Placement that re-examines every candidate agent for each instance: O(agents · instances).
 *
 * It is used when a request has more than one GROUP_BY constraint, where the per-value heaps of
 * `placeGreedy` do not apply (each GROUP_BY partitions the agents differently). It follows the
 * same rules and the same order of preference, so for other requests it returns exactly what
 * `placeGreedy` returns; the tests use that to check one against the other.
 */
export function placeExhaustive(context: PlacementContext): Placement[] {
  const placements: Placement[] = [];
  let candidates = context.ledger.agents.filter((agent) => context.admitsStatically(agent));
  while (placements.length < context.request.count) {
    // An agent that cannot take an instance now never can again within this call.
    candidates = candidates.filter((agent) => context.canTake(agent));
    const minimums = groupByMinimums(context, candidates);
    let best: LedgerAgent | undefined;
    let bestScore = Infinity;
    for (const agent of candidates) {
      if (!meetsGroupBy(context, agent, minimums)) continue;
      const score = context.score(agent);
      // Candidates are in ledger order, so a strict comparison leaves ties to the lower index.
      if (best === undefined || score < bestScore) {
        best = agent;
        bestScore = score;
      }
    }
    if (best === undefined) break;
    placements.push(context.assign(best));
  }
  return placements;
}

/**
 * For each GROUP_BY constraint (in `context.groupByIndexes` order), the lowest instance count among
 * the values of `available` agents: the values an instance could go to now.
 */
export function groupByMinimums(
  context: PlacementContext,
  available: readonly LedgerAgent[],
): number[] {
  return context.groupByIndexes.map((index) => {
    const field = context.constraints[index]!.constraint.field;
    let minimum = Infinity;
    for (const agent of available) {
      const value = fieldValue(agent, field);
      if (value !== undefined) minimum = Math.min(minimum, context.countOf(index, value));
    }
    return minimum;
  });
}

/** Whether the agent's value of every GROUP_BY field has no more instances than the minimum. */
export function meetsGroupBy(
  context: PlacementContext,
  agent: LedgerAgent,
  minimums: readonly number[],
): boolean {
  return context.groupByIndexes.every((index, position) => {
    const value = fieldValue(agent, context.constraints[index]!.constraint.field);
    return value !== undefined && context.countOf(index, value) <= minimums[position]!;
  });
}
