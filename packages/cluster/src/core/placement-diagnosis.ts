import { fieldValue } from './constraint-eval.js';
import type { PlacementContext } from './placement-context.js';
import { groupByMinimums } from './placement-exhaustive.js';
import type { LedgerAgent } from './placement-ledger.js';
import type { AgentRejection, PlacementDiagnosis, RejectionReason } from './placement-types.js';

/** One agent's refusals: the reason codes and the human-readable sentences. */
interface Refusal {
  readonly agent: LedgerAgent;
  readonly codes: Set<RejectionReason>;
  readonly reasons: string[];
  readonly constraintKeys: string[];
}

/**
 * Why no agent can take another instance, judged on the ledger and counts as `place()` left them.
 * Every agent in the ledger is considered and every agent gets at least one reason: placement
 * stops only when no agent passes every check, and this function runs the same checks. This is
 * what /v2/queue shows, so a user can see which resource or constraint is in the way.
 */
export function diagnose(context: PlacementContext, agentDetailMax: number): PlacementDiagnosis {
  const refusals: Refusal[] = [];
  const available: Refusal[] = [];
  for (const agent of context.ledger.agents) {
    const refusal: Refusal = { agent, codes: new Set(), reasons: [], constraintKeys: [] };
    if (!agent.schedulable) {
      refuse(refusal, 'AgentUnavailable', 'agent not schedulable');
    } else {
      checkScalars(context, refusal);
      checkPorts(context, refusal);
      checkConstraints(context, refusal);
    }
    refusals.push(refusal);
    if (refusal.reasons.length === 0) available.push(refusal);
  }
  // GROUP_BY compares values with each other, so it is judged only among the agents that pass
  // everything else: those are the values an instance could have gone to.
  checkGroupBy(context, available);

  const rejections: Partial<Record<RejectionReason, number>> = {};
  const constraintRejections: Record<string, number> = {};
  const agents: AgentRejection[] = [];
  for (const refusal of refusals) {
    for (const code of refusal.codes) rejections[code] = (rejections[code] ?? 0) + 1;
    for (const key of refusal.constraintKeys) {
      constraintRejections[key] = (constraintRejections[key] ?? 0) + 1;
    }
    if (agents.length < agentDetailMax) {
      agents.push({
        agentId: refusal.agent.id,
        hostname: refusal.agent.hostname,
        reasons: refusal.reasons,
      });
    }
  }
  return {
    agentsConsidered: context.ledger.size,
    rejections,
    constraintRejections,
    agents,
  };
}

function refuse(refusal: Refusal, code: RejectionReason, reason: string): void {
  refusal.codes.add(code);
  refusal.reasons.push(reason);
}

function checkScalars(context: PlacementContext, refusal: Refusal): void {
  const { cpus, mem, disk } = context.request.resources;
  const agent = refusal.agent;
  if (cpus > agent.freeCpus) {
    refuse(
      refusal,
      'InsufficientCpus',
      `cpus: needs ${amount(cpus)}, free ${amount(agent.freeCpus)}`,
    );
  }
  if (mem > agent.freeMem) {
    refuse(
      refusal,
      'InsufficientMemory',
      `mem: needs ${amount(mem)} MiB, free ${amount(agent.freeMem)} MiB`,
    );
  }
  if (disk > agent.freeDisk) {
    refuse(
      refusal,
      'InsufficientDisk',
      `disk: needs ${amount(disk)} MiB, free ${amount(agent.freeDisk)} MiB`,
    );
  }
}

function checkPorts(context: PlacementContext, refusal: Refusal): void {
  const { required, anyCount, repeated } = context.ports;
  const ports = refusal.agent.ports;
  const ranges = ports.ranges.length === 0 ? '' : ports.describeRanges();
  if (repeated !== undefined) {
    refuse(refusal, 'InsufficientPorts', `port ${repeated} requested twice`);
  }
  let requiredFree = 0;
  for (const port of required) {
    if (!ports.offers(port)) {
      const offered = ranges === '' ? 'agent offers no ports' : `offered ${ranges}`;
      refuse(refusal, 'InsufficientPorts', `port ${port} not offered (${offered})`);
    } else if (!ports.isFree(port)) {
      refuse(refusal, 'InsufficientPorts', `port ${port} in use`);
    } else {
      requiredFree += 1;
    }
  }
  const freeForAny = ports.freeCount - requiredFree;
  if (anyCount > freeForAny) {
    const reason =
      ranges === ''
        ? 'no free port (agent offers no ports)'
        : freeForAny <= 0
          ? `no free port in ${ranges}`
          : `ports: needs ${anyCount}, free ${freeForAny} in ${ranges}`;
    refuse(refusal, 'InsufficientPorts', reason);
  }
}

function checkConstraints(context: PlacementContext, refusal: Refusal): void {
  const agent = refusal.agent;
  context.constraints.forEach((compiled, index) => {
    const { field } = compiled.constraint;
    const value = fieldValue(agent, field);
    let detail: string | undefined;
    if (!compiled.admitsValue(value)) {
      detail = value === undefined ? `agent has no attribute ${field}` : `${field} is ${value}`;
    } else if (value !== undefined && compiled.kind === 'perValueMax') {
      const count = context.countOf(index, value);
      if (count >= compiled.limit) detail = `${value} already has ${instances(count)}`;
    } else if (value !== undefined && compiled.kind === 'cluster') {
      const pinned = context.clusterValues[index];
      if (pinned !== undefined && value !== pinned) detail = `instances are on ${pinned}`;
    }
    if (detail !== undefined) refuseConstraint(refusal, compiled.key, detail);
  });
}

function checkGroupBy(context: PlacementContext, available: readonly Refusal[]): void {
  const minimums = groupByMinimums(
    context,
    available.map((refusal) => refusal.agent),
  );
  for (const refusal of available) {
    context.groupByIndexes.forEach((index, position) => {
      const compiled = context.constraints[index]!;
      const value = fieldValue(refusal.agent, compiled.constraint.field);
      if (value === undefined) return;
      const count = context.countOf(index, value);
      const minimum = minimums[position]!;
      if (count > minimum) {
        refuseConstraint(
          refusal,
          compiled.key,
          `${value} has ${instances(count)}, another value has ${minimum}`,
        );
      }
    });
  }
}

function refuseConstraint(refusal: Refusal, key: string, detail: string): void {
  refuse(refusal, 'UnfulfilledConstraint', `constraint ${key} (${detail})`);
  refusal.constraintKeys.push(key);
}

function amount(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

function instances(count: number): string {
  return count === 1 ? '1 instance' : `${count} instances`;
}
