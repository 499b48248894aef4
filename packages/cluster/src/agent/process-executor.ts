import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock, Logger } from '@exosphere/common';
import type { TaskLaunchSpec, TaskStatus } from '../core/protocol.js';
import { isTerminal } from '../core/task-state.js';
import type { Executor } from './executor.js';
import { CgroupIsolation } from './cgroups.js';
import { CheckpointWriter, readCheckpoint, type CheckpointEntry } from './checkpoint.js';
import { HealthChecker } from './health-checker.js';
import { isSameProcessAlive, signalProcess, signalProcessGroup } from './process-tree.js';
import { isSafeTaskId, readExitStatus, sandboxPath, type ExitOutcome } from './sandbox.js';
import { buildTaskEnvironment } from './task-env.js';
import type { FetchLimits } from './fetcher.js';
import { prepareTask } from './task-launch.js';
import { LaunchError, spawnTask } from './task-process.js';
import { resolveTaskUser, switchesUser } from './task-user.js';
import { finalState, newRecord, type EndReason, type TaskRecord } from './task-record.js';

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

const startupWindowMs = 1000;
const startupResendDelayMs = 500;

/**
 * Runs each task as a real process tree: a wrapper (task-wrapper.ts) in its own process
 * group and, where available, its own cgroups, inside `<workDir>/sandboxes/<taskId>`.
 * Every change is checkpointed so a restarted agent re-attaches instead of killing tasks.
 */
export class ProcessExecutor implements Executor {
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly listeners: Array<(status: TaskStatus) => void> = [];
  private readonly cgroups: CgroupIsolation | undefined;
  private readonly checkpoint: CheckpointWriter;
  private readonly checkpointPath: string;
  private readonly logger: Logger;
  private readonly livenessPollIntervalMs: number;
  private stopped = false;

  constructor(private readonly options: ProcessExecutorOptions) {
    if (!isSafeTaskId(options.agentId)) {
      throw new Error(`agent id '${options.agentId}' must be letters, digits, '.', '_', ':', '-'`);
    }
    this.logger = options.logger.child({ component: 'executor' });
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

  isolation(): string {
    return this.cgroups?.description ?? 'not enforced: cgroup isolation is turned off';
  }

  /** The sandbox folder of a task (it may not exist). */
  sandboxDir(taskId: string): string | undefined {
    return isSafeTaskId(taskId) ? sandboxPath(this.options.workDir, taskId) : undefined;
  }

  onUpdate(listener: (status: TaskStatus) => void): void {
    this.listeners.push(listener);
  }

  list(): TaskStatus[] {
    return [...this.tasks.values()].map((record) => this.statusOf(record));
  }

  forget(taskId: string): void {
    const record = this.tasks.get(taskId);
    if (record === undefined || !isTerminal(record.status.state)) return;
    this.tasks.delete(taskId);
    void this.checkpoint.save();
  }

  async launch(spec: TaskLaunchSpec): Promise<void> {
    if (this.stopped || this.tasks.has(spec.taskId)) return;
    const sandboxDir = sandboxPath(this.options.workDir, spec.taskId);
    const record = newRecord(spec, sandboxDir, {
      taskId: spec.taskId,
      state: 'TASK_STAGING',
      updatedAt: this.options.clock.now(),
    });
    this.tasks.set(spec.taskId, record);
    if (!isSafeTaskId(spec.taskId)) {
      await this.finish(record, {
        kind: 'failed',
        state: 'TASK_ERROR',
        message: `task id '${spec.taskId}' must be letters, digits, '.', '_', ':', '-' (at most 200)`,
      });
      return;
    }
    try {
      const { environment, command, runAs } = await prepareTask({
        spec,
        sandboxDir,
        hostname: this.options.hostname,
        signal: record.launchAbort.signal,
        fetchLimits: this.options.fetchLimits,
      });
      record.runAs = runAs;
      if (record.killRequested) {
        await this.finish(record, {
          kind: 'failed',
          state: 'TASK_KILLED',
          message: 'killed before it started',
        });
        return;
      }
      const cgroupProcsFiles = this.cgroups?.enabled
        ? await this.cgroups.create(spec.taskId, spec.resources)
        : [];
      const spawned = await spawnTask({
        spec,
        sandboxDir,
        environment,
        cgroupProcsFiles,
        command,
        runAs: record.runAs,
        onExit: (code, signal) => void this.onWrapperExit(record, code, signal),
      });
      record.spawnedAtMs = this.options.clock.monotonic();
      record.child = spawned.child;
      record.pid = spawned.pid;
      record.processStartTime = spawned.processStartTime;
      spawned.child.on('error', (error) => this.logger.warn('task process error', { error }));
      if (record.killRequested) {
        this.startKill(record);
        return;
      }
      this.setState(record, { state: 'TASK_STARTING', startedAt: this.options.clock.now() });
      // The operating system confirmed the process: it is running.
      this.setState(record, { state: 'TASK_RUNNING' });
      this.startHealthChecks(record, environment);
    } catch (error) {
      if (record.killRequested) {
        await this.finish(record, {
          kind: 'failed',
          state: 'TASK_KILLED',
          message: 'killed before it started',
        });
        return;
      }
      const launchError = error instanceof LaunchError;
      if (!launchError) this.logger.error('task launch failed', { taskId: spec.taskId, error });
      await this.finish(record, {
        kind: 'failed',
        state: launchError ? 'TASK_FAILED' : 'TASK_ERROR',
        message: launchError ? error.message : `launch failed: ${(error as Error).message}`,
      });
    }
  }

  async kill(taskId: string, gracePeriodMs: number): Promise<void> {
    const record = this.tasks.get(taskId);
    if (record === undefined || isTerminal(record.status.state)) return;
    if (!record.killRequested) {
      record.killRequested = true;
      record.killGracePeriodMs = Math.max(0, gracePeriodMs);
      this.setState(record, { state: 'TASK_KILLING' });
      // A launch still fetching stops; one still spawning sends the signals itself once it
      // has a pid.
      record.launchAbort.abort();
      if (record.pid !== undefined) this.startKill(record);
    }
    await record.ended;
  }

  async recover(): Promise<void> {
    let entries: CheckpointEntry[];
    try {
      entries = await readCheckpoint(this.checkpointPath);
    } catch (error) {
      // Keeping the unreadable file for inspection is better than failing to start forever.
      this.logger.error('checkpoint unreadable; starting without it', { error });
      await rename(this.checkpointPath, `${this.checkpointPath}.corrupt`).catch(() => {});
      return;
    }
    for (const entry of entries) {
      if (this.tasks.has(entry.spec.taskId)) continue;
      await this.recoverEntry(entry);
    }
    await this.checkpoint.save();
    this.logger.info('recovered tasks from the checkpoint', { tasks: entries.length });
  }

  async shutdown(options: { killTasks: boolean }): Promise<void> {
    if (options.killTasks) {
      await Promise.all(
        [...this.tasks.values()].map((record) =>
          this.kill(record.spec.taskId, record.spec.killGracePeriodMs),
        ),
      );
    }
    this.stopped = true;
    for (const record of this.tasks.values()) {
      record.health?.stop();
      record.livenessTimer?.cancel();
      record.killTimer?.cancel();
      // Leaving a task running: this executor must not react to its end any more; the next
      // agent process re-attaches from the checkpoint and learns the exit status from the file.
      record.child?.removeAllListeners('exit');
      // Nor keep this process alive: a task left running may outlive the agent process.
      record.child?.unref();
    }
    await this.checkpoint.save();
    await this.checkpoint.flushed();
    if (options.killTasks) this.cgroups?.removeAgentFolders();
  }

  private async recoverEntry(entry: CheckpointEntry): Promise<void> {
    const sandboxDir = sandboxPath(this.options.workDir, entry.spec.taskId);
    const record = newRecord(entry.spec, sandboxDir, entry.status);
    record.pid = entry.pid;
    record.processStartTime = entry.processStartTime;
    record.killRequested = entry.killRequested;
    this.tasks.set(entry.spec.taskId, record);
    if (isTerminal(entry.status.state)) {
      record.ending = true;
      record.resolveEnded();
      return;
    }
    const alive =
      entry.pid !== undefined &&
      entry.processStartTime !== undefined &&
      (await isSameProcessAlive(entry.pid, entry.processStartTime));
    if (!alive) {
      const outcome = await readExitStatus(sandboxDir);
      await this.finish(
        record,
        outcome ?? {
          kind: 'failed',
          state: 'TASK_FAILED',
          message: 'process gone while the agent was down',
        },
      );
      return;
    }
    this.logger.info('re-attached to a task', { taskId: entry.spec.taskId, pid: entry.pid });
    this.pollLiveness(record);
    if (record.killRequested) {
      record.killGracePeriodMs = entry.spec.killGracePeriodMs;
      this.startKill(record);
    } else if (record.status.state === 'TASK_RUNNING') {
      if (entry.spec.user !== undefined) {
        try {
          const user = await resolveTaskUser(entry.spec.user);
          if (switchesUser(user)) record.runAs = user;
        } catch (error) {
          // Command checks must not run as the agent instead: none run for this task.
          this.logger.error('cannot resolve the user of a re-attached task', { error });
          return;
        }
      }
      const environment = buildTaskEnvironment({
        spec: entry.spec,
        hostname: this.options.hostname,
        sandboxDir,
        path: process.env.PATH,
      });
      this.startHealthChecks(record, environment);
    }
  }

  /** A re-attached process is not our child, so its end is noticed by polling /proc. */
  private pollLiveness(record: TaskRecord): void {
    record.livenessTimer = this.options.clock.setTimer(this.livenessPollIntervalMs, () => {
      void (async () => {
        if (this.stopped || record.ending) return;
        if (await isSameProcessAlive(record.pid!, record.processStartTime!)) {
          this.pollLiveness(record);
          return;
        }
        const outcome = await readExitStatus(record.sandboxDir);
        await this.finish(
          record,
          outcome ?? {
            kind: 'failed',
            state: 'TASK_FAILED',
            message: 'process ended without recording an exit status',
          },
        );
      })();
    });
  }

  private async onWrapperExit(
    record: TaskRecord,
    code: number | null,
    signal: NodeJS.Signals | null,
  ): Promise<void> {
    if (this.stopped) return;
    // The wrapper's file carries the command's own status; without it (the wrapper was
    // killed) the wrapper's status is the best there is.
    record.pid ??= record.child?.pid;
    const outcome: ExitOutcome =
      (await readExitStatus(record.sandboxDir)) ??
      (signal !== null ? { kind: 'signaled', signal } : { kind: 'exited', code: code ?? -1 });
    await this.finish(record, outcome);
  }

  /** SIGTERM now to the whole tree, SIGKILL after the grace period. */
  private startKill(record: TaskRecord): void {
    record.health?.stop();
    void this.signalTree(record, 'SIGTERM');
    // A SIGTERM that lands while the wrapper's shell is between fork and exec of the command
    // is lost (the forked shell still runs the wrapper's trap). That window exists only while
    // a task starts, so a task killed in its first second gets one more SIGTERM.
    const ageMs =
      record.spawnedAtMs === undefined
        ? Infinity
        : this.options.clock.monotonic() - record.spawnedAtMs;
    if (ageMs < startupWindowMs && record.killGracePeriodMs > startupResendDelayMs) {
      this.options.clock.setTimer(startupResendDelayMs, () => {
        if (!record.ending) void this.signalTree(record, 'SIGTERM');
      });
    }
    record.killTimer?.cancel();
    record.killTimer = this.options.clock.setTimer(record.killGracePeriodMs, () => {
      if (!record.ending) void this.signalTree(record, 'SIGKILL');
    });
  }

  /**
   * Signals the process group and, with cgroups, every pid in the task's cgroups, which also
   * reaches processes that left the group with setsid (without cgroups those escape).
   */
  private async signalTree(record: TaskRecord, signal: NodeJS.Signals): Promise<void> {
    try {
      if (record.pid !== undefined) signalProcessGroup(record.pid, signal);
      if (this.cgroups?.enabled) {
        for (const pid of await this.cgroups.pids(record.spec.taskId)) signalProcess(pid, signal);
      }
    } catch (error) {
      this.logger.warn('could not signal a task', { taskId: record.spec.taskId, signal, error });
    }
  }

  private async finish(record: TaskRecord, reason: EndReason): Promise<void> {
    if (record.ending || this.stopped) return;
    record.ending = true;
    record.health?.stop();
    record.killTimer?.cancel();
    record.livenessTimer?.cancel();
    // The command has ended; whatever it left behind in its group or cgroup goes with it.
    await this.signalTree(record, 'SIGKILL');
    const final = await finalState(record, reason, this.cgroups);
    if (this.cgroups?.enabled) await this.cgroups.remove(record.spec.taskId);
    if (this.stopped) return;
    this.setState(record, final);
    record.resolveEnded();
  }

  private startHealthChecks(record: TaskRecord, environment: Record<string, string>): void {
    if (record.spec.healthChecks.length === 0 || record.ending) return;
    record.health = new HealthChecker({
      specs: record.spec.healthChecks,
      // Checks run on the agent's own machine, so they probe loopback, as Mesos-native
      // checks do: the advertised hostname may not resolve, or may name another interface.
      host: '127.0.0.1',
      sandboxDir: record.sandboxDir,
      environment,
      runAs: record.runAs,
      clock: this.options.clock,
      logger: this.logger.child({ taskId: record.spec.taskId }),
      onChange: () => {
        if (!record.ending && !this.stopped) this.emit(record);
      },
    });
    record.health.start();
  }

  private setState(
    record: TaskRecord,
    change: Partial<Pick<TaskStatus, 'state' | 'message' | 'exitCode' | 'startedAt'>>,
  ): void {
    // A terminal state is final; a late event (an exit racing a launch) cannot revive a task.
    if (this.stopped || isTerminal(record.status.state)) return;
    record.status = { ...record.status, ...change, updatedAt: this.options.clock.now() };
    this.emit(record);
    void this.checkpoint.save();
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

  private statusOf(record: TaskRecord): TaskStatus {
    if (record.health === undefined) return record.status;
    return {
      ...record.status,
      healthy: record.health.healthy(),
      healthCheckResults: record.health.results(),
    };
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
