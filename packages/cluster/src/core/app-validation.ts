import { z } from 'zod';
import { closest, type FieldError } from '@exosphere/common';
import {
  appDefaults,
  type AppDefinition,
  type MarathonHealthCheck,
  type PortDefinition,
} from './app-definition.js';
import type { Constraint } from './constraints.js';
import { parseConstraint } from './constraint-parse.js';
import { dropEmptyContainer, normalizeAppInput } from './app-normalize.js';
import { pathIdProblem, resolvePathId } from './path-id.js';
import { fetchUriProblem, outputFileProblem } from './fetch-uri.js';

/**
 * Validates an app as Marathon users write it and applies Marathon's defaults, once.
 * Every invalid field is reported with its JSON path; nothing partial is returned.
 *
 * Unknown fields: Marathon's read-only fields (tasksRunning, deployments, ...) are ignored so
 * that a GET result can be PUT back. Any other unknown field that is a likely typo of a known
 * one ("instnces") is rejected naming the right field; other unknown fields are ignored, as
 * Marathon does, so definitions written for newer Marathon versions still load.
 */
const readOnlyFields = [
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
const containerFields: Record<string, string> = {
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

const appSchema = z.object({
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
  fetch: z
    .array(
      z.object({
        uri: z.string().superRefine((uri, context) => {
          const problem = fetchUriProblem(uri);
          if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
        }),
        outputFile: z
          .string()
          .superRefine((name, context) => {
            const problem = outputFileProblem(name);
            if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
          })
          .optional(),
        extract: z.boolean().default(true),
        executable: z.boolean().default(false),
        cache: z.boolean().default(false),
      }),
    )
    .default([]),
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

type AppInput = z.output<typeof appSchema>;

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export interface AppValidationOptions {
  /** Group the id is relative to ("/" for /v2/apps). */
  base?: string;
  /** The version string to stamp (ISO time) and versionInfo to carry. */
  version: string;
  versionInfo: { lastScalingAt: string; lastConfigChangeAt: string };
  /** The id from the URL for PUT /v2/apps/{id}; the body's id may be omitted or must match. */
  pathId?: string;
}

const knownFields = [
  ...Object.keys(appSchema.shape),
  ...readOnlyFields,
  ...Object.keys(containerFields),
];

export function validateApp(
  raw: unknown,
  options: AppValidationOptions,
): ValidationResult<AppDefinition> {
  const errors: FieldError[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, errors: [{ path: '/', errors: ['an app must be a JSON object'] }] };
  }
  const input: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  if (options.pathId !== undefined) {
    if (input.id === undefined) input.id = options.pathId;
    else if (
      typeof input.id === 'string' &&
      resolvePathId(input.id, options.base) !== options.pathId
    ) {
      errors.push({
        path: '/id',
        errors: [`the id '${input.id}' does not match the URL's '${options.pathId}'`],
      });
    }
  }
  dropEmptyContainer(input);
  for (const key of Object.keys(input)) {
    if (key in containerFields && input[key] !== null && input[key] !== undefined) {
      errors.push({ path: `/${key}`, errors: [containerFields[key]!] });
    } else if (!knownFields.includes(key)) {
      const suggestion = likelyTypo(key, knownFields);
      if (suggestion)
        errors.push({
          path: `/${key}`,
          errors: [`unknown field '${key}'; did you mean '${suggestion}'?`],
        });
    }
  }
  for (const key of readOnlyFields) delete input[key];
  for (const key of Object.keys(containerFields)) if (input[key] === null) delete input[key];
  normalizeAppInput(input, errors);

  const parsed = appSchema.safeParse(input);
  if (!parsed.success) {
    // Report the checks that need no parsed values too, so one answer lists every invalid field.
    if (typeof input.id === 'string') checkId(input.id, options.base ?? '/', errors);
    if (input.cmd == null && input.args == null)
      errors.push({ path: '/cmd', errors: ['an app needs "cmd" or "args"'] });
    for (const issue of parsed.error.issues) {
      errors.push({ path: '/' + issue.path.map(String).join('/'), errors: [issue.message] });
    }
    return { ok: false, errors: mergeErrors(errors) };
  }
  const app = parsed.data;
  const id = checkId(app.id, options.base ?? '/', errors);
  const constraints = checkConstraints(app.constraints, errors);
  const portDefinitions = checkPorts(app, errors);
  const healthChecks = checkHealthChecks(app.healthChecks, portDefinitions, errors);
  checkCommand(app, errors);
  checkMisc(app, errors);
  checkReadiness(app, portDefinitions, errors);
  const dependencies = app.dependencies.map((d) => resolvePathId(d, parentPath(id)));
  if (errors.length > 0) return { ok: false, errors: mergeErrors(errors) };

  const unreachable =
    app.unreachableStrategy === 'disabled'
      ? {
          inactiveAfterSeconds: Number.MAX_SAFE_INTEGER,
          expungeAfterSeconds: Number.MAX_SAFE_INTEGER,
        }
      : app.unreachableStrategy;
  const definition: AppDefinition = {
    id,
    ...(app.cmd ? { cmd: app.cmd } : {}),
    ...(app.args ? { args: app.args } : {}),
    ...(app.user ? { user: app.user } : {}),
    env: app.env,
    instances: app.instances,
    cpus: app.cpus,
    mem: app.mem,
    disk: app.disk,
    gpus: app.gpus,
    executor: app.executor,
    constraints,
    fetch: app.fetch,
    backoffSeconds: app.backoffSeconds,
    backoffFactor: app.backoffFactor,
    maxLaunchDelaySeconds: app.maxLaunchDelaySeconds,
    healthChecks,
    readinessChecks: app.readinessChecks,
    dependencies,
    upgradeStrategy: app.upgradeStrategy,
    unreachableStrategy: unreachable,
    killSelection: app.killSelection,
    labels: app.labels,
    acceptedResourceRoles: app.acceptedResourceRoles,
    portDefinitions,
    requirePorts: app.requirePorts,
    ...(app.taskKillGracePeriodSeconds != null
      ? { taskKillGracePeriodSeconds: app.taskKillGracePeriodSeconds }
      : {}),
    networks: app.networks,
    version: options.version,
    versionInfo: options.versionInfo,
  };
  return { ok: true, value: definition };
}

function checkId(raw: string, base: string, errors: FieldError[]): string {
  const id = resolvePathId(raw, base);
  const problem = pathIdProblem(raw);
  if (problem) errors.push({ path: '/id', errors: [problem] });
  return id;
}

function checkConstraints(raw: readonly unknown[], errors: FieldError[]): Constraint[] {
  const constraints: Constraint[] = [];
  raw.forEach((entry, index) => {
    const result = parseConstraint(entry, `/constraints/${index}`);
    if (result.ok) constraints.push(result.constraint);
    else errors.push({ path: `/constraints/${index}`, errors: result.errors });
  });
  return constraints;
}

function checkPorts(app: AppInput, errors: FieldError[]): PortDefinition[] {
  if (app.ports && app.portDefinitions) {
    errors.push({
      path: '/ports',
      errors: ['give either "ports" (deprecated) or "portDefinitions", not both'],
    });
    return [];
  }
  const definitions: PortDefinition[] = app.portDefinitions
    ? app.portDefinitions.map((p) => ({
        port: p.port,
        protocol: p.protocol,
        labels: p.labels,
        ...(p.name ? { name: p.name } : {}),
      }))
    : (app.ports ?? [0]).map((port) => ({ port, protocol: 'tcp', labels: {} }));
  const names = new Set<string>();
  definitions.forEach((definition, index) => {
    if (definition.name) {
      if (names.has(definition.name))
        errors.push({
          path: `/portDefinitions/${index}/name`,
          errors: ['port names must be unique'],
        });
      names.add(definition.name);
    }
  });
  if (app.requirePorts && definitions.some((d) => d.port === 0)) {
    errors.push({
      path: '/requirePorts',
      errors: ['requirePorts needs every port to be a fixed, non-zero port'],
    });
  }
  const fixed = definitions.filter((d) => d.port !== 0).map((d) => d.port);
  if (new Set(fixed).size !== fixed.length) {
    errors.push({
      path: app.ports ? '/ports' : '/portDefinitions',
      errors: ['ports must be unique'],
    });
  }
  return definitions;
}

function checkHealthChecks(
  raw: AppInput['healthChecks'],
  ports: readonly PortDefinition[],
  errors: FieldError[],
): MarathonHealthCheck[] {
  return raw.map((check, index) => {
    const path = `/healthChecks/${index}`;
    const needsPort = check.protocol !== 'COMMAND';
    if (check.protocol === 'COMMAND' && !check.command) {
      errors.push({
        path: `${path}/command`,
        errors: ['a COMMAND health check needs command.value'],
      });
    }
    if (check.portIndex !== undefined && check.port !== undefined) {
      errors.push({ path: `${path}/port`, errors: ['give either portIndex or port, not both'] });
    }
    const portIndex =
      needsPort && check.port === undefined ? (check.portIndex ?? 0) : check.portIndex;
    if (
      needsPort &&
      check.port === undefined &&
      portIndex !== undefined &&
      portIndex >= ports.length
    ) {
      errors.push({
        path: `${path}/portIndex`,
        errors: [`portIndex ${portIndex} is out of range: the app has ${ports.length} port(s)`],
      });
    }
    return {
      protocol: check.protocol,
      ...(check.protocol.includes('HTTP')
        ? { path: check.path ?? '/' }
        : check.path
          ? { path: check.path }
          : {}),
      ...(portIndex !== undefined && needsPort ? { portIndex } : {}),
      ...(check.port !== undefined ? { port: check.port } : {}),
      ...(check.command ? { command: check.command } : {}),
      gracePeriodSeconds: check.gracePeriodSeconds,
      intervalSeconds: check.intervalSeconds,
      timeoutSeconds: check.timeoutSeconds,
      maxConsecutiveFailures: check.maxConsecutiveFailures,
      delaySeconds: check.delaySeconds ?? appDefaults.healthCheck.delaySeconds,
      ignoreHttp1xx: check.ignoreHttp1xx,
    };
  });
}

function checkCommand(app: AppInput, errors: FieldError[]): void {
  if (app.cmd && app.args)
    errors.push({ path: '/cmd', errors: ['give either "cmd" or "args", not both'] });
  if (!app.cmd && !app.args)
    errors.push({ path: '/cmd', errors: ['an app needs "cmd" or "args"'] });
}

function checkMisc(app: AppInput, errors: FieldError[]): void {
  app.networks.forEach((network, index) => {
    if (network.mode !== 'host') {
      errors.push({
        path: `/networks/${index}/mode`,
        errors: [`network mode '${network.mode}' needs containers; only "host" is supported`],
      });
    }
  });
  if (app.secrets && Object.keys(app.secrets).length > 0) {
    errors.push({ path: '/secrets', errors: ['secrets are not supported yet'] });
  }
  for (const [name, value] of Object.entries(app.env)) {
    if (name === '' || name.includes('='))
      errors.push({ path: `/env/${name}`, errors: ['invalid variable name'] });
    if (value.includes('\0'))
      errors.push({ path: `/env/${name}`, errors: ['values must not contain NUL'] });
  }
}

function checkReadiness(
  app: AppInput,
  ports: readonly PortDefinition[],
  errors: FieldError[],
): void {
  app.readinessChecks.forEach((check, index) => {
    if (!ports.some((port) => port.name === check.portName)) {
      errors.push({
        path: `/readinessChecks/${index}/portName`,
        errors: [`no port definition is named '${check.portName}'`],
      });
    }
  });
}

function parentPath(id: string): string {
  const index = id.lastIndexOf('/');
  return index <= 0 ? '/' : id.slice(0, index);
}

function mergeErrors(errors: FieldError[]): FieldError[] {
  const byPath = new Map<string, string[]>();
  for (const error of errors)
    byPath.set(error.path, [...(byPath.get(error.path) ?? []), ...error.errors]);
  return [...byPath].map(([path, list]) => ({ path, errors: list }));
}

/**
 * A known field that `word` is a likely typo of: one edit away (two for longer words). A field
 * that differs only in case is not a typo of that field here; it is ignored like other unknown fields.
 */
function likelyTypo(word: string, candidates: readonly string[]): string | undefined {
  const match = closest(word, candidates, word.length > 6 ? 2 : 1);
  return match !== undefined && match.toLowerCase() !== word.toLowerCase() ? match : undefined;
}
