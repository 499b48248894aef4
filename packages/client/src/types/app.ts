import type { Task } from './task.js';

/**
 * Marathon v2 app JSON. `AppDefinition` is what a user writes (every field optional except
 * `id`, defaults applied by the master); `App` is what the master returns, with every default
 * filled in and the task counts of the running app.
 */
export type ConstraintJson = readonly [string, string] | readonly [string, string, string];

export interface PortDefinition {
  readonly port: number;
  readonly protocol?: string;
  readonly name?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface HealthCheck {
  readonly protocol:
    'HTTP' | 'HTTPS' | 'TCP' | 'COMMAND' | 'MESOS_HTTP' | 'MESOS_HTTPS' | 'MESOS_TCP';
  readonly path?: string;
  readonly portIndex?: number;
  readonly port?: number;
  readonly command?: { readonly value: string };
  readonly gracePeriodSeconds?: number;
  readonly intervalSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly maxConsecutiveFailures?: number;
  readonly delaySeconds?: number;
  readonly ignoreHttp1xx?: boolean;
}

export interface UpgradeStrategy {
  readonly minimumHealthCapacity: number;
  readonly maximumOverCapacity: number;
}

/** An app as a user submits it (POST /v2/apps, PUT /v2/apps/{id}). */
export interface AppDefinition {
  readonly id: string;
  readonly cmd?: string | null;
  readonly args?: readonly string[] | null;
  readonly user?: string | null;
  readonly env?: Readonly<Record<string, string>>;
  readonly instances?: number;
  readonly cpus?: number;
  readonly mem?: number;
  readonly disk?: number;
  readonly gpus?: number;
  readonly constraints?: readonly ConstraintJson[];
  readonly fetch?: readonly {
    readonly uri: string;
    readonly extract?: boolean;
    readonly executable?: boolean;
    readonly cache?: boolean;
  }[];
  readonly backoffSeconds?: number;
  readonly backoffFactor?: number;
  readonly maxLaunchDelaySeconds?: number;
  readonly healthChecks?: readonly HealthCheck[];
  readonly dependencies?: readonly string[];
  readonly upgradeStrategy?: UpgradeStrategy;
  readonly unreachableStrategy?: {
    readonly inactiveAfterSeconds: number;
    readonly expungeAfterSeconds: number;
  };
  readonly killSelection?: 'YOUNGEST_FIRST' | 'OLDEST_FIRST';
  readonly labels?: Readonly<Record<string, string>>;
  readonly acceptedResourceRoles?: readonly string[];
  readonly portDefinitions?: readonly PortDefinition[];
  readonly requirePorts?: boolean;
  readonly taskKillGracePeriodSeconds?: number;
  readonly networks?: readonly { readonly mode: string; readonly name?: string }[];
  /** Alone with `id` in an update, rolls the app back to this stored version. */
  readonly version?: string;
  /** Fields this client does not know are passed through unchanged. */
  readonly [field: string]: unknown;
}

/** An app as the master returns it (GET /v2/apps, GET /v2/apps/{id}). */
export interface App extends AppDefinition {
  readonly instances: number;
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly env: Readonly<Record<string, string>>;
  readonly constraints: readonly ConstraintJson[];
  readonly healthChecks: readonly HealthCheck[];
  readonly dependencies: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly portDefinitions: readonly PortDefinition[];
  readonly ports: readonly number[];
  readonly version: string;
  readonly versionInfo: { readonly lastScalingAt: string; readonly lastConfigChangeAt: string };
  readonly tasksStaged: number;
  readonly tasksRunning: number;
  readonly tasksHealthy: number;
  readonly tasksUnhealthy: number;
  /** Deployments in progress for this app (at most one). */
  readonly deployments: readonly { readonly id: string }[];
  /** Present with `embed: ['app.tasks']` (or `apps.tasks` in lists). */
  readonly tasks?: readonly Task[];
  readonly lastTaskFailure?: LastTaskFailure;
}

export interface LastTaskFailure {
  readonly appId: string;
  readonly host: string;
  readonly message: string;
  readonly state: string;
  readonly taskId: string;
  readonly timestamp: string;
  readonly version: string;
}

/** Values of Marathon's `embed` query parameter. */
export type AppEmbed =
  | 'app.tasks'
  | 'app.lastTaskFailure'
  | 'app.taskStats'
  | 'app.readiness'
  | 'apps.tasks'
  | 'apps.lastTaskFailure'
  | 'apps.taskStats'
  | 'apps.readiness';
