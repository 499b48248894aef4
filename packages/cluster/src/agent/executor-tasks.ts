import { join } from 'node:path';
import type { Clock, Logger } from '@exosphere/common';
import type { TaskStatus } from '../core/protocol.js';
import { isTerminal } from '../core/task-state.js';
import { CgroupIsolation } from './cgroups.js';
import { CheckpointWriter, type CheckpointEntry } from './checkpoint.js';
import type { FetchLimits } from './fetcher.js';
import { HealthChecker } from './health-checker.js';
import { signalTree } from './task-kill.js';
import { finalState, type EndReason, type TaskRecord } from './task-record.js';

export interface ProcessExecutorOptions {
  /** The agent home: sandboxes and the checkpoint live here. */
  readonly workDir: string;
  readonly agentId: string;
  /** The host name tasks see (EXO_HOST, HOST) and health checks probe. */
  readonly hostname: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where the cgroup v1 controllers are mounted (default /sys/fs/cgroup); false turns isolation off. */
  readonly cgroupRoot?: string | false;
  /** How often a re-attached process (no longer our child) is checked for life. */
  readonly livenessPollIntervalMs?: number;
  /** Time and size limits of fetching artifacts (default `defaultFetchLimits`). */
  readonly fetchLimits?: FetchLimits;
}

/**
 * What the process executor's parts share: the task table, its checkpoint, the cgroups, and
 * the one path by which a task's state changes (`setState`) and ends (`finish`).
 */
export class ExecutorTasks {
  readonly tasks = new Map<string, TaskRecord>();
  readonly logger: Logger;
  readonly clock: Clock;
  readonly cgroups: CgroupIsolation | undefined;
  readonly checkpoint: CheckpointWriter;
  readonly checkpointPath: string;
  readonly livenessPollIntervalMs: number;
  /** Once set, no event changes a task any more (the agent process is going away). */
  stopped = false;
  private readonly listeners: Array<(status: TaskStatus) => void> = [];

  constructor(readonly options: ProcessExecutorOptions) {
    this.logger = options.logger.child({ component: 'executor' });
    this.clock = options.clock;
    this.livenessPollIntervalMs = options.livenessPollIntervalMs ?? 200;
    const cgroupRoot = options.cgroupRoot ?? '/sys/fs/cgroup';
    this.cgroups =
      cgroupRoot === false
        ? undefined
        : new CgroupIsolation({
            root: cgroupRoot,
            agentId: options.agentId,
            clock: options.clock,
            logger: this.logger,
          });
    this.checkpointPath = join(options.workDir, 'checkpoint.json');
    this.checkpoint = new CheckpointWriter(
      this.checkpointPath,
      () => this.checkpointEntries(),
      (error) => this.logger.error('could not write the checkpoint', { error }),
    );
  }

  onUpdate(listener: (status: TaskStatus) => void): void {
    this.listeners.push(listener);
  }

  async finish(record: TaskRecord, reason: EndReason): Promise<void> {
    if (record.ending || this.stopped) return;
    record.ending = true;
    record.health?.stop();
    record.killTimer?.cancel();
    record.livenessTimer?.cancel();
    // The command has ended; whatever it left behind in its group or cgroup goes with it.
    await signalTree(this, record, 'SIGKILL');
    const final = await finalState(record, reason, this.cgroups);
    if (this.cgroups?.enabled) await this.cgroups.remove(record.spec.taskId);
    if (this.stopped) return;
    this.setState(record, final);
    record.resolveEnded();
  }

  startHealthChecks(record: TaskRecord, environment: Record<string, string>): void {
    if (record.spec.healthChecks.length === 0 || record.ending) return;
    record.health = new HealthChecker({
      specs: record.spec.healthChecks,
      // Checks run on the agent's own machine, so they probe loopback, as Mesos-native
      // checks do: the advertised hostname may not resolve, or may name another interface.
      host: '127.0.0.1',
      sandboxDir: record.sandboxDir,
      environment,
      runAs: record.runAs,
      clock: this.clock,
      logger: this.logger.child({ taskId: record.spec.taskId }),
      onChange: () => {
        if (!record.ending && !this.stopped) this.emit(record);
      },
    });
    record.health.start();
  }

  setState(
    record: TaskRecord,
    change: Partial<Pick<TaskStatus, 'state' | 'message' | 'exitCode' | 'startedAt'>>,
  ): void {
    // A terminal state is final; a late event (an exit racing a launch) cannot revive a task.
    if (this.stopped || isTerminal(record.status.state)) return;
    record.status = { ...record.status, ...change, updatedAt: this.clock.now() };
    this.emit(record);
    void this.checkpoint.save();
  }

  statusOf(record: TaskRecord): TaskStatus {
    if (record.health === undefined) return record.status;
    return {
      ...record.status,
      healthy: record.health.healthy(),
      healthCheckResults: record.health.results(),
    };
  }

  private emit(record: TaskRecord): void {
    const status = this.statusOf(record);
    for (const listener of this.listeners) {
      try {
        listener(status);
      } catch (error) {
        this.logger.error('task update listener failed', { error });
      }
    }
  }

  private checkpointEntries(): CheckpointEntry[] {
    return [...this.tasks.values()].map((record) => ({
      spec: record.spec,
      status: record.status,
      pid: record.pid,
      processStartTime: record.processStartTime,
      killRequested: record.killRequested,
    }));
  }
}
