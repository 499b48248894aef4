import type { TaskLaunchSpec } from '../core/protocol.js';
import type { ExecutorTasks } from './executor-tasks.js';
import { isSafeTaskId, readExitStatus, sandboxPath, type ExitOutcome } from './sandbox.js';
import { prepareTask } from './task-launch.js';
import { startKill } from './task-kill.js';
import { LaunchError, spawnTask } from './task-process.js';
import { newRecord, type TaskRecord } from './task-record.js';

/**
 * Starts one task: prepares its sandbox (task-launch.ts), joins its cgroups and spawns the
 * wrapper, then reports TASK_RUNNING and starts its health checks. A kill that arrives
 * meanwhile wins at each step; a launch that cannot start ends the task with the reason.
 */
export async function startTask(tasks: ExecutorTasks, spec: TaskLaunchSpec): Promise<void> {
  const { options } = tasks;
  const sandboxDir = sandboxPath(options.workDir, spec.taskId);
  const record = newRecord(spec, sandboxDir, {
    taskId: spec.taskId,
    state: 'TASK_STAGING',
    updatedAt: tasks.clock.now(),
  });
  tasks.tasks.set(spec.taskId, record);
  if (!isSafeTaskId(spec.taskId)) {
    await tasks.finish(record, {
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
      workDir: options.workDir,
      hostname: options.hostname,
      logger: tasks.logger,
      signal: record.launchAbort.signal,
      fetchLimits: options.fetchLimits,
    });
    record.runAs = runAs;
    if (record.killRequested) {
      await tasks.finish(record, {
        kind: 'failed',
        state: 'TASK_KILLED',
        message: 'killed before it started',
      });
      return;
    }
    const cgroupProcsFiles = tasks.cgroups?.enabled
      ? await tasks.cgroups.create(spec.taskId, spec.resources)
      : [];
    // The task is durable before its process exists: an agent killed right after the spawn
    // then finds the process again on restart (task-recovery.ts) instead of leaving it
    // running unknown to anyone.
    await tasks.checkpoint.save();
    const spawned = await spawnTask({
      spec,
      sandboxDir,
      environment,
      cgroupProcsFiles,
      command,
      runAs: record.runAs,
      onExit: (code, signal) => void onWrapperExit(tasks, record, code, signal),
    });
    record.spawnedAtMs = tasks.clock.monotonic();
    record.child = spawned.child;
    record.pid = spawned.pid;
    record.processStartTime = spawned.processStartTime;
    spawned.child.on('error', (error) => tasks.logger.warn('task process error', { error }));
    if (record.killRequested) {
      startKill(tasks, record);
      return;
    }
    tasks.setState(record, { state: 'TASK_STARTING', startedAt: tasks.clock.now() });
    // The operating system confirmed the process: it is running.
    tasks.setState(record, { state: 'TASK_RUNNING' });
    tasks.startHealthChecks(record, environment);
  } catch (error) {
    if (record.killRequested) {
      await tasks.finish(record, {
        kind: 'failed',
        state: 'TASK_KILLED',
        message: 'killed before it started',
      });
      return;
    }
    const launchError = error instanceof LaunchError;
    if (!launchError) tasks.logger.error('task launch failed', { taskId: spec.taskId, error });
    await tasks.finish(record, {
      kind: 'failed',
      state: launchError ? 'TASK_FAILED' : 'TASK_ERROR',
      message: launchError ? error.message : `launch failed: ${(error as Error).message}`,
    });
  }
}

async function onWrapperExit(
  tasks: ExecutorTasks,
  record: TaskRecord,
  code: number | null,
  signal: NodeJS.Signals | null,
): Promise<void> {
  if (tasks.stopped) return;
  // The wrapper's file carries the command's own status; without it (the wrapper was
  // killed) the wrapper's status is the best there is.
  record.pid ??= record.child?.pid;
  const outcome: ExitOutcome =
    (await readExitStatus(record.sandboxDir)) ??
    (signal !== null ? { kind: 'signaled', signal } : { kind: 'exited', code: code ?? -1 });
  await tasks.finish(record, outcome);
}
