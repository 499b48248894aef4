import { z } from 'zod';
import { appDefaults } from './app-definition.js';
import { fetchUriSchema } from './fetch-uri.js';

/**
 * The shape of a Marathon app as users write it, with Marathon's defaults (zod), and the
 * fields that are read-only or need containers. Cross-field rules live in app-checks.ts.
 */
export const readOnlyFields = [
  'version',
  'versionInfo',
  'tasksStaged',
  'tasksRunning',
  'tasksHealthy',
  'tasksUnhealthy',
  'deployments',
  'tasks',
  'lastTaskFailure',
  'readinessCheckResults',
  'counts',
  'taskStats',
  'tasksStats',
  'storeUrls',
  'role',
  'tty',
  'overdue',
];

/** Fields that need containers: rejected until containers exist. */
export const containerFields: Record<string, string> = {
  container: 'containers are not supported yet; run the process directly with "cmd" or "args"',
  docker: 'containers are not supported yet; run the process directly with "cmd" or "args"',
  ipAddress: 'IP-per-task needs containers, which are not supported yet',
  residency: 'resident tasks with persistent volumes are not supported yet',
};

const healthCheckSchema = z.object({
  protocol: z
    .enum(['HTTP', 'HTTPS', 'TCP', 'COMMAND', 'MESOS_HTTP', 'MESOS_HTTPS', 'MESOS_TCP'])
    .default('HTTP'),
  path: z.string().optional(),
  portIndex: z.number().int().min(0).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  command: z.object({ value: z.string().min(1) }).optional(),
  gracePeriodSeconds: z.number().min(0).default(appDefaults.healthCheck.gracePeriodSeconds),
  intervalSeconds: z.number().min(0.1).default(appDefaults.healthCheck.intervalSeconds),
  timeoutSeconds: z.number().min(0.1).default(appDefaults.healthCheck.timeoutSeconds),
  maxConsecutiveFailures: z
    .number()
    .int()
    .min(0)
    .default(appDefaults.healthCheck.maxConsecutiveFailures),
  delaySeconds: z.number().min(0).optional(),
  ignoreHttp1xx: z.boolean().default(false),
  ipProtocol: z.enum(['IPv4', 'IPv6']).optional(),
});

const readinessCheckSchema = z.object({
  name: z.string().min(1).default('readinessCheck'),
  protocol: z.enum(['HTTP', 'HTTPS']).default('HTTP'),
  path: z.string().min(1).default('/'),
  portName: z.string().min(1).default('http-api'),
  intervalSeconds: z.number().int().min(0).default(30),
  timeoutSeconds: z.number().int().min(1).default(10),
  httpStatusCodesForReady: z.array(z.number().int().min(100).max(599)).min(1).default([200]),
  preserveLastResponse: z.boolean().default(false),
});

const portDefinitionSchema = z.object({
  port: z.number().int().min(0).max(65535),
  protocol: z
    .enum(['tcp', 'udp', 'udp,tcp', 'tcp,udp'], { message: 'protocol must be tcp, udp or udp,tcp' })
    .default('tcp'),
  name: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes')
    .optional(),
  labels: z.record(z.string(), z.string()).default({}),
});

const envValue = z.union([z.string(), z.number().transform(String), z.boolean().transform(String)]);

export const appSchema = z.object({
  id: z.string(),
  cmd: z.string().min(1).nullish(),
  args: z.array(z.string()).min(1).nullish(),
  user: z.string().nullish(),
  env: z.record(z.string(), envValue).default({}),
  instances: z.number().int().min(0).default(appDefaults.instances),
  cpus: z.number().min(0).default(appDefaults.cpus),
  mem: z.number().min(0).default(appDefaults.mem),
  disk: z.number().min(0).default(appDefaults.disk),
  gpus: z.number().min(0).max(0, 'GPUs are not supported on this platform').default(0),
  executor: z.string().default(''),
  constraints: z.array(z.unknown()).default([]),
  fetch: z.array(fetchUriSchema).default([]),
  backoffSeconds: z.number().min(0).default(appDefaults.backoffSeconds),
  backoffFactor: z.number().min(1).default(appDefaults.backoffFactor),
  maxLaunchDelaySeconds: z.number().min(0).default(appDefaults.maxLaunchDelaySeconds),
  healthChecks: z.array(healthCheckSchema).default([]),
  readinessChecks: z
    .array(readinessCheckSchema)
    .max(1, 'only one readiness check is supported')
    .default([]),
  dependencies: z.array(z.string()).default([]),
  upgradeStrategy: z
    .object({
      minimumHealthCapacity: z.number().min(0).max(1).default(appDefaults.minimumHealthCapacity),
      maximumOverCapacity: z.number().min(0).max(1).default(appDefaults.maximumOverCapacity),
    })
    .default({
      minimumHealthCapacity: appDefaults.minimumHealthCapacity,
      maximumOverCapacity: appDefaults.maximumOverCapacity,
    }),
  unreachableStrategy: z
    .union([
      z.literal('disabled'),
      z.object({
        inactiveAfterSeconds: z
          .number()
          .min(0)
          .default(appDefaults.unreachableStrategy.inactiveAfterSeconds),
        expungeAfterSeconds: z
          .number()
          .min(0)
          .default(appDefaults.unreachableStrategy.expungeAfterSeconds),
      }),
    ])
    .default({ ...appDefaults.unreachableStrategy }),
  killSelection: z.enum(['YOUNGEST_FIRST', 'OLDEST_FIRST']).default(appDefaults.killSelection),
  labels: z.record(z.string(), z.string()).default({}),
  acceptedResourceRoles: z.array(z.string()).default(['*']),
  portDefinitions: z.array(portDefinitionSchema).optional(),
  ports: z.array(z.number().int().min(0).max(65535)).optional(),
  requirePorts: z.boolean().default(false),
  taskKillGracePeriodSeconds: z.number().min(0).nullish(),
  networks: z
    .array(z.object({ mode: z.string().default('host'), name: z.string().optional() }))
    .default([{ mode: 'host' }]),
  secrets: z.record(z.string(), z.unknown()).optional(),
});

export type AppInput = z.output<typeof appSchema>;
