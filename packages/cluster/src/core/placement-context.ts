import { compileConstraint, fieldValue, type CompiledConstraint } from './constraint-eval.js';
import type { LedgerAgent, PlacementLedger } from './placement-ledger.js';
import type { Placement, PlacementRequest } from './placement-types.js';

/** The host ports one instance asks for, split the way Marathon treats them. */
export interface PortDemand {
  /** Exact host ports: the non-zero entries of `ports` when `requirePorts` is set. */
  readonly required: readonly number[];
  /** How many ports may be any free port (0 entries, and non-zero ones without requirePorts). */
  readonly anyCount: number;
  /** A required port listed twice; no agent can satisfy that. */
  readonly repeated: number | undefined;
}

/**
 * The state of one `place()` call: the compiled constraints, how many instances of the app sit on
 * each field value and each agent (from `existing`, then from each assignment), and the checks
 * built on them. Counting only grows and free resources only shrink during a call, so an agent
 * that fails `canTake` once never passes it again in the same call; placement relies on that.
 */
export class PlacementContext {
  readonly request: PlacementRequest;
  readonly ledger: PlacementLedger;
  readonly constraints: readonly CompiledConstraint[];
  /** Indexes into `constraints` of the GROUP_BY constraints. */
  readonly groupByIndexes: readonly number[];
  readonly ports: PortDemand;
  /** Per constraint (same index): instances of the app per field value. */
  readonly valueCounts: readonly Map<string, number>[];
  /** Per constraint: for CLUSTER without a value, the value every instance must share. */
  readonly clusterValues: (string | undefined)[];
  /** Instances of the app per agent, by ledger index. */
  readonly instancesOnAgent: Int32Array;

  constructor(request: PlacementRequest, ledger: PlacementLedger) {
    this.request = request;
    this.ledger = ledger;
    this.constraints = request.constraints.map(compileConstraint);
    this.groupByIndexes = this.constraints.flatMap((compiled, index) =>
      compiled.kind === 'groupBy' ? [index] : [],
    );
    this.ports = portDemand(request);
    this.valueCounts = this.constraints.map(() => new Map<string, number>());
    this.clusterValues = this.constraints.map(() => undefined);
    this.instancesOnAgent = new Int32Array(ledger.size);
    // Existing instances on agents missing from the ledger (gone, never registered) are not
    // counted: their field values are unknown. CLUSTER follows the first existing instance
    // whose agent is known, in the order given.
    for (const instance of request.existing) {
      const agent = ledger.get(instance.agentId);
      if (agent !== undefined) this.#count(agent);
    }
  }

  /** Checks that cannot change during the call: schedulable, and each agent's own values. */
  admitsStatically(agent: LedgerAgent): boolean {
    if (!agent.schedulable) return false;
    for (const compiled of this.constraints) {
      if (!compiled.admitsValue(fieldValue(agent, compiled.constraint.field))) return false;
    }
    return true;
  }

  /** Whether the agent has the cpus, mem, disk and ports for one more instance now. */
  hasRoomFor(agent: LedgerAgent): boolean {
    if (!agent.fitsScalars(this.request.resources)) return false;
    const { required, anyCount, repeated } = this.ports;
    if (repeated !== undefined) return false;
    for (const port of required) if (!agent.ports.isFree(port)) return false;
    return agent.ports.freeCount - required.length >= anyCount;
  }

  /** UNIQUE, MAX_PER and CLUSTER-without-value against the counts so far (GROUP_BY aside). */
  countsAllow(agent: LedgerAgent): boolean {
    for (let index = 0; index < this.constraints.length; index += 1) {
      const compiled = this.constraints[index]!;
      if (compiled.kind === 'perValueMax') {
        const value = fieldValue(agent, compiled.constraint.field) ?? '';
        if ((this.valueCounts[index]!.get(value) ?? 0) >= compiled.limit) return false;
      } else if (compiled.kind === 'cluster') {
        const pinned = this.clusterValues[index];
        if (pinned !== undefined && fieldValue(agent, compiled.constraint.field) !== pinned) {
          return false;
        }
      }
    }
    return true;
  }

  /** Everything except the static checks and GROUP_BY: room, and counting constraints. */
  canTake(agent: LedgerAgent): boolean {
    return this.hasRoomFor(agent) && this.countsAllow(agent);
  }

  /** Instances of the app on `value` of the field of constraint `index`. */
  countOf(index: number, value: string): number {
    return this.valueCounts[index]?.get(value) ?? 0;
  }

  /**
   * Lower is better. binpack fills the fullest agent that still fits; spread takes the agent with
   * the fewest instances of this app, then the emptiest one. Ties go to the lower ledger index.
   */
  score(agent: LedgerAgent): number {
    const share = agent.freeShare();
    if (this.request.strategy === 'binpack') return share;
    // The share lies in [0, 1], so doubling the instance count keeps the two keys in order.
    return this.instancesOnAgent[agent.index]! * 2 + (1 - Math.min(1, Math.max(0, share)));
  }

  /** Assigns one instance to the agent: reserves resources and ports and updates the counts. */
  assign(agent: LedgerAgent): Placement {
    const wanted = this.request.ports;
    const ports = new Array<number>(wanted.length);
    // Exact ports first, so "any port" never takes one of them.
    for (let index = 0; index < wanted.length; index += 1) {
      const port = wanted[index]!;
      if (this.request.requirePorts && port !== 0) {
        agent.ports.take(port);
        ports[index] = port;
      }
    }
    for (let index = 0; index < wanted.length; index += 1) {
      if (this.request.requirePorts && wanted[index] !== 0) continue;
      const port = agent.ports.lowestFree();
      if (port === undefined) throw new Error(`agent ${agent.id} ran out of ports after a fit`);
      agent.ports.take(port);
      ports[index] = port;
    }
    agent.adjust(this.request.resources, 1);
    this.#count(agent);
    return { agentId: agent.id, ports };
  }

  #count(agent: LedgerAgent): void {
    this.instancesOnAgent[agent.index] = this.instancesOnAgent[agent.index]! + 1;
    for (let index = 0; index < this.constraints.length; index += 1) {
      const compiled = this.constraints[index]!;
      if (compiled.kind === 'static') continue;
      const value = fieldValue(agent, compiled.constraint.field);
      if (value === undefined) continue;
      const counts = this.valueCounts[index]!;
      counts.set(value, (counts.get(value) ?? 0) + 1);
      if (compiled.kind === 'cluster') this.clusterValues[index] ??= value;
    }
  }
}

function portDemand(request: PlacementRequest): PortDemand {
  const required: number[] = [];
  let anyCount = 0;
  let repeated: number | undefined;
  for (const port of request.ports) {
    if (!request.requirePorts || port === 0) anyCount += 1;
    else if (required.includes(port)) repeated ??= port;
    else required.push(port);
  }
  return { required, anyCount, repeated };
}
