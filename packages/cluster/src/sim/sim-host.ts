import type { Random, TimerHandle, VirtualClock } from '@exosphere/common';
import type { TaskLaunchSpec, TaskStatus } from '../core/protocol.js';
import { isTerminal, type TaskState } from '../core/task-state.js';
import type { Trace } from './trace.js';

/** What a simulated task does once it runs; the world chooses one per app. */
export type TaskBehaviour =
  | { readonly kind: 'forever' }
  | { readonly kind: 'crash'; readonly afterMs: number }
  | { readonly kind: 'exit'; readonly afterMs: number }
  | { readonly kind: 'unhealthy'; readonly afterMs: number };

export interface ProcessTiming {
  /** STARTING → RUNNING takes 1 to this many ms. */
  readonly startDelayMsMaximum: number;
  /** KILLING → KILLED takes 1 to min(grace, this) ms. */
  readonly killDelayMsMaximum: number;
}

export const defaultProcessTiming: ProcessTiming = {
  startDelayMsMaximum: 50,
  killDelayMsMaximum: 300,
};

export interface SimProcess {
  readonly spec: TaskLaunchSpec;
  state: TaskState;
  updatedAt: number;
  startedAt?: number | undefined;
  healthy?: boolean | undefined;
  exitCode?: number | undefined;
  message?: string | undefined;
  /** The pending state change (start, crash, exit, health flip or kill completion). */
  timer?: TimerHandle | undefined;
}

export interface SimHostOptions {
  readonly index: number;
  readonly hostname: string;
  readonly clock: VirtualClock;
  readonly random: Random;
  readonly trace: Trace;
  readonly timing: ProcessTiming;
  readonly behaviourOf: (spec: TaskLaunchSpec) => TaskBehaviour;
}

/**
 * One simulated machine. Task processes belong to the host, not to the agent process: they keep
 * running while the agent is killed or paused, and a restarted agent finds them here (as the real
 * agent finds its process trees from the checkpoint). Only the host dying ends them.
 */
export class SimHost {
  readonly index: number;
  readonly hostname: string;
  private up = true;
  /** Processes by task id, including ended ones the agent has not forgotten yet. */
  private readonly processes = new Map<string, SimProcess>();
  private listener: ((status: TaskStatus) => void) | undefined;

  constructor(private readonly options: SimHostOptions) {
    this.index = options.index;
    this.hostname = options.hostname;
  }

  get alive(): boolean {
    return this.up;
  }

  /** The executor of the current agent process watches state changes through this. */
  attach(listener: (status: TaskStatus) => void): void {
    this.listener = listener;
  }

  detach(listener: (status: TaskStatus) => void): void {
    if (this.listener === listener) this.listener = undefined;
  }

  start(spec: TaskLaunchSpec): void {
    if (!this.up || this.processes.has(spec.taskId)) return;
    const process: SimProcess = {
      spec,
      state: 'TASK_STARTING',
      updatedAt: this.options.clock.now(),
    };
    this.processes.set(spec.taskId, process);
    this.changed(process);
    const delayMs = 1 + this.options.random.int(this.options.timing.startDelayMsMaximum);
    process.timer = this.options.clock.setTimer(delayMs, () => this.running(process));
  }

  kill(taskId: string, gracePeriodMs: number): void {
    const process = this.processes.get(taskId);
    if (!process || isTerminal(process.state) || process.state === 'TASK_KILLING') return;
    process.timer?.cancel();
    this.transition(process, 'TASK_KILLING');
    const limitMs = Math.min(Math.max(0, gracePeriodMs), this.options.timing.killDelayMsMaximum);
    const delayMs = limitMs === 0 ? 0 : 1 + this.options.random.int(limitMs);
    process.timer = this.options.clock.setTimer(delayMs, () => {
      process.message = 'killed';
      this.transition(process, 'TASK_KILLED');
    });
  }

  forget(taskId: string): void {
    const process = this.processes.get(taskId);
    if (process && isTerminal(process.state)) this.processes.delete(taskId);
  }

  statuses(): TaskStatus[] {
    return [...this.processes.values()].map((process) => statusOf(process));
  }

  /** Processes that have not ended (STARTING, RUNNING or KILLING). */
  liveProcesses(): SimProcess[] {
    return [...this.processes.values()].filter((process) => !isTerminal(process.state));
  }

  /** Power loss: every process ends silently, nothing is reported. */
  die(): void {
    this.up = false;
    for (const process of this.processes.values()) process.timer?.cancel();
    this.processes.clear();
    this.listener = undefined;
    this.options.trace.record(this.options.clock.now(), `${this.hostname} died`);
  }

  /** Power back: an empty machine (the agent's id survives on disk, like the real one's). */
  boot(): void {
    this.up = true;
    this.options.trace.record(this.options.clock.now(), `${this.hostname} booted`);
  }

  private running(process: SimProcess): void {
    const now = this.options.clock.now();
    process.startedAt = now;
    if (process.spec.healthChecks.length > 0) process.healthy = true;
    this.transition(process, 'TASK_RUNNING');
    const behaviour = this.options.behaviourOf(process.spec);
    if (behaviour.kind === 'forever') return;
    process.timer = this.options.clock.setTimer(behaviour.afterMs, () => {
      if (behaviour.kind === 'unhealthy') {
        process.healthy = false;
        this.changed(process);
      } else if (behaviour.kind === 'crash') {
        process.exitCode = 1;
        process.message = 'exited with code 1';
        this.transition(process, 'TASK_FAILED');
      } else {
        process.exitCode = 0;
        process.message = 'exited with code 0';
        this.transition(process, 'TASK_FINISHED');
      }
    });
  }

  private transition(process: SimProcess, state: TaskState): void {
    process.state = state;
    process.updatedAt = this.options.clock.now();
    this.changed(process);
  }

  private changed(process: SimProcess): void {
    const { trace, clock } = this.options;
    if (trace.enabled) {
      trace.record(
        clock.now(),
        `${this.hostname} ${process.spec.taskId} ${process.state} healthy=${String(process.healthy)}`,
      );
    }
    this.listener?.(statusOf(process));
  }
}

function statusOf(process: SimProcess): TaskStatus {
  return {
    taskId: process.spec.taskId,
    state: process.state,
    updatedAt: process.updatedAt,
    healthy: process.healthy,
    exitCode: process.exitCode,
    message: process.message,
    startedAt: process.startedAt,
  };
}
