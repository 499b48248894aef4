import type { Clock, Logger, MetricsRegistry, TimerHandle } from '@exosphere/common';
import type {
  HeartbeatResponse,
  MasterLink,
  TaskLaunchSpec,
  TaskStatus,
} from '../core/protocol.js';
import type { AgentResources } from '../core/resources.js';
import { taskStates } from '../core/task-state.js';
import type { Executor } from './executor.js';
import { RateLimitedLog } from './rate-limited-log.js';

export interface AgentOptions {
  readonly agentId: string;
  readonly hostname: string;
  /** Base URL of this agent's HTTP API, as the master should reach it. */
  readonly url: string;
  readonly resources: AgentResources;
  readonly attributes: Readonly<Record<string, string>>;
  readonly executor: Executor;
  readonly masterLink: MasterLink;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  /** Overrides the interval the master asks for (tests use short ones). */
  readonly heartbeatIntervalMs?: number;
  /** First and largest wait between registration attempts. */
  readonly registerRetryInitialMs?: number;
  readonly registerRetryMaximumMs?: number;
}

export interface AgentInfo {
  readonly agentId: string;
  readonly hostname: string;
  readonly url: string;
  readonly resources: AgentResources;
  readonly attributes: Readonly<Record<string, string>>;
  readonly isolation: string;
  readonly registered: boolean;
}

/** A task change is reported this soon, batching the burst of changes a launch makes. */
const earlyHeartbeatDelayMs = 20;
const errorLogIntervalMs = 10_000;

/**
 * The agent core: registers with the master, then heartbeats the full task list and applies
 * what the master answers (kill, launch, forget). It talks through `MasterLink` and
 * `Executor` only, so the same code runs over HTTP with real processes and in simulation.
 * Failures to reach the master are retried forever; nothing here crashes the agent.
 */
export class Agent {
  private readonly logger: Logger;
  private readonly errorLog: RateLimitedLog;
  private readonly heartbeatFailures;
  private readonly heartbeatRoundTrip;
  private registered = false;
  private registering = false;
  private stopped = false;
  private heartbeatIntervalMs = 1000;
  private heartbeatTimer: TimerHandle | undefined;
  private heartbeatInFlight = false;
  private heartbeatAgain = false;
  private earlyHeartbeatTimer: TimerHandle | undefined;
  private retryTimer: { handle: TimerHandle; wake: () => void } | undefined;

  constructor(private readonly options: AgentOptions) {
    this.logger = options.logger.child({ component: 'agent', agentId: options.agentId });
    this.errorLog = new RateLimitedLog({
      logger: this.logger,
      clock: options.clock,
      intervalMs: errorLogIntervalMs,
    });
    options.metrics.gauge('exo_agent_tasks', 'Tasks on this agent by state.').collect(() => {
      const counts = new Map<string, number>(taskStates.map((state) => [state, 0]));
      for (const status of options.executor.list()) {
        counts.set(status.state, (counts.get(status.state) ?? 0) + 1);
      }
      return [...counts].map(([state, count]) => [{ state }, count]);
    });
    this.heartbeatFailures = options.metrics.counter(
      'exo_agent_heartbeat_failures_total',
      'Heartbeats to the master that failed.',
    );
    this.heartbeatRoundTrip = options.metrics.histogram(
      'exo_agent_heartbeat_round_trip_seconds',
      'Time from sending a heartbeat to applying the answer.',
      [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    );
    options.executor.onUpdate(() => this.requestEarlyHeartbeat());
  }

  get agentId(): string {
    return this.options.agentId;
  }

  /** Re-attaches to the tasks of a previous run, then registers in the background. */
  async start(): Promise<void> {
    await this.options.executor.recover();
    void this.registerUntilDone();
  }

  async stop(options: { killTasks: boolean }): Promise<void> {
    this.stopped = true;
    this.heartbeatTimer?.cancel();
    this.earlyHeartbeatTimer?.cancel();
    if (this.retryTimer) {
      this.retryTimer.handle.cancel();
      this.retryTimer.wake();
    }
    await this.options.executor.shutdown(options);
  }

  isRegistered(): boolean {
    return this.registered;
  }

  info(): AgentInfo {
    const { agentId, hostname, url, resources, attributes } = this.options;
    return {
      agentId,
      hostname,
      url,
      resources,
      attributes,
      isolation: this.options.executor.isolation(),
      registered: this.registered,
    };
  }

  list(): TaskStatus[] {
    return this.options.executor.list();
  }

  /** Launches tasks (idempotent per task id); resolves once each has started or failed. */
  async launch(specs: readonly TaskLaunchSpec[]): Promise<void> {
    await Promise.all(specs.map((spec) => this.launchOne(spec)));
  }

  /** Starts killing tasks; their end is reported through updates, not awaited here. */
  kill(kills: readonly { readonly taskId: string; readonly gracePeriodMs: number }[]): void {
    for (const { taskId, gracePeriodMs } of kills) {
      this.options.executor.kill(taskId, gracePeriodMs).catch((error: unknown) => {
        this.logger.error('task kill failed', { taskId, error });
      });
    }
  }

  private async launchOne(spec: TaskLaunchSpec): Promise<void> {
    try {
      await this.options.executor.launch(spec);
    } catch (error) {
      this.logger.error('task launch failed', { taskId: spec.taskId, error });
    }
  }

  /** Registers, retrying with exponential backoff until it works or the agent stops. */
  private async registerUntilDone(): Promise<void> {
    if (this.registering) return;
    this.registering = true;
    const initialMs = this.options.registerRetryInitialMs ?? 100;
    const maximumMs = this.options.registerRetryMaximumMs ?? 5000;
    try {
      for (let attempt = 0; !this.stopped; attempt++) {
        try {
          const response = await this.options.masterLink.register({
            agentId: this.options.agentId,
            hostname: this.options.hostname,
            url: this.options.url,
            resources: this.options.resources,
            attributes: this.options.attributes,
            tasks: this.options.executor.list(),
            isolation: this.options.executor.isolation(),
          });
          if (this.stopped) return;
          this.registered = true;
          this.errorLog.reset();
          this.heartbeatIntervalMs = Math.max(
            1,
            this.options.heartbeatIntervalMs ?? response.heartbeatIntervalMs,
          );
          this.logger.info('registered with the master', {
            masterId: response.masterId,
            heartbeatIntervalMs: this.heartbeatIntervalMs,
          });
          this.scheduleHeartbeat(this.heartbeatIntervalMs);
          return;
        } catch (error) {
          this.errorLog.warn('registration with the master failed; retrying', { attempt, error });
          await this.wait(Math.min(maximumMs, initialMs * 2 ** Math.min(attempt, 20)));
        }
      }
    } finally {
      this.registering = false;
    }
  }

  private wait(delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      const handle = this.options.clock.setTimer(delayMs, () => {
        this.retryTimer = undefined;
        resolve();
      });
      this.retryTimer = { handle, wake: resolve };
    });
  }

  private requestEarlyHeartbeat(): void {
    if (this.stopped || !this.registered || this.earlyHeartbeatTimer) return;
    this.earlyHeartbeatTimer = this.options.clock.setTimer(earlyHeartbeatDelayMs, () => {
      this.earlyHeartbeatTimer = undefined;
      void this.heartbeat();
    });
  }

  private scheduleHeartbeat(delayMs: number): void {
    this.heartbeatTimer?.cancel();
    this.heartbeatTimer = this.options.clock.setTimer(delayMs, () => void this.heartbeat());
  }

  private async heartbeat(): Promise<void> {
    if (this.stopped || !this.registered) return;
    if (this.heartbeatInFlight) {
      // One heartbeat at a time; a change during one is sent right after it.
      this.heartbeatAgain = true;
      return;
    }
    this.heartbeatInFlight = true;
    this.heartbeatTimer?.cancel();
    const startedMs = this.options.clock.monotonic();
    try {
      const response = await this.options.masterLink.heartbeat({
        agentId: this.options.agentId,
        tasks: this.options.executor.list(),
      });
      this.heartbeatRoundTrip.observe((this.options.clock.monotonic() - startedMs) / 1000);
      this.errorLog.reset();
      if (!this.stopped) this.apply(response);
    } catch (error) {
      this.heartbeatFailures.inc();
      this.errorLog.warn('heartbeat to the master failed; retrying', { error });
    } finally {
      this.heartbeatInFlight = false;
      if (!this.stopped && this.registered) {
        const again = this.heartbeatAgain;
        this.heartbeatAgain = false;
        this.scheduleHeartbeat(again ? 0 : this.heartbeatIntervalMs);
      }
    }
  }

  private apply(response: HeartbeatResponse): void {
    if (!response.known) {
      this.logger.warn('the master does not know this agent; registering again');
      this.registered = false;
      this.heartbeatTimer?.cancel();
      void this.registerUntilDone();
      return;
    }
    this.kill(response.kill ?? []);
    for (const spec of response.launch ?? []) void this.launchOne(spec);
    for (const taskId of response.acknowledged ?? []) this.options.executor.forget(taskId);
  }
}
