/** Mesos task states, as Marathon reports them. */
export type TaskState =
  | 'TASK_STAGING'
  | 'TASK_STARTING'
  | 'TASK_RUNNING'
  | 'TASK_KILLING'
  | 'TASK_FINISHED'
  | 'TASK_FAILED'
  | 'TASK_KILLED'
  | 'TASK_ERROR'
  | 'TASK_LOST'
  | 'TASK_UNREACHABLE'
  | 'TASK_GONE';

export interface HealthCheckResult {
  readonly alive: boolean;
  readonly consecutiveFailures?: number;
  readonly firstSuccess?: string | null;
  readonly lastFailure?: string | null;
  readonly lastSuccess?: string | null;
  readonly lastFailureCause?: string | null;
  readonly taskId: string;
  readonly instanceId?: string;
  readonly [field: string]: unknown;
}

/** A task as Marathon renders it (GET /v2/tasks, GET /v2/apps/{id}/tasks). */
export interface Task {
  readonly id: string;
  readonly appId: string;
  readonly host: string;
  readonly ports: readonly number[];
  readonly servicePorts: readonly number[];
  /** Marathon's name for the agent id, kept for compatibility. */
  readonly slaveId: string;
  readonly agentId: string;
  readonly stagedAt: string | null;
  readonly startedAt: string | null;
  readonly state: TaskState;
  readonly version: string;
  readonly ipAddresses: readonly { readonly ipAddress: string; readonly protocol: string }[];
  readonly healthCheckResults: readonly HealthCheckResult[];
  readonly healthy?: boolean;
  readonly message?: string;
  readonly killRequestedAt?: string | null;
  readonly killReason?: string;
}

/** The `status` filter of GET /v2/tasks. */
export type TaskStatusFilter = 'running' | 'staging' | 'killing' | 'unreachable';
