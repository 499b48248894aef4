import type { JobDefinition } from '../../core/jobs/job-definition.js';
import { runIdFor } from '../../core/jobs/run-id.js';
import { launchDelayMs } from '../../core/backoff.js';
import { isTerminal, type TaskState } from '../../core/task-state.js';
import type { MasterContext } from '../context.js';
import { keys, type TaskRecord } from '../model.js';
import type { StoreOperation } from '../store/state-store.js';
import { sendKills } from '../dispatch.js';
import { jobKeys, type FinishedRunSummary, type RunRecord, type RunTrigger } from './job-model.js';

/** Missed due times listed per schedule tick (older ones are counted, not listed). */
export const missedMax = 100;

/** A new run in INITIAL; the next round launches its task. Returns the store operations. */
export function createRun(
  context: MasterContext,
  job: JobDefinition,
  trigger: RunTrigger,
): { run: RunRecord; operations: StoreOperation[] } {
  const now = context.clock.now();
  let id = runIdFor(now, context.random.uuid());
  while (context.state.jobs.runs.has(id)) id = runIdFor(now, context.random.uuid());
  const run: RunRecord = {
    id,
    jobId: job.id,
    job,
    trigger,
    status: 'INITIAL',
    createdAt: now,
    tasks: [],
  };
  context.state.jobs.runs.set(id, run);
  context.logger.info('job run created', { jobId: job.id, runId: id, trigger: trigger.kind });
  context.wake();
  return { run, operations: [{ type: 'put', key: jobKeys.run(id), value: run }] };
}

/** Stops a run: kills its current task and records it FAILED with `reason`. */
export function stopRun(context: MasterContext, run: RunRecord, reason: string): StoreOperation[] {
  run.stopRequested = true;
  const operations = killCurrentTask(context, run);
  operations.push(...finishRun(context, run, { status: 'FAILED', message: reason }));
  return operations;
}

function killCurrentTask(context: MasterContext, run: RunRecord): StoreOperation[] {
  const current = run.tasks.at(-1);
  const task = current ? context.state.tasks.get(current.id) : undefined;
  if (!task || isTerminal(task.state) || task.killRequestedAt !== undefined) return [];
  task.killRequestedAt = context.clock.now();
  task.killReason = 'user';
  if (task.state !== 'TASK_UNREACHABLE') {
    sendKills(
      context,
      new Map([[task.agentId, [{ taskId: task.id, gracePeriodMs: task.spec.killGracePeriodMs }]]]),
    );
  }
  return [{ type: 'put', key: keys.task(task.id), value: task }];
}

/**
 * Reacts to a job task's state change (a MasterContext task listener): RUNNING makes the run
 * ACTIVE; the end of the task ends the run, or schedules a retry under ON_FAILURE.
 */
export function onJobTaskChanged(
  context: MasterContext,
  task: TaskRecord,
  _previous: TaskState,
): StoreOperation[] {
  if (task.runId === undefined) return [];
  const run = context.state.jobs.runs.get(task.runId);
  if (!run) return [];
  const attempt = run.tasks.find((t) => t.id === task.id);
  if (!attempt) return [];
  const now = context.clock.now();
  attempt.status = task.state;
  if (task.state === 'TASK_RUNNING') {
    attempt.startedAt ??= task.startedAt ?? now;
    if (run.status === 'STARTING' || run.status === 'INITIAL') {
      run.status = 'ACTIVE';
      run.startedAt ??= attempt.startedAt;
    }
    return [{ type: 'put', key: jobKeys.run(run.id), value: run }];
  }
  if (!isTerminal(task.state)) return [{ type: 'put', key: jobKeys.run(run.id), value: run }];
  attempt.completedAt = now;
  attempt.exitCode = task.exitCode;
  attempt.message = task.message;
  if (run.tasks.at(-1)?.id !== task.id || run.stopRequested)
    return [{ type: 'put', key: jobKeys.run(run.id), value: run }];
  if (task.state === 'TASK_FINISHED') {
    return finishRun(context, run, {
      status: 'SUCCESS',
      exitCode: task.exitCode ?? 0,
      message: 'exited with code 0',
    });
  }
  return failAttempt(context, run, {
    exitCode: task.exitCode,
    message: task.message ?? task.state,
  });
}

/** An attempt failed: retry under ON_FAILURE within the active deadline, otherwise the run fails. */
export function failAttempt(
  context: MasterContext,
  run: RunRecord,
  failure: { exitCode?: number | undefined; message: string },
): StoreOperation[] {
  const now = context.clock.now();
  const restart = run.job.run.restart;
  const deadline =
    restart.activeDeadlineSeconds !== undefined
      ? run.createdAt + restart.activeDeadlineSeconds * 1000
      : Infinity;
  if (restart.policy === 'ON_FAILURE' && now < deadline) {
    const delay = launchDelayMs(run.tasks.length, {
      backoffSeconds: 1,
      backoffFactor: 2,
      maxLaunchDelaySeconds: run.job.run.maxLaunchDelay,
    });
    run.retryAt = now + delay;
    run.status = 'STARTING';
    run.message = `attempt ${run.tasks.length} failed (${failure.message}); retrying in ${Math.round(delay / 1000)} s`;
    context.wake();
    return [{ type: 'put', key: jobKeys.run(run.id), value: run }];
  }
  return finishRun(context, run, {
    status: 'FAILED',
    exitCode: failure.exitCode,
    message: failure.message,
  });
}

/**
 * Ends a run: moves it from the active runs to the job's history and, on success, advances
 * the DAG (starting dependents whose parents have all succeeded in this cycle). Everything is
 * in the returned operations, which the caller commits in one transaction: DAG progress can
 * neither be lost nor repeated by a master crash.
 */
export function finishRun(
  context: MasterContext,
  run: RunRecord,
  outcome: { status: 'SUCCESS' | 'FAILED'; exitCode?: number | undefined; message: string },
): StoreOperation[] {
  const { jobs } = context.state;
  const now = context.clock.now();
  run.status = outcome.status;
  run.completedAt = now;
  run.exitCode = outcome.exitCode;
  run.message = outcome.message;
  jobs.runs.delete(run.id);
  const operations: StoreOperation[] = [{ type: 'delete', key: jobKeys.run(run.id) }];
  if (!jobs.jobs.has(run.jobId)) return operations;
  const history = jobs.historyOf(run.jobId);
  const summary: FinishedRunSummary = {
    id: run.id,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: now,
    tasks: run.tasks,
    status: outcome.status,
    exitCode: outcome.exitCode,
    message: outcome.message,
    taskId: run.tasks.at(-1)?.id,
    trigger: run.trigger,
  };
  if (outcome.status === 'SUCCESS') {
    history.successCount++;
    history.lastSuccessAt = now;
    history.successfulFinishedRuns = [summary, ...history.successfulFinishedRuns].slice(
      0,
      context.settings.jobHistoryMax,
    );
  } else {
    history.failureCount++;
    history.lastFailureAt = now;
    history.failedFinishedRuns = [summary, ...history.failedFinishedRuns].slice(
      0,
      context.settings.jobHistoryMax,
    );
  }
  operations.push({ type: 'put', key: jobKeys.history(run.jobId), value: history });
  context.logger.info('job run finished', {
    jobId: run.jobId,
    runId: run.id,
    status: outcome.status,
    message: outcome.message,
  });
  if (outcome.status === 'SUCCESS') operations.push(...advanceDag(context, run.jobId));
  return operations;
}

function advanceDag(context: MasterContext, parentId: string): StoreOperation[] {
  const { jobs } = context.state;
  const operations: StoreOperation[] = [];
  for (const child of jobs.dependentsOf(parentId)) {
    const progress = jobs.dag.get(child.id) ?? { jobId: child.id, succeededParents: [] };
    if (!progress.succeededParents.includes(parentId)) progress.succeededParents.push(parentId);
    const parents = child.dependencies.map((d) => d.id);
    if (parents.every((p) => progress.succeededParents.includes(p))) {
      // The cycle is complete: start the child and begin the next cycle, in one commit.
      progress.succeededParents = [];
      operations.push(...createRun(context, child, { kind: 'dependency', parents }).operations);
    }
    jobs.dag.set(child.id, progress);
    operations.push({ type: 'put', key: jobKeys.dag(child.id), value: progress });
  }
  return operations;
}

/** Records due times a schedule did not start (deadline passed, or FORBID with a run active). */
export function recordMissed(
  context: MasterContext,
  jobId: string,
  missed: { scheduleId: string; dueAt: number; reason: string }[],
  uncounted: number,
): StoreOperation[] {
  if (missed.length === 0 && uncounted === 0) return [];
  const history = context.state.jobs.historyOf(jobId);
  history.missedCount += missed.length + uncounted;
  history.missedRuns = [...missed.slice().reverse(), ...history.missedRuns].slice(
    0,
    context.settings.jobHistoryMax,
  );
  for (const entry of missed)
    context.logger.warn('job run missed', {
      jobId,
      scheduleId: entry.scheduleId,
      dueAt: new Date(entry.dueAt).toISOString(),
      reason: entry.reason,
    });
  return [{ type: 'put', key: jobKeys.history(jobId), value: history }];
}
