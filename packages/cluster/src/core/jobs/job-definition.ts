import type { FetchUri } from '../protocol.js';
import type { Constraint } from '../constraints.js';

/**
 * A job as the master keeps it: Metronome's v1 job JSON with defaults applied once.
 * Field names follow Metronome so job JSON round-trips.
 */
export type RestartPolicy = 'NEVER' | 'ON_FAILURE';

export interface JobRunSpec {
  readonly cmd?: string | undefined;
  readonly args?: readonly string[] | undefined;
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly gpus: number;
  readonly env: Readonly<Record<string, string>>;
  readonly artifacts: readonly FetchUri[];
  /** Metronome's placement constraints, kept in their JSON form for round-tripping. */
  readonly placement: {
    readonly constraints: readonly {
      readonly attribute: string;
      readonly operator: string;
      readonly value?: string | undefined;
    }[];
  };
  /** The same constraints in the compute plane's form, used for placement. */
  readonly constraints: readonly Constraint[];
  readonly maxLaunchDelay: number;
  readonly restart: {
    readonly policy: RestartPolicy;
    readonly activeDeadlineSeconds?: number | undefined;
  };
  readonly taskKillGracePeriodSeconds?: number | undefined;
  readonly user?: string | undefined;
}

export interface JobDefinition {
  readonly id: string;
  readonly description: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly run: JobRunSpec;
  /** Parent job ids: the job runs after all of them succeed in the same cycle. */
  readonly dependencies: readonly { readonly id: string }[];
}

export type ConcurrencyPolicy = 'ALLOW' | 'FORBID' | 'REPLACE';

export interface ScheduleDefinition {
  readonly id: string;
  /** A 5-field cron expression (6 with a trailing year), or a Chronos IS 8601 repeating interval (R[n]/start/period). */
  readonly cron: string;
  readonly timezone: string;
  readonly startingDeadlineSeconds: number;
  readonly concurrencyPolicy: ConcurrencyPolicy;
  readonly enabled: boolean;
}

export const jobDefaults = {
  cpus: 1,
  mem: 128,
  disk: 0,
  maxLaunchDelay: 3600,
  restartPolicy: 'NEVER' as RestartPolicy,
  timezone: 'UTC',
  startingDeadlineSeconds: 900,
  concurrencyPolicy: 'ALLOW' as ConcurrencyPolicy,
  /** SIGTERM → SIGKILL delay when taskKillGracePeriodSeconds is not set. */
  killGracePeriodSeconds: 3,
} as const;

/** Metronome job ids: dot-separated segments of lower-case letters, digits and dashes. */
export const jobIdPattern =
  /^([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])(\.([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9]))*$/;
