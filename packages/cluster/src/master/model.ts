import type { AppDefinition } from '../core/app-definition.js';
import type { DeploymentStep } from '../core/deployment-plan.js';
import type { HealthCheckResult } from '../core/health.js';
import type { PlacementDiagnosis } from '../core/placement-types.js';
import type { KillReason } from '../core/app-plan.js';
import type { TaskLaunchSpec } from '../core/protocol.js';
import type { AgentResources, Resources } from '../core/resources.js';
import type { TaskState } from '../core/task-state.js';

/** Records the master keeps; each lives under one store key (see `keys`). */
export interface TaskRecord {
  readonly id: string;
  readonly appId: string;
  readonly agentId: string;
  readonly host: string;
  readonly ports: readonly number[];
  readonly servicePorts: readonly number[];
  /** The app's lastConfigChangeAt at launch. */
  readonly configVersion: string;
  /** The app's version at launch. */
  readonly version: string;
  readonly resources: Resources;
  readonly spec: TaskLaunchSpec;
  /** Set for the tasks of job runs. */
  readonly runId?: string | undefined;
  state: TaskState;
  stagedAt: number;
  startedAt?: number | undefined;
  updatedAt: number;
  healthy?: boolean | undefined;
  healthCheckResults?: readonly HealthCheckResult[] | undefined;
  message?: string | undefined;
  exitCode?: number | undefined;
  killRequestedAt?: number | undefined;
  killReason?: KillReason | 'user' | undefined;
  wasUnreachable: boolean;
  unreachableSince?: number | undefined;
}

export type AgentCondition = 'active' | 'unreachable';

export interface AgentRecord {
  readonly id: string;
  hostname: string;
  url: string;
  resources: AgentResources;
  attributes: Record<string, string>;
  isolation: string;
  registeredAt: number;
  condition: AgentCondition;
  /** Wall-clock time of the last heartbeat (for display; liveness uses monotonic time). */
  lastHeartbeatAt: number;
}

export interface DeploymentRecord {
  readonly id: string;
  readonly version: string;
  readonly affectedApps: readonly string[];
  readonly steps: readonly DeploymentStep[];
  /** 1-based index of the step in progress. */
  currentStep: number;
  readonly startedAt: number;
  /** App definitions before and after, for rollback and for Marathon's plan JSON. */
  readonly originals: Readonly<Record<string, AppDefinition | null>>;
  readonly targets: Readonly<Record<string, AppDefinition | null>>;
}

export interface GroupRecord {
  readonly id: string;
  readonly dependencies: readonly string[];
  readonly version: string;
}

/** Per-app scheduling state that is not part of the definition. */
export interface AppRuntime {
  consecutiveFailures: number;
  launchDelayUntil: number;
  lastFailure?:
    | {
        taskId: string;
        state: TaskState;
        message: string;
        timestamp: number;
        version: string;
        host: string;
      }
    | undefined;
  placement?: { diagnosis: PlacementDiagnosis; at: number; unplaced: number } | undefined;
  /** When launches were first wanted and not yet done (for the queue's `since`). */
  waitingSince?: number | undefined;
  delayedCount: number;
}

export const keys = {
  app: (id: string) => `apps${id}`,
  appPrefix: 'apps/',
  version: (id: string, version: string) => `versions${id}@${version}`,
  versionPrefix: (id: string) => `versions${id}@`,
  deployment: (id: string) => `deployments/${id}`,
  deploymentPrefix: 'deployments/',
  task: (id: string) => `tasks/${id}`,
  taskPrefix: 'tasks/',
  agent: (id: string) => `agents/${id}`,
  agentPrefix: 'agents/',
  group: (id: string) => `groups${id}`,
  groupPrefix: 'groups/',
  meta: 'meta/master',
  eventSubscriptions: 'meta/event-subscriptions',
};
