import { rename } from 'node:fs/promises';
import { isTerminal } from '../core/task-state.js';
import { readCheckpoint, type CheckpointEntry } from './checkpoint.js';
import type { ExecutorTasks } from './executor-tasks.js';
import { findProcessByArgv, isSameProcessAlive } from './process-tree.js';
import { readExitStatus, sandboxPath } from './sandbox.js';
import { buildTaskEnvironment } from './task-env.js';
import { startKill } from './task-kill.js';
import { wrapperScriptPath } from './task-process.js';
import { newRecord, type TaskRecord } from './task-record.js';
import { resolveTaskUser, switchesUser } from './task-user.js';

/**
 * Re-attaches to the tasks a previous agent process left running, from the checkpoint: a
 * task whose process (same pid and start time) is gone ends with the status its wrapper
 * recorded; a live one is watched by polling and gets its health checks again.
 */
export async function recoverTasks(tasks: ExecutorTasks): Promise<void> {
  let entries: CheckpointEntry[];
  try {
    entries = await readCheckpoint(tasks.checkpointPath);
  } catch (error) {
    // Keeping the unreadable file for inspection is better than failing to start forever.
    tasks.logger.error('checkpoint unreadable; starting without it', { error });
    await rename(tasks.checkpointPath, `${tasks.checkpointPath}.corrupt`).catch(() => {});
    return;
  }
  for (const entry of entries) {
    if (tasks.tasks.has(entry.spec.taskId)) continue;
    await recoverEntry(tasks, entry);
  }
  await tasks.checkpoint.save();
  tasks.logger.info('recovered tasks from the checkpoint', { tasks: entries.length });
}

async function recoverEntry(tasks: ExecutorTasks, entry: CheckpointEntry): Promise<void> {
  const sandboxDir = sandboxPath(tasks.options.workDir, entry.spec.taskId);
  const record = newRecord(entry.spec, sandboxDir, entry.status);
  record.pid = entry.pid;
  record.processStartTime = entry.processStartTime;
  record.killRequested = entry.killRequested;
  tasks.tasks.set(entry.spec.taskId, record);
  if (isTerminal(entry.status.state)) {
    record.ending = true;
    record.resolveEnded();
    return;
  }
  if (entry.pid === undefined) {
    // Checkpointed before its spawn, and the agent died before the pid was: the wrapper, if
    // it started, is the process running this sandbox's wrapper script.
    const found = await findProcessByArgv(['/bin/sh', wrapperScriptPath(sandboxDir)]);
    record.pid = found?.pid;
    record.processStartTime = found?.startTime;
  }
  const alive =
    record.pid !== undefined &&
    record.processStartTime !== undefined &&
    (await isSameProcessAlive(record.pid, record.processStartTime));
  if (!alive) {
    const outcome = await readExitStatus(sandboxDir);
    await tasks.finish(
      record,
      outcome ?? {
        kind: 'failed',
        state: 'TASK_FAILED',
        message: 'process gone while the agent was down',
      },
    );
    return;
  }
  tasks.logger.info('re-attached to a task', { taskId: entry.spec.taskId, pid: record.pid });
  pollLiveness(tasks, record);
  if (record.killRequested) {
    record.killGracePeriodMs = entry.spec.killGracePeriodMs;
    startKill(tasks, record);
    return;
  }
  if (record.status.state === 'TASK_STAGING' || record.status.state === 'TASK_STARTING') {
    // The process runs, but the agent died before it checkpointed TASK_RUNNING: left as it
    // was, the task would stay starting for ever.
    tasks.setState(record, {
      state: 'TASK_RUNNING',
      ...(record.status.startedAt === undefined ? { startedAt: tasks.clock.now() } : {}),
    });
  }
  if (record.status.state === 'TASK_RUNNING') {
    if (entry.spec.user !== undefined) {
      try {
        const user = await resolveTaskUser(entry.spec.user);
        if (switchesUser(user)) record.runAs = user;
      } catch (error) {
        // Command checks must not run as the agent instead: none run for this task.
        tasks.logger.error('cannot resolve the user of a re-attached task', { error });
        return;
      }
    }
    const environment = buildTaskEnvironment({
      spec: entry.spec,
      hostname: tasks.options.hostname,
      sandboxDir,
      path: process.env.PATH,
    });
    tasks.startHealthChecks(record, environment);
  }
}

/** A re-attached process is not our child, so its end is noticed by polling /proc. */
function pollLiveness(tasks: ExecutorTasks, record: TaskRecord): void {
  record.livenessTimer = tasks.clock.setTimer(tasks.livenessPollIntervalMs, () => {
    void (async () => {
      if (tasks.stopped || record.ending) return;
      if (await isSameProcessAlive(record.pid!, record.processStartTime!)) {
        pollLiveness(tasks, record);
        return;
      }
      const outcome = await readExitStatus(record.sandboxDir);
      await tasks.finish(
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
