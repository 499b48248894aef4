import type { FetchUri } from './protocol.js';
import type { Constraint } from './constraints.js';

/**
 * An app as the master keeps it: Marathon's app JSON with every default applied once at
 * the edge. Field names and defaults follow Marathon's v2 API so definitions round-trip.
 */
export interface PortDefinition {
  /** Service port (0 in input = assign one from the service-port range). */
  readonly port: number;
  readonly protocol: string;
  readonly name?: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
}

export interface MarathonHealthCheck {
  readonly protocol:
    'HTTP' | 'HTTPS' | 'TCP' | 'COMMAND' | 'MESOS_HTTP' | 'MESOS_HTTPS' | 'MESOS_TCP';
  readonly path?: string | undefined;
  readonly portIndex?: number | undefined;
  readonly port?: number | undefined;
  readonly command?: { readonly value: string } | undefined;
  readonly gracePeriodSeconds: number;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly maxConsecutiveFailures: number;
  readonly delaySeconds: number;
  readonly ignoreHttp1xx: boolean;
}

/**
 * Marathon's readiness check. It is kept and returned as given; deployments treat a task as
 * ready once it runs and passes its health checks (the check itself is not probed yet).
 */
export interface ReadinessCheck {
  readonly name: string;
  readonly protocol: 'HTTP' | 'HTTPS';
  readonly path: string;
  readonly portName: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly httpStatusCodesForReady: readonly number[];
  readonly preserveLastResponse: boolean;
}

export interface UpgradeStrategy {
  readonly minimumHealthCapacity: number;
  readonly maximumOverCapacity: number;
}

export interface UnreachableStrategy {
  readonly inactiveAfterSeconds: number;
  readonly expungeAfterSeconds: number;
}

export type KillSelection = 'YOUNGEST_FIRST' | 'OLDEST_FIRST';

export interface VersionInfo {
  readonly lastScalingAt: string;
  readonly lastConfigChangeAt: string;
}

export interface AppDefinition {
  readonly id: string;
  readonly cmd?: string | undefined;
  readonly args?: readonly string[] | undefined;
  readonly user?: string | undefined;
  readonly env: Readonly<Record<string, string>>;
  readonly instances: number;
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly gpus: number;
  readonly executor: string;
  readonly constraints: readonly Constraint[];
  readonly fetch: readonly FetchUri[];
  readonly backoffSeconds: number;
  readonly backoffFactor: number;
  readonly maxLaunchDelaySeconds: number;
  readonly healthChecks: readonly MarathonHealthCheck[];
  readonly readinessChecks: readonly ReadinessCheck[];
  readonly dependencies: readonly string[];
  readonly upgradeStrategy: UpgradeStrategy;
  readonly unreachableStrategy: UnreachableStrategy;
  readonly killSelection: KillSelection;
  readonly labels: Readonly<Record<string, string>>;
  readonly acceptedResourceRoles: readonly string[];
  readonly portDefinitions: readonly PortDefinition[];
  readonly requirePorts: boolean;
  readonly taskKillGracePeriodSeconds?: number | undefined;
  readonly networks: readonly { readonly mode: string; readonly name?: string | undefined }[];
  readonly version: string;
  readonly versionInfo: VersionInfo;
}

/** Marathon's documented defaults. */
export const appDefaults = {
  instances: 1,
  cpus: 1,
  mem: 128,
  disk: 0,
  backoffSeconds: 1,
  backoffFactor: 1.15,
  maxLaunchDelaySeconds: 300,
  minimumHealthCapacity: 1,
  maximumOverCapacity: 1,
  killSelection: 'YOUNGEST_FIRST' as KillSelection,
  healthCheck: {
    gracePeriodSeconds: 300,
    intervalSeconds: 60,
    timeoutSeconds: 20,
    maxConsecutiveFailures: 3,
    /** Marathon's HealthCheck.DefaultDelay; only Mesos-style (MESOS_*) checks wait for it. */
    delaySeconds: 15,
  },
  unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 600 },
  /** SIGTERM → SIGKILL delay when taskKillGracePeriodSeconds is not set (Mesos' default 3 s). */
  killGracePeriodSeconds: 3,
} as const;

/** The part of an app that, when changed, needs new tasks (everything but instances). */
export function configFingerprint(app: AppDefinition): string {
  const { instances: _i, version: _v, versionInfo: _vi, ...config } = app;
  return JSON.stringify(config);
}
