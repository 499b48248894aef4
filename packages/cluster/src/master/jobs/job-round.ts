import { tickSchedule } from '../../core/jobs/due-runs.js';
import { parseSchedule } from '../../core/jobs/schedule.js';
import { place } from '../../core/placement.js';
import type { TaskLaunchSpec } from '../../core/protocol.js';
import { isTerminal } from '../../core/task-state.js';
import type { MasterContext } from '../context.js';
import { keys, type TaskRecord } from '../model.js';
import { buildLedger } from '../scheduler.js';
import { appendTo, sendLaunches } from '../dispatch.js';
import { publishStateChange } from '../task-updates.js';
import type { StoreOperation } from '../store/state-store.js';
import { buildJobLaunchSpec, jobTaskId } from './job-launch.js';
import { isActiveRun, jobKeys, jobTaskOwner, type RunRecord } from './job-model.js';
import {
  createRun,
  failAttempt,
  finishRun,
  missedMax,
  recordMissed,
  stopRun,
} from './run-lifecycle.js';

const startsPerScheduleTickMax = 100;

/**
 * The jobs part of a scheduling round: due schedules become runs (each due time exactly
 * once: the cursor moves in the same commit as the runs), runs past their deadline stop,
 * runs whose task was lost retry or fail, and runs waiting for a task get one.
 */
export async function runJobRound(context: MasterContext): Promise<void> {
  const operations: StoreOperation[] = [...tickSchedules(context), ...checkRuns(context)];
  await context.persist(operations);
  await launchRuns(context);
}

function tickSchedules(context: MasterContext): StoreOperation[] {
  const { jobs } = context.state;
  const now = context.clock.now();
  const operations: StoreOperation[] = [];
  for (const [jobId, schedules] of jobs.schedules) {
    const job = jobs.jobs.get(jobId);
    if (!job) continue;
    for (const record of schedules.values()) {
      // Most schedules are not due: a cursor comparison skips them without parsing.
      if (!record.schedule.enabled || record.cursorMs === undefined || record.cursorMs > now)
        continue;
      const parsed = parseSchedule({
        cron: record.schedule.cron,
        timezone: record.schedule.timezone,
      });
      if (!parsed.ok) continue;
      const tick = tickSchedule({
        schedule: record.schedule,
        parsed: parsed.schedule,
        cursorMs: record.cursorMs,
        now,
        missedMax,
        startMax: startsPerScheduleTickMax,
      });
      if (
        tick.start.length === 0 &&
        tick.missed.length === 0 &&
        tick.nextCursorMs === record.cursorMs
      )
        continue;
      const missed = tick.missed.map((dueAt) => ({
        scheduleId: record.schedule.id,
        dueAt,
        reason: 'startingDeadlineSeconds passed',
      }));
      for (const dueAt of tick.start) {
        const active = jobs.activeRunsOf(jobId);
        const policy = record.schedule.concurrencyPolicy;
        if (policy === 'FORBID' && active.length > 0) {
          missed.push({
            scheduleId: record.schedule.id,
            dueAt,
            reason: `concurrencyPolicy FORBID: run ${active[0]!.id} is active`,
          });
          continue;
        }
        if (policy === 'REPLACE')
          for (const run of active)
            operations.push(
              ...stopRun(
                context,
                run,
                'replaced by a newer scheduled run (concurrencyPolicy REPLACE)',
              ),
            );
        operations.push(
          ...createRun(context, job, { kind: 'schedule', scheduleId: record.schedule.id, dueAt })
            .operations,
        );
      }
      operations.push(...recordMissed(context, jobId, missed, tick.missedUncounted));
      record.cursorMs = tick.nextCursorMs;
      operations.push({
        type: 'put',
        key: jobKeys.schedule(jobId, record.schedule.id),
        value: record,
      });
    }
  }
  return operations;
}

/** Deadlines, lost tasks, and stopped runs whose task is gone. */
function checkRuns(context: MasterContext): StoreOperation[] {
  const now = context.clock.now();
  const operations: StoreOperation[] = [];
  for (const run of [...context.state.jobs.runs.values()]) {
    const deadlineSeconds = run.job.run.restart.activeDeadlineSeconds;
    if (
      deadlineSeconds !== undefined &&
      now - run.createdAt > deadlineSeconds * 1000 &&
      isActiveRun(run)
    ) {
      operations.push(
        ...stopRun(context, run, `activeDeadlineSeconds (${deadlineSeconds} s) exceeded`),
      );
      continue;
    }
    const current = run.tasks.at(-1);
    if (!current || run.status === 'INITIAL') continue;
    const task = context.state.tasks.get(current.id);
    if (task?.state === 'TASK_UNREACHABLE' && task.killRequestedAt === undefined) {
      // Its agent is lost: the attempt counts as failed. The task is marked for killing so
      // that, if the agent comes back, it does not run next to its retry.
      task.killRequestedAt = now;
      task.killReason = 'user';
      operations.push({ type: 'put', key: keys.task(task.id), value: task });
      current.status = 'TASK_UNREACHABLE';
      operations.push(
        ...failAttempt(context, run, { message: 'the agent running the task was lost' }),
      );
    } else if (!task && !isTerminal(current.status) && current.status !== 'TASK_UNREACHABLE') {
      // The task record is gone without a terminal status reaching the run (for example
      // expunged): treat it as a failed attempt rather than waiting forever.
      current.status = 'TASK_LOST';
      operations.push(...failAttempt(context, run, { message: 'the task was lost' }));
    }
  }
  return operations;
}

async function launchRuns(context: MasterContext): Promise<void> {
  const now = context.clock.now();
  const waiting = [...context.state.jobs.runs.values()]
    .filter((run) => !run.stopRequested && needsTask(context, run, now))
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  if (waiting.length === 0) return;
  const ledger = buildLedger(context);
  const operations: StoreOperation[] = [];
  const launches = new Map<string, TaskLaunchSpec[]>();
  for (const run of waiting) {
    const job = run.job;
    const result = place(
      {
        appId: jobTaskOwner(job.id),
        resources: { cpus: job.run.cpus, mem: job.run.mem, disk: job.run.disk },
        ports: [],
        requirePorts: false,
        constraints: job.run.constraints,
        existing: [],
        count: 1,
        strategy: context.settings.placementStrategy,
      },
      ledger,
    );
    const placement = result.placements[0];
    if (!placement) {
      run.placement = result.diagnosis;
      continue;
    }
    run.placement = undefined;
    const agent = context.state.agents.get(placement.agentId)!;
    const attempt = run.tasks.length + 1;
    const taskId = jobTaskId(job.id, run.id, attempt);
    const spec = buildJobLaunchSpec(job, { taskId, runId: run.id, createdAt: run.createdAt });
    const task: TaskRecord = {
      id: taskId,
      appId: jobTaskOwner(job.id),
      agentId: agent.id,
      host: agent.hostname,
      ports: [],
      servicePorts: [],
      configVersion: spec.version,
      version: spec.version,
      resources: spec.resources,
      spec,
      runId: run.id,
      state: 'TASK_STAGING',
      stagedAt: now,
      updatedAt: now,
      wasUnreachable: false,
    };
    context.state.addTask(task);
    run.tasks.push({ id: taskId, status: 'TASK_STAGING', launchedAt: now });
    run.status = 'STARTING';
    run.retryAt = undefined;
    operations.push(
      { type: 'put', key: keys.task(taskId), value: task },
      { type: 'put', key: jobKeys.run(run.id), value: run },
    );
    appendTo(launches, agent.id, spec);
    publishStateChange(context, task, 'TASK_STAGING');
  }
  // The task records are durable before any launch is sent (no unknown running task).
  await context.persist(operations);
  sendLaunches(context, launches);
}

/** A run needs a task when it has none yet, or its last attempt ended and its retry time came. */
function needsTask(context: MasterContext, run: RunRecord, now: number): boolean {
  if (run.status === 'INITIAL') return true;
  if (run.status !== 'STARTING' || run.retryAt === undefined || run.retryAt > now) return false;
  const current = run.tasks.at(-1);
  if (!current) return true;
  const task = context.state.tasks.get(current.id);
  return !task || isTerminal(task.state) || task.killRequestedAt !== undefined;
}

export { finishRun };
