import {
  MetricsRegistry,
  SeededRandom,
  silentLogger,
  VirtualClock,
  type Random,
} from '@exosphere/common';
import { Agent } from '../agent/agent.js';
import type { TaskLaunchSpec } from '../core/protocol.js';
import type { AgentResources } from '../core/resources.js';
import { defaultMasterSettings, type MasterSettings } from '../master/context.js';
import type { MarathonEvent } from '../master/events.js';
import { Master } from '../master/master.js';
import { MemoryStateStore } from '../master/store/state-store.js';
import { InvariantMonitor, type KnownIssue } from './invariants.js';
import { ProcessClock } from './process-clock.js';
import { agentUrl, SimNetwork, type NetworkOptions } from './sim-network.js';
import { SimExecutor } from './sim-executor.js';
import {
  defaultProcessTiming,
  SimHost,
  type ProcessTiming,
  type TaskBehaviour,
} from './sim-host.js';
import { deriveSeed, Trace } from './trace.js';

export interface WorldOptions {
  readonly seed: number;
  readonly agents: number;
  readonly agentResources?: AgentResources;
  readonly masterSettings?: Partial<MasterSettings>;
  readonly network?: Partial<NetworkOptions>;
  readonly timing?: Partial<ProcessTiming>;
  /** Record every event into the trace hash (default true; the benchmark turns it off). */
  readonly trace?: boolean;
  /** Check the invariants while running (default true; the benchmark turns it off). */
  readonly invariants?: boolean;
  /** A replacement must run within agentTimeoutMs plus this after a host dies (default 2000). */
  readonly failoverSlackMs?: number;
  /** Master bugs to count rather than fail on (see KnownIssue). */
  readonly knownIssues?: readonly KnownIssue[];
}

export const defaultAgentResources: AgentResources = {
  cpus: 8,
  mem: 16_384,
  disk: 100_000,
  ports: [{ begin: 31000, end: 32000 }],
};

/** One agent process: the real Agent, its executor and the process it runs in. */
interface AgentProcess {
  readonly agent: Agent;
  readonly executor: SimExecutor;
  readonly process: ProcessClock;
}

/** A broken invariant: the message names the seed and step, which replay it. */
export class SimulationFailure extends Error {
  readonly code = 'EXO_SIM_INVARIANT';
}

/**
 * The whole simulated cluster in one process: a virtual clock, a network, hosts with their task
 * processes, the real Agent on each host and the real Master, all driven from one seed. The
 * master's store outlives the master, so `restartMaster()` is exactly a kill -9 and a restart
 * from disk. Each component draws from its own random stream derived from the seed.
 */
export class SimulationWorld {
  readonly seed: number;
  readonly clock = new VirtualClock();
  private readonly startedAt = this.clock.now();
  readonly trace: Trace;
  readonly network: SimNetwork;
  readonly store = new MemoryStateStore();
  readonly hosts: SimHost[] = [];
  readonly settings: MasterSettings;
  readonly monitor: InvariantMonitor | undefined;
  readonly agentResources: AgentResources;
  /** Apps as the API acknowledged them (id → instances): a master restart must keep them all. */
  readonly expectedApps = new Map<string, number>();
  /** The scenario step in progress, for failure messages. */
  step = 0;
  private currentMaster: { master: Master; process: ProcessClock } | undefined;
  private readonly agentProcesses: (AgentProcess | undefined)[] = [];
  private readonly behaviours = new Map<string, TaskBehaviour>();
  private readonly masterRandom: Random;

  private constructor(options: WorldOptions) {
    this.seed = options.seed;
    this.trace = new Trace(options.trace ?? true);
    this.settings = { ...defaultMasterSettings, ...options.masterSettings };
    this.agentResources = options.agentResources ?? defaultAgentResources;
    this.masterRandom = new SeededRandom(deriveSeed(options.seed, 'master'));
    const networkRandom = new SeededRandom(deriveSeed(options.seed, 'network'));
    this.network = new SimNetwork(
      { clock: this.clock, random: networkRandom, trace: this.trace },
      options.network,
    );
    const timing = { ...defaultProcessTiming, ...options.timing };
    for (let index = 0; index < options.agents; index++) {
      this.hosts.push(
        new SimHost({
          index,
          hostname: `host-${index}`,
          clock: this.clock,
          random: new SeededRandom(deriveSeed(options.seed, `host-${index}`)),
          trace: this.trace,
          timing,
          behaviourOf: (spec) => this.behaviourOf(spec),
        }),
      );
      this.agentProcesses.push(undefined);
    }
    this.monitor =
      options.invariants === false
        ? undefined
        : new InvariantMonitor(this, {
            failoverSlackMs: options.failoverSlackMs ?? 2000,
            ...(options.knownIssues ? { knownIssues: options.knownIssues } : {}),
          });
  }

  static async create(options: WorldOptions): Promise<SimulationWorld> {
    const world = new SimulationWorld(options);
    await world.startMaster();
    for (let index = 0; index < world.hosts.length; index++) await world.startAgentProcess(index);
    world.monitor?.start();
    return world;
  }

  get master(): Master | undefined {
    return this.currentMaster?.master;
  }

  get now(): number {
    return this.clock.now();
  }

  /** Simulated time since the world was created. */
  get elapsedMs(): number {
    return this.now - this.startedAt;
  }

  agentName(index: number): string {
    return `agent-${index}`;
  }

  agentProcess(index: number): AgentProcess | undefined {
    return this.agentProcesses[index];
  }

  /** The master can reach the agent on host `index` right now. */
  reachable(index: number): boolean {
    const running = this.agentProcesses[index];
    return (
      this.hosts[index]?.alive === true &&
      running !== undefined &&
      !running.process.paused &&
      !this.network.isPartitioned(this.agentName(index))
    );
  }

  async advance(durationMs: number): Promise<void> {
    await this.clock.advance(durationMs);
  }

  /** Advances in steps until `condition` holds; returns false if `timeoutMs` passes first. */
  async advanceUntil(
    condition: () => boolean,
    options: { timeoutMs: number; stepMs?: number },
  ): Promise<boolean> {
    const deadline = this.now + options.timeoutMs;
    while (!condition()) {
      if (this.now >= deadline) return false;
      await this.advance(Math.min(options.stepMs ?? 50, deadline - this.now));
    }
    return true;
  }

  setBehaviour(appId: string, behaviour: TaskBehaviour): void {
    this.behaviours.set(appId, behaviour);
  }

  behaviourOfApp(appId: string): TaskBehaviour {
    return this.behaviours.get(appId) ?? { kind: 'forever' };
  }

  /** POST /v2/apps through the real AppService. */
  async deployApp(json: Record<string, unknown>, behaviour?: TaskBehaviour): Promise<string> {
    const master = this.requireMaster();
    const { app } = await master.apps.create(json, { force: false });
    if (behaviour) this.setBehaviour(app.id, behaviour);
    this.expectedApps.set(app.id, app.instances);
    this.record(`deploy ${app.id} instances=${app.instances}`);
    return app.id;
  }

  /** PATCH /v2/apps/{id} with a new instance count (forced, as operators scale during incidents). */
  async scaleApp(appId: string, instances: number): Promise<void> {
    const master = this.requireMaster();
    await master.apps.update(appId, { instances }, { force: true, partial: true });
    this.expectedApps.set(appId, instances);
    this.record(`scale ${appId} instances=${instances}`);
  }

  /** SIGKILL of the agent process: no cleanup, its tasks keep running on the host. */
  killAgentProcess(index: number): void {
    if (this.dropAgentProcess(index)) this.fault('kill-agent', index);
  }

  /** A new agent process on the same host; it re-attaches to the host's tasks. */
  async restartAgentProcess(index: number): Promise<void> {
    this.killAgentProcess(index);
    if (this.hosts[index]?.alive) await this.startAgentProcess(index);
  }

  /** The machine dies: its tasks end and its agent goes silent. */
  killHost(index: number): void {
    const host = this.hosts[index];
    if (!host?.alive) return;
    this.monitor?.hostDying(index);
    this.dropAgentProcess(index);
    host.die();
    this.fault('kill-host', index);
  }

  /** The machine comes back empty and its agent starts (same agent id, as it is kept on disk). */
  async bootHost(index: number): Promise<void> {
    const host = this.hosts[index];
    if (!host || host.alive) return;
    host.boot();
    this.fault('boot-host', index);
    await this.startAgentProcess(index);
  }

  /** SIGSTOP of the agent process for `durationMs` (its tasks keep running). */
  pauseAgent(index: number, durationMs: number): void {
    const running = this.agentProcesses[index];
    if (!running) return;
    this.monitor?.agentPausing(index, durationMs);
    running.process.pause(durationMs);
    this.fault(`pause-agent ${durationMs}ms`, index);
  }

  partition(index: number, durationMs: number): void {
    this.network.partition(this.agentName(index), durationMs);
    this.fault(`partition ${durationMs}ms`, index);
  }

  /** kill -9 of the master, `downMs` of nothing, then a new master from the same store. */
  async restartMaster(downMs = 0): Promise<void> {
    this.stopMasterProcess();
    this.fault(`restart-master down=${downMs}ms`, -1);
    if (downMs > 0) await this.advance(downMs);
    await this.startMaster();
    this.monitor?.masterRestarted();
  }

  /** kill -9 of the master alone (a restart follows through `startMaster`). */
  stopMasterProcess(): void {
    const current = this.currentMaster;
    if (!current) return;
    current.process.kill();
    this.network.detachMaster();
    this.currentMaster = undefined;
  }

  async startMaster(): Promise<void> {
    if (this.currentMaster) return;
    const process = new ProcessClock(this.clock);
    const master = await Master.create({
      store: this.store,
      clock: process,
      random: this.masterRandom,
      logger: silentLogger(),
      metrics: new MetricsRegistry(),
      agentLink: this.network.agentLinkFor(process),
      settings: this.settings,
      onFatal: (error) => this.monitor?.violation('master fatal error', String(error)),
    });
    this.currentMaster = { master, process };
    this.network.attachMaster(
      {
        register: (request) => master.agents.register(request),
        heartbeat: (request) => master.agents.heartbeat(request),
      },
      process,
    );
    master.context.events.subscribe((event) => this.masterEvent(event));
    master.rounds.on('round', () => {
      if (process.alive) this.monitor?.round(master);
    });
    master.start();
    this.record('master started');
  }

  requireMaster(): Master {
    const master = this.master;
    if (!master) throw new SimulationFailure(this.describe('the master is down'));
    return master;
  }

  /** Prefixes a message with what replays it. */
  describe(message: string): string {
    return `seed ${this.seed} step ${this.step} at +${this.now - this.startedAt} ms: ${message}`;
  }

  record(text: string): void {
    this.trace.record(this.now, text);
  }

  private async startAgentProcess(index: number): Promise<void> {
    const host = this.hosts[index];
    if (!host?.alive || this.agentProcesses[index]) return;
    const name = this.agentName(index);
    const process = new ProcessClock(this.clock);
    const executor = new SimExecutor(host);
    const agent = new Agent({
      agentId: name,
      hostname: host.hostname,
      url: agentUrl(name),
      resources: this.agentResources,
      attributes: { rack: `rack-${index % 4}` },
      executor,
      masterLink: this.network.masterLinkFor(name, process),
      clock: process,
      logger: silentLogger(),
      metrics: new MetricsRegistry(),
    });
    this.agentProcesses[index] = { agent, executor, process };
    this.network.attachAgent(
      name,
      {
        launch: (specs) => agent.launch(specs),
        kill: (kills) => agent.kill(kills),
      },
      process,
    );
    await agent.start();
    this.record(`${name} process started`);
  }

  private dropAgentProcess(index: number): boolean {
    const running = this.agentProcesses[index];
    if (!running) return false;
    running.process.kill();
    running.executor.detach();
    this.network.detachAgent(this.agentName(index));
    this.agentProcesses[index] = undefined;
    return true;
  }

  private behaviourOf(spec: TaskLaunchSpec): TaskBehaviour {
    return this.behaviourOfApp(spec.appId);
  }

  private fault(kind: string, index: number): void {
    this.record(`fault ${kind}${index >= 0 ? ` ${this.agentName(index)}` : ''}`);
    this.monitor?.fault(kind, index);
  }

  private masterEvent(event: MarathonEvent): void {
    if (this.trace.enabled) this.record(`event ${JSON.stringify(event)}`);
    this.monitor?.masterEvent(event);
  }
}
