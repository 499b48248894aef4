import { AgentPorts } from './agent-ports.js';
import type { AgentSnapshot } from './placement-types.js';
import type { AgentResources, Resources } from './resources.js';

/**
 * One agent in the ledger: its identity and what is still free on it.
 * Its free amounts change only through `PlacementLedger.reserve`/`release` and `place()`.
 */
export class LedgerAgent {
  /** Position in the ledger's id order; placement breaks ties by it. */
  readonly index: number;
  readonly id: string;
  readonly hostname: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly schedulable: boolean;
  readonly total: AgentResources;
  readonly ports: AgentPorts;
  #cpus: number;
  #mem: number;
  #disk: number;

  constructor(snapshot: AgentSnapshot, index: number) {
    this.index = index;
    this.id = snapshot.id;
    this.hostname = snapshot.hostname;
    this.attributes = snapshot.attributes;
    this.schedulable = snapshot.schedulable;
    this.total = snapshot.total;
    this.ports = new AgentPorts(snapshot.total.ports, snapshot.usedPorts);
    this.#cpus = roundCpus(snapshot.total.cpus - snapshot.used.cpus);
    this.#mem = snapshot.total.mem - snapshot.used.mem;
    this.#disk = snapshot.total.disk - snapshot.used.disk;
  }

  get freeCpus(): number {
    return this.#cpus;
  }
  get freeMem(): number {
    return this.#mem;
  }
  get freeDisk(): number {
    return this.#disk;
  }
  get free(): Resources {
    return { cpus: this.#cpus, mem: this.#mem, disk: this.#disk };
  }

  /** Whether one more instance of `resources` fits the scalar resources (ports aside). */
  fitsScalars(resources: Resources): boolean {
    return (
      resources.cpus <= this.#cpus && resources.mem <= this.#mem && resources.disk <= this.#disk
    );
  }

  /** Free share of the agent, 0 (full) to 1 (empty), averaged over cpus and mem. */
  freeShare(): number {
    const { cpus, mem } = this.total;
    // Disk is left out on purpose: it is often large and unused, and would make every agent
    // look equally empty to binpack. Nomad scores on cpu and memory for the same reason.
    if (cpus > 0 && mem > 0) return (this.#cpus / cpus + this.#mem / mem) / 2;
    if (cpus > 0) return this.#cpus / cpus;
    if (mem > 0) return this.#mem / mem;
    return 0;
  }

  /** @internal Use `PlacementLedger.reserve`/`release`, which validate the agent id. */
  adjust(resources: Resources, sign: 1 | -1): void {
    this.#cpus = roundCpus(this.#cpus - sign * resources.cpus);
    this.#mem -= sign * resources.mem;
    this.#disk -= sign * resources.disk;
  }
}

/** CPU shares are fractional; rounding to 1/1000 keeps repeated subtraction free of float drift. */
function roundCpus(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * What is free on every agent during one scheduling round.
 *
 * The master builds a fresh ledger from agent snapshots at the start of each round and calls
 * `place()` once per app; each call reserves what it assigns, so later calls in the same round see
 * earlier placements. Building is O(agents) and copies no port sets (see AgentPorts), so there is
 * no need to copy a ledger: build a new one.
 */
export class PlacementLedger {
  /** Agents in ascending id order (string order), the order every tie is broken by. */
  readonly agents: readonly LedgerAgent[];
  readonly #byId: ReadonlyMap<string, LedgerAgent>;

  constructor(snapshots: readonly AgentSnapshot[]) {
    const sorted = snapshots.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const agents: LedgerAgent[] = [];
    const byId = new Map<string, LedgerAgent>();
    for (const snapshot of sorted) {
      if (byId.has(snapshot.id)) throw new RangeError(`agent ${snapshot.id} appears twice`);
      const agent = new LedgerAgent(snapshot, agents.length);
      agents.push(agent);
      byId.set(agent.id, agent);
    }
    this.agents = agents;
    this.#byId = byId;
  }

  get size(): number {
    return this.agents.length;
  }

  get(agentId: string): LedgerAgent | undefined {
    return this.#byId.get(agentId);
  }

  /** Whether one instance of `resources` with exactly these host ports fits the agent now. */
  fits(agentId: string, resources: Resources, ports: readonly number[]): boolean {
    const agent = this.#byId.get(agentId);
    if (agent === undefined || !agent.fitsScalars(resources)) return false;
    return new Set(ports).size === ports.length && ports.every((port) => agent.ports.isFree(port));
  }

  /**
   * Takes resources and exact host ports on an agent. Throws RangeError, changing nothing, for an
   * unknown agent or a port that is not free; scalar resources may go below zero, because the
   * caller may be recording a task that already runs.
   */
  reserve(agentId: string, resources: Resources, ports: readonly number[]): void {
    const agent = this.#require(agentId);
    if (new Set(ports).size !== ports.length) {
      throw new RangeError(`ports ${ports.join(',')} repeat a port`);
    }
    for (const port of ports) {
      if (!agent.ports.isFree(port)) {
        throw new RangeError(`port ${port} is not free on agent ${agentId}`);
      }
    }
    for (const port of ports) agent.ports.take(port);
    agent.adjust(resources, 1);
  }

  /** Gives back what `reserve` took. Throws RangeError, changing nothing, for a port not in use. */
  release(agentId: string, resources: Resources, ports: readonly number[]): void {
    const agent = this.#require(agentId);
    if (new Set(ports).size !== ports.length) {
      throw new RangeError(`ports ${ports.join(',')} repeat a port`);
    }
    for (const port of ports) {
      if (agent.ports.isFree(port) || !agent.ports.offers(port)) {
        throw new RangeError(`port ${port} is not in use on agent ${agentId}`);
      }
    }
    for (const port of ports) agent.ports.give(port);
    agent.adjust(resources, -1);
  }

  #require(agentId: string): LedgerAgent {
    const agent = this.#byId.get(agentId);
    if (agent === undefined) throw new RangeError(`agent ${agentId} is not in the ledger`);
    return agent;
  }
}
