import type { PlacementReport } from './queue.js';
import type { TaskState } from './task.js';

/**
 * Metronome v1 job JSON. `JobDefinition` is what a user writes (only `id` and a command are
 * needed, the master applies Metronome's defaults); `Job` is what the master returns, with
 * every default filled in and the embeds asked for.
 */
export type JobRestartPolicy = 'NEVER' | 'ON_FAILURE';

export type ScheduleConcurrencyPolicy = 'ALLOW' | 'FORBID' | 'REPLACE';

/** Metronome's placement constraint; the operators are EQ (or IS), LIKE and UNLIKE. */
export interface JobConstraint {
  readonly attribute: string;
  readonly operator: string;
  readonly value?: string;
}

export interface JobArtifact {
  readonly uri: string;
  readonly executable?: boolean;
  readonly extract?: boolean;
  readonly cache?: boolean;
}

/** What a run of the job executes, as a user writes it. Give either `cmd` or `args`. */
export interface JobRunSpecDefinition {
  readonly cmd?: string | null;
  readonly args?: readonly string[] | null;
  readonly cpus?: number;
  /** MiB. */
  readonly mem?: number;
  /** MiB. */
  readonly disk?: number;
  readonly gpus?: number;
  readonly env?: Readonly<Record<string, string | number | boolean>>;
  readonly artifacts?: readonly JobArtifact[];
  readonly placement?: { readonly constraints?: readonly JobConstraint[] };
  /** Seconds a run may wait for resources before it fails. */
  readonly maxLaunchDelay?: number;
  readonly restart?: {
    readonly policy?: JobRestartPolicy;
    /** Seconds after which an ON_FAILURE run stops retrying. */
    readonly activeDeadlineSeconds?: number;
  };
  readonly taskKillGracePeriodSeconds?: number | null;
  readonly user?: string | null;
  /** Fields this client does not know are passed through unchanged. */
  readonly [field: string]: unknown;
}

/** A schedule as a user writes it (POST /v1/jobs/{id}/schedules, or in a job's `schedules`). */
export interface ScheduleDefinition {
  /** Lower-case letters, digits and dashes. */
  readonly id: string;
  /** A 5-field cron expression (6 with a trailing year), or an ISO 8601 repeating interval (R[n]/start/period). */
  readonly cron: string;
  /** An IANA time zone; default UTC. */
  readonly timezone?: string;
  /** How late a due run may still start; default 900. */
  readonly startingDeadlineSeconds?: number;
  /** What happens when a run is due while another is active; default ALLOW. */
  readonly concurrencyPolicy?: ScheduleConcurrencyPolicy;
  readonly enabled?: boolean;
}

/** A schedule as the master returns it. */
export interface Schedule extends Required<ScheduleDefinition> {
  /** The next time it starts a run; null when disabled. */
  readonly nextRunAt: string | null;
}

/** A job as a user submits it (POST /v1/jobs, PUT /v1/jobs/{id}). */
export interface JobDefinition {
  /** Dot-separated segments of lower-case letters, digits and dashes (e.g. prod.backup-db). */
  readonly id: string;
  readonly description?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly run: JobRunSpecDefinition;
  /** Jobs this one runs after (all must succeed in the same cycle); excludes schedules. */
  readonly dependencies?: readonly { readonly id: string }[];
  /** Created with the job; in a PUT, replaces all the job's schedules. */
  readonly schedules?: readonly ScheduleDefinition[];
  /** Fields this client does not know are passed through unchanged. */
  readonly [field: string]: unknown;
}

/** The run specification as the master returns it, defaults applied. */
export interface JobRunSpec extends JobRunSpecDefinition {
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly gpus: number;
  readonly env: Readonly<Record<string, string>>;
  readonly artifacts: readonly Required<JobArtifact>[];
  readonly placement: { readonly constraints: readonly JobConstraint[] };
  readonly maxLaunchDelay: number;
  readonly restart: { readonly policy: JobRestartPolicy; readonly activeDeadlineSeconds?: number };
}

/** Metronome's run states: INITIAL → STARTING → ACTIVE → SUCCESS or FAILED. */
export type JobRunStatus = 'INITIAL' | 'STARTING' | 'ACTIVE' | 'SUCCESS' | 'FAILED';

/** Why a run exists. */
export type JobRunTrigger =
  | {
      readonly kind: 'schedule';
      readonly scheduleId: string;
      /** ISO time; a finished run read by id may give milliseconds since the epoch. */
      readonly dueAt: string | number | null;
    }
  | { readonly kind: 'manual' }
  | { readonly kind: 'dependency'; readonly parents: readonly string[] };

/** One task attempt of a run; the newest is last. Finished runs read by id carry only `id`. */
export interface JobRunTask {
  /** `<job id with . replaced by _>_<run id>.<attempt>`; its logs are on the agent that ran it. */
  readonly id: string;
  readonly status?: TaskState;
  readonly startedAt?: string | null;
  readonly completedAt?: string | null;
  readonly exitCode?: number;
  readonly message?: string;
}

/** A run (GET /v1/jobs/{id}/runs/{runId}, active or finished). */
export interface JobRun {
  /** The creation time as yyyyMMddHHmmss plus five letters and digits; runs sort by it. */
  readonly id: string;
  readonly jobId: string;
  readonly status: JobRunStatus;
  readonly createdAt: string | null;
  readonly startedAt?: string | null;
  readonly completedAt?: string | null;
  readonly tasks: readonly JobRunTask[];
  readonly trigger?: JobRunTrigger;
  readonly exitCode?: number;
  readonly message?: string;
  /** When the next ON_FAILURE attempt may launch. */
  readonly retryAt?: string | null;
  /** Why the run's task could not be placed yet. */
  readonly placement?: Omit<PlacementReport, 'unplaced' | 'at'>;
}

/** A finished run as the job's history lists it. */
export interface FinishedJobRun {
  readonly id: string;
  readonly createdAt: string | null;
  readonly finishedAt: string | null;
  readonly status: 'SUCCESS' | 'FAILED';
  readonly exitCode?: number;
  readonly message?: string;
  /** The id of the run's last task attempt. */
  readonly tasks?: readonly string[];
}

/** A scheduled run that did not start (its deadline passed, or the concurrency policy). */
export interface MissedJobRun {
  readonly scheduleId: string;
  readonly dueAt: string | null;
  readonly reason: string;
}

export interface JobHistorySummary {
  readonly successCount: number;
  readonly failureCount: number;
  readonly missedCount: number;
  readonly lastSuccessAt: string | null;
  readonly lastFailureAt: string | null;
}

/** The job's finished runs, newest first (the master keeps a bounded number of each). */
export interface JobHistory extends JobHistorySummary {
  readonly successfulFinishedRuns: readonly FinishedJobRun[];
  readonly failedFinishedRuns: readonly FinishedJobRun[];
  readonly missedRuns: readonly MissedJobRun[];
}

/** The `embed` values of GET /v1/jobs and GET /v1/jobs/{id}. */
export type JobEmbed = 'activeRuns' | 'schedules' | 'history' | 'historySummary';

/** A job as the master returns it; the embedded fields are present when asked for. */
export interface Job {
  readonly id: string;
  readonly description: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly run: JobRunSpec;
  readonly dependencies: readonly { readonly id: string }[];
  readonly activeRuns?: readonly JobRun[];
  readonly schedules?: readonly Schedule[];
  readonly history?: JobHistory;
  readonly historySummary?: JobHistorySummary;
}
