import { PlacementContext } from './placement-context.js';
import { diagnose } from './placement-diagnosis.js';
import { placeExhaustive } from './placement-exhaustive.js';
import { placeGreedy } from './placement-greedy.js';
import type { PlacementLedger } from './placement-ledger.js';
import type { PlacementRequest, PlacementResult } from './placement-types.js';

export interface PlaceOptions {
  /** Most per-agent entries in a diagnosis (default 50); the counts cover every agent anyway. */
  readonly agentDetailMax?: number;
}

export const agentDetailMaxDefault = 50;

/**
 * Places up to `request.count` new instances of one app and reserves what it assigns in the
 * ledger, so later calls in the same scheduling round see these placements.
 *
 * The pipeline is Nomad's feasibility → fit → score: agents are filtered once on what cannot
 * change during the call (schedulable, attribute constraints), then instances are assigned
 * greedily to the best-scoring agent that has room and satisfies the counting constraints
 * (see placeGreedy). The result depends only on the request and the ledger: ties go to the agent
 * with the lower id. When fewer than `count` instances fit, the result carries a diagnosis of why
 * each agent refused.
 *
 * Assumes a validated request (see parseConstraint); a malformed constraint value refuses agents
 * rather than throwing.
 */
export function place(
  request: PlacementRequest,
  ledger: PlacementLedger,
  options: PlaceOptions = {},
): PlacementResult {
  const context = new PlacementContext(request, ledger);
  const placements =
    context.groupByIndexes.length > 1 ? placeExhaustive(context) : placeGreedy(context);
  if (placements.length >= request.count) return { placements };
  const agentDetailMax = Math.max(0, options.agentDetailMax ?? agentDetailMaxDefault);
  return { placements, diagnosis: diagnose(context, agentDetailMax) };
}
