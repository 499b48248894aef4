import type { JobDefinition, ScheduleDefinition } from '../../core/jobs/job-definition.js';
import type { PlacementDiagnosis } from '../../core/placement-types.js';
import type { TaskState } from '../../core/task-state.js';

/** Metronome's run states. */
export type RunStatus = 'INITIAL' | 'STARTING' | 'ACTIVE' | 'SUCCESS' | 'FAILED';

export type RunTrigger =
  | { readonly kind: 'schedule'; readonly scheduleId: string; readonly dueAt: number }
  | { readonly kind: 'manual' }
  | { readonly kind: 'dependency'; readonly parents: readonly string[] };

export interface RunTaskRecord {
  readonly id: string;
  status: TaskState;
  readonly launchedAt: number;
  startedAt?: number | undefined;
  completedAt?: number | undefined;
  exitCode?: number | undefined;
  message?: string | undefined;
}

export interface RunRecord {
  readonly id: string;
  readonly jobId: string;
  /** The job as it was when the run was created: later edits do not change a run. */
  readonly job: JobDefinition;
  readonly trigger: RunTrigger;
  status: RunStatus;
  readonly createdAt: number;
  startedAt?: number | undefined;
  completedAt?: number | undefined;
  /** Task attempts, newest last; the last one is current while the run is not finished. */
  tasks: RunTaskRecord[];
  /** When the next attempt may launch (ON_FAILURE backoff). */
  retryAt?: number | undefined;
  exitCode?: number | undefined;
  message?: string | undefined;
  stopRequested?: boolean | undefined;
  /** Why the run's task could not be placed yet (not persisted across restarts). */
  placement?: PlacementDiagnosis | undefined;
}

export interface ScheduleRecord {
  readonly jobId: string;
  readonly schedule: ScheduleDefinition;
  /** The first due time not handled yet; committed together with the runs it starts. */
  cursorMs: number | undefined;
}

export interface FinishedRunSummary {
  readonly id: string;
  readonly createdAt: number;
  readonly startedAt?: number | undefined;
  readonly finishedAt: number;
  /** Every task attempt, as in the run while it was active. */
  readonly tasks?: readonly RunTaskRecord[] | undefined;
  readonly status: 'SUCCESS' | 'FAILED';
  readonly exitCode?: number | undefined;
  readonly message?: string | undefined;
  readonly taskId?: string | undefined;
  readonly trigger: RunTrigger;
}

export interface MissedRun {
  readonly scheduleId: string;
  readonly dueAt: number;
  readonly reason: string;
}

export interface JobHistory {
  readonly jobId: string;
  successCount: number;
  failureCount: number;
  missedCount: number;
  lastSuccessAt?: number | undefined;
  lastFailureAt?: number | undefined;
  /** Newest first, at most MasterSettings.jobHistoryMax each. */
  successfulFinishedRuns: FinishedRunSummary[];
  failedFinishedRuns: FinishedRunSummary[];
  missedRuns: MissedRun[];
}

/** Which parents of a dependent job have succeeded in the current cycle. */
export interface DagProgress {
  readonly jobId: string;
  succeededParents: string[];
}

export const jobKeys = {
  job: (id: string) => `jobs/${id}`,
  jobPrefix: 'jobs/',
  schedule: (jobId: string, scheduleId: string) => `schedules/${jobId}/${scheduleId}`,
  schedulePrefix: 'schedules/',
  run: (id: string) => `runs/${id}`,
  runPrefix: 'runs/',
  history: (jobId: string) => `history/${jobId}`,
  historyPrefix: 'history/',
  dag: (jobId: string) => `dag/${jobId}`,
  dagPrefix: 'dag/',
};

/** The task-record appId of a job's tasks; never a valid app path, so apps and jobs cannot collide. */
export function jobTaskOwner(jobId: string): string {
  return `job:${jobId}`;
}

export function isActiveRun(run: RunRecord): boolean {
  return run.status === 'INITIAL' || run.status === 'STARTING' || run.status === 'ACTIVE';
}
