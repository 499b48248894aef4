/**
 * What the process executor keeps about one task, and how a task's end becomes its final
 * state (killed, finished, failed, OOM killed).
 */
import type { ChildProcess } from 'node:child_process';
import type { TimerHandle } from '@exosphere/common';
import type { TaskLaunchSpec, TaskStatus } from '../core/protocol.js';
import type { TaskState } from '../core/task-state.js';
import type { CgroupIsolation } from './cgroups.js';
import type { HealthChecker } from './health-checker.js';
import type { TaskUser } from './task-user.js';
import { describeOutcome, type ExitOutcome } from './sandbox.js';

/** Why a task ended when no exit status tells it. */
export type EndReason =
  ExitOutcome | { readonly kind: 'failed'; readonly state: TaskState; readonly message: string };

export interface TaskRecord {
  readonly spec: TaskLaunchSpec;
  readonly sandboxDir: string;
  /** The account the task runs as when it is not the agent's (task-user.ts). */
  runAs?: TaskUser | undefined;
  status: TaskStatus;
  pid: number | undefined;
  processStartTime: string | undefined;
  child: ChildProcess | undefined;
  health: HealthChecker | undefined;
  killRequested: boolean;
  killGracePeriodMs: number;
  killTimer: TimerHandle | undefined;
  /** Monotonic ms when the wrapper was spawned (undefined for re-attached tasks). */
  spawnedAtMs: number | undefined;
  livenessTimer: TimerHandle | undefined;
  ending: boolean;
  /** Aborted by a kill: stops fetching artifacts. */
  readonly launchAbort: AbortController;
  readonly ended: Promise<void>;
  resolveEnded: () => void;
}

export function newRecord(
  spec: TaskLaunchSpec,
  sandboxDir: string,
  status: TaskStatus,
): TaskRecord {
  let resolveEnded!: () => void;
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
  return {
    spec,
    sandboxDir,
    status,
    pid: undefined,
    processStartTime: undefined,
    child: undefined,
    health: undefined,
    killRequested: false,
    killGracePeriodMs: spec.killGracePeriodMs,
    killTimer: undefined,
    spawnedAtMs: undefined,
    livenessTimer: undefined,
    ending: false,
    launchAbort: new AbortController(),
    ended,
    resolveEnded,
  };
}

export async function finalState(
  record: TaskRecord,
  reason: EndReason,
  cgroups: Pick<CgroupIsolation, 'memoryEvents'> | undefined,
): Promise<{ state: TaskState; message: string; exitCode?: number }> {
  if (reason.kind === 'failed') return { state: reason.state, message: reason.message };
  const exitCode = reason.kind === 'exited' ? reason.code : undefined;
  const withCode = exitCode === undefined ? {} : { exitCode };
  if (record.killRequested) return { state: 'TASK_KILLED', message: 'killed', ...withCode };
  const events = await cgroups?.memoryEvents(record.spec.taskId);
  const oomKilled =
    events !== undefined &&
    (events.oomKills > 0 ||
      events.underOom ||
      (reason.kind === 'signaled' && reason.signal === 'SIGKILL' && events.failCount > 0));
  if (oomKilled) {
    return {
      state: 'TASK_FAILED',
      message: `OOM killed: memory limit ${record.spec.resources.mem} MiB`,
      ...withCode,
    };
  }
  if (reason.kind === 'exited' && reason.code === 0) {
    return { state: 'TASK_FINISHED', message: describeOutcome(reason), exitCode: 0 };
  }
  return { state: 'TASK_FAILED', message: describeOutcome(reason), ...withCode };
}
