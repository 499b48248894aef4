import type { JobDefinition } from '../../core/jobs/job-definition.js';
import type { JobState } from './job-state.js';
import type { FinishedRunSummary, JobHistory, RunRecord, ScheduleRecord } from './job-model.js';

/**
 * An instant as Metronome writes it (its DateTimeFormat, `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, in UTC):
 * ISO 8601 with milliseconds and the offset as `+0000` rather than `Z`.
 */
function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString().replace(/Z$/, '+0000');
}

/** A job as Metronome renders it (the placement constraints in Metronome's form). */
export function jobJson(job: JobDefinition): Record<string, unknown> {
  const { constraints: _constraints, ...run } = job.run;
  return {
    id: job.id,
    description: job.description,
    labels: job.labels,
    // Metronome always writes these; containers, volumes and secrets are not supported, so
    // they are empty (and an empty list or map is accepted back).
    run: { ...run, volumes: [], secrets: {}, networks: [] },
    dependencies: job.dependencies,
  };
}

export function scheduleJson(record: ScheduleRecord): Record<string, unknown> {
  return { ...record.schedule, nextRunAt: record.schedule.enabled ? iso(record.cursorMs) : null };
}

export function runJson(run: RunRecord): Record<string, unknown> {
  return runShape({
    id: run.id,
    jobId: run.jobId,
    status: run.status,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    completedAt: run.completedAt,
    tasks: run.tasks,
    trigger: run.trigger,
    exitCode: run.exitCode,
    message: run.message,
    retryAt: run.retryAt,
    placement: run.placement,
  });
}

/** A finished run (from the job's history) in the same shape as an active one. */
export function finishedRunJson(
  jobId: string,
  summary: FinishedRunSummary,
): Record<string, unknown> {
  return runShape({
    id: summary.id,
    jobId,
    status: summary.status,
    createdAt: summary.createdAt,
    startedAt: summary.startedAt,
    completedAt: summary.finishedAt,
    tasks: summary.tasks
      ? [...summary.tasks]
      : summary.taskId
        ? [{ id: summary.taskId, status: 'TASK_FINISHED' as const, launchedAt: summary.createdAt }]
        : [],
    trigger: summary.trigger,
    exitCode: summary.exitCode,
    message: summary.message,
    retryAt: undefined,
    placement: undefined,
  });
}

function runShape(
  run: Pick<
    RunRecord,
    | 'id'
    | 'jobId'
    | 'status'
    | 'createdAt'
    | 'startedAt'
    | 'completedAt'
    | 'tasks'
    | 'trigger'
    | 'exitCode'
    | 'message'
    | 'retryAt'
    | 'placement'
  >,
): Record<string, unknown> {
  return {
    id: run.id,
    jobId: run.jobId,
    status: run.status,
    createdAt: iso(run.createdAt),
    startedAt: iso(run.startedAt),
    completedAt: iso(run.completedAt),
    tasks: run.tasks.map((t) => ({
      id: t.id,
      status: t.status,
      startedAt: iso(t.startedAt ?? t.launchedAt),
      completedAt: iso(t.completedAt),
      ...(t.exitCode !== undefined ? { exitCode: t.exitCode } : {}),
      ...(t.message ? { message: t.message } : {}),
    })),
    trigger:
      run.trigger.kind === 'schedule'
        ? { ...run.trigger, dueAt: iso(run.trigger.dueAt) }
        : run.trigger,
    ...(run.exitCode !== undefined ? { exitCode: run.exitCode } : {}),
    ...(run.message ? { message: run.message } : {}),
    ...(run.retryAt !== undefined ? { retryAt: iso(run.retryAt) } : {}),
    ...(run.placement ? { placement: run.placement } : {}),
  };
}

function finishedJson(summary: FinishedRunSummary): Record<string, unknown> {
  return {
    id: summary.id,
    createdAt: iso(summary.createdAt),
    finishedAt: iso(summary.finishedAt),
    status: summary.status,
    ...(summary.exitCode !== undefined ? { exitCode: summary.exitCode } : {}),
    ...(summary.message ? { message: summary.message } : {}),
    ...(summary.taskId ? { tasks: [summary.taskId] } : {}),
  };
}

export function historySummaryJson(history: JobHistory): Record<string, unknown> {
  return {
    successCount: history.successCount,
    failureCount: history.failureCount,
    missedCount: history.missedCount,
    lastSuccessAt: iso(history.lastSuccessAt),
    lastFailureAt: iso(history.lastFailureAt),
  };
}

export function historyJson(history: JobHistory): Record<string, unknown> {
  return {
    ...historySummaryJson(history),
    successfulFinishedRuns: history.successfulFinishedRuns.map(finishedJson),
    failedFinishedRuns: history.failedFinishedRuns.map(finishedJson),
    missedRuns: history.missedRuns.map((m) => ({
      scheduleId: m.scheduleId,
      dueAt: iso(m.dueAt),
      reason: m.reason,
    })),
  };
}

/** A job with the embeds Metronome offers: activeRuns, schedules, history, historySummary. */
export function jobView(
  state: JobState,
  job: JobDefinition,
  embed: Set<string>,
): Record<string, unknown> {
  const view = jobJson(job);
  if (embed.has('activeRuns')) view.activeRuns = state.activeRunsOf(job.id).map(runJson);
  if (embed.has('schedules'))
    view.schedules = [...state.schedulesOf(job.id).values()].map(scheduleJson);
  if (embed.has('history')) view.history = historyJson(state.historyOf(job.id));
  if (embed.has('historySummary'))
    view.historySummary = historySummaryJson(state.historyOf(job.id));
  return view;
}
