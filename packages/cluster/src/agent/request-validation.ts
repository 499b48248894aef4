import type { FieldError } from '@exosphere/common';
import type { HealthCheckSpec } from '../core/health.js';
import type { FetchUri, TaskLaunchSpec } from '../core/protocol.js';
import { AgentErrors } from './agent-errors.js';

/** Limits on one request, so a bad master cannot make the agent do unbounded work. */
const tasksPerRequestMax = 1000;
const healthChecksPerTaskMax = 32;
const fetchUrisPerTaskMax = 100;
const protocols = ['HTTP', 'HTTPS', 'TCP', 'COMMAND'] as const;

/**
 * Collects every invalid field with its JSON path before rejecting, so the caller sees all
 * problems at once and nothing is half-applied. Fields the agent does not know are ignored
 * rather than rejected: master and agents of neighbouring versions must interoperate.
 */
class Fields {
  readonly errors: FieldError[] = [];

  fail(path: string, message: string): void {
    this.errors.push({ path, errors: [message] });
  }

  object(value: unknown, path: string): Record<string, unknown> | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    this.fail(path, 'must be an object');
    return undefined;
  }

  string(value: unknown, path: string, options: { optional?: boolean } = {}): string | undefined {
    if (value === undefined && options.optional) return undefined;
    if (typeof value === 'string') return value;
    this.fail(path, 'must be a string');
    return undefined;
  }

  number(value: unknown, path: string, fallback?: number): number {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
    this.fail(path, 'must be a non-negative number');
    return 0;
  }

  array(value: unknown, path: string, maximum: number): unknown[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.fail(path, 'must be an array');
      return [];
    }
    if (value.length > maximum) this.fail(path, `must have at most ${maximum} items`);
    return value;
  }

  stringRecord(value: unknown, path: string): Record<string, string> {
    if (value === undefined) return {};
    const record = this.object(value, path) ?? {};
    const result: Record<string, string> = {};
    for (const [key, item] of Object.entries(record)) {
      const text = this.string(item, `${path}/${key}`);
      if (text !== undefined) result[key] = text;
    }
    return result;
  }

  reject(message: string): never {
    throw AgentErrors.create('EXO_AGENT_INVALID_REQUEST', message, { details: this.errors });
  }
}

export function validateLaunchRequest(body: unknown): TaskLaunchSpec[] {
  const fields = new Fields();
  const root = fields.object(body, '');
  if (root !== undefined && root.tasks === undefined) fields.fail('/tasks', 'is required');
  const specs = fields
    .array(root?.tasks, '/tasks', tasksPerRequestMax)
    .map((item, index) => launchSpec(fields, item, `/tasks/${index}`));
  if (fields.errors.length > 0) fields.reject('the launch request is invalid');
  return specs;
}

export function validateKillRequest(body: unknown): { taskId: string; gracePeriodMs: number }[] {
  const fields = new Fields();
  const root = fields.object(body, '');
  if (root !== undefined && root.kills === undefined) fields.fail('/kills', 'is required');
  const kills = fields.array(root?.kills, '/kills', tasksPerRequestMax).map((item, index) => {
    const path = `/kills/${index}`;
    const kill = fields.object(item, path) ?? {};
    return {
      taskId: fields.string(kill.taskId, `${path}/taskId`) ?? '',
      gracePeriodMs: fields.number(kill.gracePeriodMs, `${path}/gracePeriodMs`),
    };
  });
  if (fields.errors.length > 0) fields.reject('the kill request is invalid');
  return kills;
}

function launchSpec(fields: Fields, item: unknown, path: string): TaskLaunchSpec {
  const spec = fields.object(item, path) ?? {};
  const resources = fields.object(spec.resources, `${path}/resources`) ?? {};
  const cmd = fields.string(spec.cmd, `${path}/cmd`, { optional: true });
  const args = fields
    .array(spec.args, `${path}/args`, 4096)
    .map((arg, index) => fields.string(arg, `${path}/args/${index}`) ?? '');
  if ((cmd === undefined || cmd === '') === (args.length === 0)) {
    fields.fail(path, 'needs exactly one of cmd and args');
  }
  const ports = fields.array(spec.ports, `${path}/ports`, 1000).map((port, index) => {
    if (typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535) {
      return port;
    }
    fields.fail(`${path}/ports/${index}`, 'must be a port number 1-65535');
    return 0;
  });
  // JSON turns an undefined array item into null, so null means "no name".
  const portNames = fields
    .array(spec.portNames, `${path}/portNames`, 1000)
    .map((name, index) =>
      name === null ? undefined : fields.string(name, `${path}/portNames/${index}`),
    );
  return {
    taskId: fields.string(spec.taskId, `${path}/taskId`) ?? '',
    appId: fields.string(spec.appId, `${path}/appId`) ?? '',
    ...(cmd !== undefined && cmd !== '' ? { cmd } : {}),
    ...(args.length > 0 ? { args } : {}),
    env: fields.stringRecord(spec.env, `${path}/env`),
    resources: {
      cpus: fields.number(resources.cpus, `${path}/resources/cpus`, 0),
      mem: fields.number(resources.mem, `${path}/resources/mem`, 0),
      disk: fields.number(resources.disk, `${path}/resources/disk`, 0),
    },
    ports,
    portNames,
    killGracePeriodMs: fields.number(spec.killGracePeriodMs, `${path}/killGracePeriodMs`, 3000),
    healthChecks: fields
      .array(spec.healthChecks, `${path}/healthChecks`, healthChecksPerTaskMax)
      .map((check, index) => healthCheck(fields, check, `${path}/healthChecks/${index}`)),
    version: fields.string(spec.version ?? '', `${path}/version`) ?? '',
    labels: fields.stringRecord(spec.labels, `${path}/labels`),
    ...fetchField(fields, spec.fetch, `${path}/fetch`),
    ...userField(fields, spec.user, `${path}/user`),
  };
}

/** The account to run as; checked for its shape here, looked up when the task launches. */
function userField(fields: Fields, value: unknown, path: string): { user?: string } {
  const user = fields.string(value ?? undefined, path, { optional: true });
  return user === undefined || user === '' ? {} : { user };
}

function fetchField(fields: Fields, value: unknown, path: string): { fetch?: FetchUri[] } {
  const items = fields.array(value, path, fetchUrisPerTaskMax);
  if (items.length === 0) return {};
  return {
    fetch: items.map((item, index) => {
      const uri = fields.object(item, `${path}/${index}`) ?? {};
      const outputFile = fields.string(uri.outputFile ?? undefined, `${path}/${index}/outputFile`, {
        optional: true,
      });
      return {
        uri: fields.string(uri.uri, `${path}/${index}/uri`) ?? '',
        extract: uri.extract !== false,
        executable: uri.executable === true,
        cache: uri.cache === true,
        ...(outputFile !== undefined ? { outputFile } : {}),
      };
    }),
  };
}

function healthCheck(fields: Fields, item: unknown, path: string): HealthCheckSpec {
  const check = fields.object(item, path) ?? {};
  const protocol = protocols.find((name) => name === check.protocol);
  if (protocol === undefined)
    fields.fail(`${path}/protocol`, `must be one of ${protocols.join(', ')}`);
  const port =
    check.port === undefined || check.port === null
      ? undefined
      : fields.number(check.port, `${path}/port`);
  return {
    protocol: protocol ?? 'TCP',
    path: fields.string(check.path ?? '/', `${path}/path`) ?? '/',
    port,
    command:
      check.command === null
        ? undefined
        : fields.string(check.command, `${path}/command`, { optional: true }),
    gracePeriodMs: fields.number(check.gracePeriodMs, `${path}/gracePeriodMs`, 0),
    intervalMs: fields.number(check.intervalMs, `${path}/intervalMs`, 10_000),
    timeoutMs: fields.number(check.timeoutMs, `${path}/timeoutMs`, 5_000),
    maxConsecutiveFailures: fields.number(
      check.maxConsecutiveFailures,
      `${path}/maxConsecutiveFailures`,
      3,
    ),
    delayMs: fields.number(check.delayMs, `${path}/delayMs`, 0),
    ignoreHttp1xx: check.ignoreHttp1xx === true,
  };
}
