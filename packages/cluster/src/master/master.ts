import { EventEmitter } from 'node:events';
import type { Clock, Logger, MetricsRegistry, Random, TimerHandle } from '@exosphere/common';
import type { AgentLink } from '../core/protocol.js';
import { AgentRegistry } from './agent-registry.js';
import { AppService } from './app-service.js';
import { defaultMasterSettings, type MasterContext, type MasterSettings } from './context.js';
import { frozenApps, progressDeployments } from './deployments.js';
import { EventBus } from './events.js';
import { createMasterMetrics } from './master-metrics.js';
import { runSchedulingRound } from './scheduler.js';
import { ClusterState } from './state.js';
import type { StateStore, StoreOperation } from './store/state-store.js';
import { keys } from './model.js';
import { JobService } from './jobs/job-service.js';
import { runJobRound } from './jobs/job-round.js';
import { onJobTaskChanged } from './jobs/run-lifecycle.js';

export interface MasterOptions {
  store: StateStore;
  clock: Clock;
  random: Random;
  logger: Logger;
  metrics: MetricsRegistry;
  agentLink: AgentLink;
  settings?: Partial<MasterSettings>;
  /** Called when a commit to the store fails: the master cannot go on (default: exit the process). */
  onFatal?: (error: unknown) => void;
}

/**
 * The master: cluster state, the scheduling loop and the services the API calls. All
 * decisions come from the pure core; this class sequences rounds and persistence.
 * It uses only the injected clock, random and links, so the deterministic simulation runs
 * exactly this code.
 */
export class Master {
  readonly context: MasterContext;
  readonly agents: AgentRegistry;
  readonly apps: AppService;
  readonly jobs: JobService;
  private timer: TimerHandle | undefined;
  private running = false;
  private roundInFlight = false;
  private roundRequested = false;
  private stopped = false;
  private readonly fatal: (error: unknown) => void;
  /** Emits 'round' after every scheduling round (tests and the simulation wait on it). */
  readonly rounds = new EventEmitter();

  private constructor(options: MasterOptions, state: ClusterState, masterId: string) {
    const settings = { ...defaultMasterSettings, ...options.settings };
    this.fatal =
      options.onFatal ??
      ((error) => {
        options.logger.error(
          'state store commit failed; stopping so that a restart recovers from the durable state',
          { error },
        );
        process.exit(70);
      });
    const events = new EventBus(() => options.clock.now());
    this.context = {
      masterId,
      state,
      clock: options.clock,
      random: options.random,
      logger: options.logger,
      events,
      metrics: createMasterMetrics(options.metrics, () => state),
      settings,
      agentLink: options.agentLink,
      store: options.store,
      persist: (operations) => this.persist(operations),
      wake: () => this.wake(),
      taskListeners: [],
    };
    this.agents = new AgentRegistry(this.context);
    this.apps = new AppService(this.context);
    this.jobs = new JobService(this.context);
    this.context.taskListeners.push((task, previous) =>
      onJobTaskChanged(this.context, task, previous),
    );
  }

  static async create(options: MasterOptions): Promise<Master> {
    const state = await ClusterState.load(options.store);
    let meta = (await options.store.get(keys.meta)) as { masterId: string } | undefined;
    if (!meta) {
      meta = { masterId: options.random.uuid() };
      await options.store.commit([{ type: 'put', key: keys.meta, value: meta }]);
    }
    return new Master(options, state, meta.masterId);
  }

  get state(): ClusterState {
    return this.context.state;
  }

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    this.timer?.cancel();
    while (this.roundInFlight) await this.context.clock.sleep(5);
  }

  /** Requests a round as soon as possible (coalesced). */
  wake(): void {
    if (!this.running) return;
    if (this.roundInFlight) {
      this.roundRequested = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    this.timer?.cancel();
    this.timer = this.context.clock.setTimer(delayMs, () => void this.round());
  }

  /** One round: liveness, deployment progress, then scheduling. Never throws. */
  async round(): Promise<void> {
    if (this.roundInFlight || this.stopped) return;
    this.roundInFlight = true;
    this.roundRequested = false;
    const started = this.context.clock.monotonic();
    try {
      const operations: StoreOperation[] = [
        ...this.agents.checkLiveness(),
        ...progressDeployments(this.context),
      ];
      await this.persist(operations);
      await runSchedulingRound(this.context, frozenApps(this.context));
      await runJobRound(this.context);
      await this.persist(progressDeployments(this.context));
    } catch (error) {
      this.context.logger.error('scheduling round failed', { error });
    } finally {
      this.context.metrics.schedulingRound.observe(
        (this.context.clock.monotonic() - started) / 1000,
      );
      this.roundInFlight = false;
      this.rounds.emit('round');
      if (this.running)
        this.schedule(this.roundRequested ? 0 : this.context.settings.reconcileIntervalMs);
    }
  }

  private async persist(operations: readonly StoreOperation[]): Promise<void> {
    if (operations.length === 0) return;
    try {
      await this.context.store.commit(operations);
    } catch (error) {
      // Memory is ahead of the disk now; the only safe continuation is a restart from disk.
      this.fatal(error);
      throw error;
    }
  }
}
