import type { TaskLaunchSpec } from '../core/protocol.js';
import type { MasterContext } from './context.js';

export interface KillOrder {
  readonly taskId: string;
  readonly gracePeriodMs: number;
}

/**
 * Sends launches to agents, grouped by agent id. A failed send is only logged: every heartbeat
 * answer resends the launches of STAGING tasks the agent has not reported, and launches are
 * idempotent on the agent.
 */
export function sendLaunches(
  context: MasterContext,
  launches: ReadonlyMap<string, readonly TaskLaunchSpec[]>,
): void {
  for (const [agentId, specs] of launches) {
    const agent = context.state.agents.get(agentId);
    if (!agent) continue;
    context.metrics.taskLaunches.inc({}, specs.length);
    context.agentLink.launch(agent.url, specs).catch((error: unknown) => {
      context.logger.warn('launch not delivered; the next heartbeat resends it', {
        agentId,
        error,
      });
    });
  }
}

/** Sends kills to agents, grouped by agent id; heartbeat answers resend any that are lost. */
export function sendKills(
  context: MasterContext,
  kills: ReadonlyMap<string, readonly KillOrder[]>,
): void {
  for (const [agentId, orders] of kills) {
    const agent = context.state.agents.get(agentId);
    if (!agent) continue;
    context.agentLink.kill(agent.url, orders).catch((error: unknown) => {
      context.logger.warn('kill not delivered; the next heartbeat resends it', { agentId, error });
    });
  }
}

/** Appends to the list kept for `key`, creating it. */
export function appendTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
