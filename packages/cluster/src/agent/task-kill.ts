import type { ExecutorTasks } from './executor-tasks.js';
import { signalProcess, signalProcessGroup } from './process-tree.js';
import type { TaskRecord } from './task-record.js';

const startupWindowMs = 1000;
const startupResendDelayMs = 500;

/** SIGTERM now to the whole tree, SIGKILL after the grace period. */
export function startKill(tasks: ExecutorTasks, record: TaskRecord): void {
  record.health?.stop();
  void signalTree(tasks, record, 'SIGTERM');
  // A SIGTERM that lands while the wrapper's shell is between fork and exec of the command
  // is lost (the forked shell still runs the wrapper's trap). That window exists only while
  // a task starts, so a task killed in its first second gets one more SIGTERM.
  const ageMs =
    record.spawnedAtMs === undefined ? Infinity : tasks.clock.monotonic() - record.spawnedAtMs;
  if (ageMs < startupWindowMs && record.killGracePeriodMs > startupResendDelayMs) {
    tasks.clock.setTimer(startupResendDelayMs, () => {
      if (!record.ending) void signalTree(tasks, record, 'SIGTERM');
    });
  }
  record.killTimer?.cancel();
  record.killTimer = tasks.clock.setTimer(record.killGracePeriodMs, () => {
    if (!record.ending) void signalTree(tasks, record, 'SIGKILL');
  });
}

/**
 * Signals the process group and, with cgroups, every pid in the task's cgroups, which also
 * reaches processes that left the group with setsid (without cgroups those escape).
 */
export async function signalTree(
  tasks: ExecutorTasks,
  record: TaskRecord,
  signal: NodeJS.Signals,
): Promise<void> {
  try {
    if (record.pid !== undefined) signalProcessGroup(record.pid, signal);
    if (tasks.cgroups?.enabled) {
      for (const pid of await tasks.cgroups.pids(record.spec.taskId)) signalProcess(pid, signal);
    }
  } catch (error) {
    tasks.logger.warn('could not signal a task', { taskId: record.spec.taskId, signal, error });
  }
}
