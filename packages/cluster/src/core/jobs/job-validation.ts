import { z } from 'zod';
import type { FieldError } from '@exosphere/common';
import type { Constraint } from '../constraints.js';
import {
  jobDefaults,
  jobIdPattern,
  type JobDefinition,
  type ScheduleDefinition,
} from './job-definition.js';
import { parseSchedule } from './schedule.js';
import { fetchUriSchema } from '../fetch-uri.js';

/**
 * Validates jobs and schedules as Metronome users write them, applies Metronome's
 * defaults, and reports every invalid field with its JSON path. Fields that need containers
 * (docker, ucr, volumes) are rejected until containers exist.
 */
const envValue = z.union([z.string(), z.number().transform(String), z.boolean().transform(String)]);

const constraintSchema = z.object({
  attribute: z.string().min(1),
  operator: z
    .string()
    .transform((o) => o.toUpperCase())
    .pipe(z.enum(['EQ', 'IS', 'LIKE', 'UNLIKE'])),
  value: z.string().optional(),
});

const runSchema = z.object({
  cmd: z.string().min(1).nullish(),
  args: z.array(z.string()).min(1).nullish(),
  cpus: z.number().min(0).default(jobDefaults.cpus),
  mem: z.number().min(0).default(jobDefaults.mem),
  disk: z.number().min(0).default(jobDefaults.disk),
  gpus: z.number().min(0).max(0, 'GPUs are not supported on this platform').default(0),
  env: z.record(z.string(), envValue).default({}),
  artifacts: z.array(fetchUriSchema).default([]),
  placement: z
    .object({ constraints: z.array(constraintSchema).default([]) })
    .default({ constraints: [] }),
  maxLaunchDelay: z.number().int().min(1).default(jobDefaults.maxLaunchDelay),
  restart: z
    .object({
      policy: z.enum(['NEVER', 'ON_FAILURE']).default(jobDefaults.restartPolicy),
      activeDeadlineSeconds: z.number().int().min(1).optional(),
    })
    .default({ policy: jobDefaults.restartPolicy }),
  taskKillGracePeriodSeconds: z.number().min(0).nullish(),
  user: z.string().nullish(),
  docker: z.unknown().optional(),
  ucr: z.unknown().optional(),
  volumes: z.array(z.unknown()).optional(),
  secrets: z.record(z.string(), z.unknown()).optional(),
  networks: z.array(z.unknown()).optional(),
});

const jobSchema = z.object({
  id: z.string(),
  description: z.string().default(''),
  labels: z.record(z.string(), z.string()).default({}),
  run: runSchema,
  dependencies: z.array(z.object({ id: z.string() })).default([]),
  schedules: z.array(z.unknown()).optional(),
});

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export function validateJob(
  raw: unknown,
  options: { pathId?: string } = {},
): ValidationResult<JobDefinition & { schedules?: ScheduleDefinition[] }> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, errors: [{ path: '/', errors: ['a job must be a JSON object'] }] };
  }
  const input = { ...(raw as Record<string, unknown>) };
  const errors: FieldError[] = [];
  // A PUT names the job in its URL. As in Metronome, the body's id (checked like any id) gives
  // way to the URL's; a body without one is taken as naming the URL's job.
  if (options.pathId !== undefined && input.id === undefined) input.id = options.pathId;
  // Read-only fields Metronome returns; dropped so a GET result can be PUT back.
  for (const key of ['activeRuns', 'history', 'historySummary']) delete input[key];
  // Metronome's job schema allows no other properties (additionalProperties: false).
  errors.push(...unknownFieldErrors(input, Object.keys(jobSchema.shape), ''));
  if (typeof input.run === 'object' && input.run !== null && !Array.isArray(input.run)) {
    const run = { ...(input.run as Record<string, unknown>) };
    errors.push(...unknownFieldErrors(run, Object.keys(runSchema.shape), '/run'));
    if (typeof run.env === 'object' && run.env !== null && !Array.isArray(run.env)) {
      const env = { ...(run.env as Record<string, unknown>) };
      for (const [name, value] of Object.entries(env)) {
        if (typeof value === 'object' && value !== null && 'secret' in value) {
          errors.push({
            path: `/run/env/${name}`,
            errors: ['environment variables that reference a secret are not supported yet'],
          });
          delete env[name];
        }
      }
      run.env = env;
    }
    input.run = run;
  }
  // Checks that need no parsed values run first, so one answer lists every invalid field
  // even when some fields also have the wrong type.
  errors.push(...shapeIndependentErrors(input));
  const parsed = jobSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      errors.push({ path: '/' + issue.path.map(String).join('/'), errors: [issue.message] });
    return { ok: false, errors: mergeByPath(errors) };
  }
  const job = { ...parsed.data, id: options.pathId ?? parsed.data.id };
  const run = job.run;
  if (run.volumes && run.volumes.length > 0)
    errors.push({
      path: '/run/volumes',
      errors: ['volumes need containers, which are not supported yet'],
    });
  (run.networks ?? []).forEach((network, index) => {
    const mode =
      typeof network === 'object' && network !== null
        ? (network as { mode?: unknown }).mode
        : undefined;
    if (mode !== 'host')
      errors.push({
        path: `/run/networks/${index}/mode`,
        errors: [
          `network mode ${JSON.stringify(mode) ?? 'undefined'} needs containers; only "host" is supported`,
        ],
      });
  });
  if (run.secrets && Object.keys(run.secrets).length > 0)
    errors.push({ path: '/run/secrets', errors: ['secrets are not supported yet'] });
  const constraints: Constraint[] = [];
  run.placement.constraints.forEach((c, index) => {
    const path = `/run/placement/constraints/${index}`;
    const operator = c.operator === 'EQ' ? 'IS' : c.operator;
    if (c.value === undefined) {
      errors.push({ path: `${path}/value`, errors: [`operator ${c.operator} needs a value`] });
      return;
    }
    if (operator === 'LIKE' || operator === 'UNLIKE') {
      try {
        new RegExp(`^(?:${c.value})$`);
      } catch (error) {
        errors.push({
          path: `${path}/value`,
          errors: [`not a valid regular expression: ${(error as Error).message}`],
        });
        return;
      }
    }
    constraints.push({ field: c.attribute, operator, value: c.value });
  });
  job.dependencies.forEach((d, index) => {
    if (!jobIdPattern.test(d.id))
      errors.push({ path: `/dependencies/${index}/id`, errors: ['not a valid job id'] });
    if (d.id === job.id)
      errors.push({ path: `/dependencies/${index}/id`, errors: ['a job cannot depend on itself'] });
  });
  const schedules: ScheduleDefinition[] = [];
  (job.schedules ?? []).forEach((rawSchedule, index) => {
    const result = validateSchedule(rawSchedule);
    if (result.ok) schedules.push(result.value);
    else
      for (const e of result.errors)
        errors.push({
          path: `/schedules/${index}${e.path === '/' ? '' : e.path}`,
          errors: e.errors,
        });
  });
  // Metronome's JobSpec validator allows one schedule per job.
  if ((job.schedules ?? []).length > 1) {
    errors.push({
      path: '/schedules',
      errors: [`a job has at most one schedule; ${(job.schedules ?? []).length} were given`],
    });
  }
  if (schedules.length > 0 && job.dependencies.length > 0) {
    errors.push({
      path: '/dependencies',
      errors: ['a job has either schedules or dependencies, not both'],
    });
  }
  if (errors.length > 0) return { ok: false, errors: mergeByPath(errors) };
  const definition: JobDefinition & { schedules?: ScheduleDefinition[] } = {
    id: job.id,
    description: job.description,
    labels: job.labels,
    run: {
      ...(run.cmd ? { cmd: run.cmd } : {}),
      ...(run.args ? { args: run.args } : {}),
      cpus: run.cpus,
      mem: run.mem,
      disk: run.disk,
      gpus: run.gpus,
      env: run.env,
      artifacts: run.artifacts,
      placement: {
        constraints: run.placement.constraints.map((c) => ({
          attribute: c.attribute,
          operator: c.operator,
          ...(c.value !== undefined ? { value: c.value } : {}),
        })),
      },
      constraints,
      maxLaunchDelay: run.maxLaunchDelay,
      restart: {
        policy: run.restart.policy,
        ...(run.restart.activeDeadlineSeconds !== undefined
          ? { activeDeadlineSeconds: run.restart.activeDeadlineSeconds }
          : {}),
      },
      ...(run.taskKillGracePeriodSeconds != null
        ? { taskKillGracePeriodSeconds: run.taskKillGracePeriodSeconds }
        : {}),
      ...(run.user ? { user: run.user } : {}),
    },
    dependencies: job.dependencies,
    ...(job.schedules !== undefined ? { schedules } : {}),
  };
  return { ok: true, value: definition };
}

const scheduleSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'must be lower-case letters, digits and dashes'),
  cron: z.string().min(1),
  timezone: z.string().default(jobDefaults.timezone),
  // Metronome's ScheduleSpec validator: startingDeadline >= 1 minute.
  startingDeadlineSeconds: z
    .number()
    .int()
    .min(60, 'must be at least 60 (one minute)')
    .default(jobDefaults.startingDeadlineSeconds),
  concurrencyPolicy: z.enum(['ALLOW', 'FORBID', 'REPLACE']).default(jobDefaults.concurrencyPolicy),
  enabled: z.boolean().default(true),
});

export function validateSchedule(
  raw: unknown,
  options: { pathId?: string } = {},
): ValidationResult<ScheduleDefinition> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, errors: [{ path: '/', errors: ['a schedule must be a JSON object'] }] };
  }
  const input = { ...(raw as Record<string, unknown>) };
  delete input.nextRunAt;
  // As for jobs, the URL's schedule id wins over the body's (Metronome's updateSchedule).
  if (options.pathId !== undefined) input.id ??= options.pathId;
  const parsed = scheduleSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({
        path: '/' + i.path.map(String).join('/'),
        errors: [i.message],
      })),
    };
  }
  const errors: FieldError[] = [];
  const schedule = parseSchedule({ cron: parsed.data.cron, timezone: parsed.data.timezone });
  if (!schedule.ok) {
    const zoneProblem = schedule.errors.filter((e) => /zone/i.test(e));
    const cronProblem = schedule.errors.filter((e) => !/zone/i.test(e));
    if (cronProblem.length > 0) errors.push({ path: '/cron', errors: cronProblem });
    if (zoneProblem.length > 0) errors.push({ path: '/timezone', errors: zoneProblem });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { ...parsed.data, id: options.pathId ?? parsed.data.id } };
}

/** Id, command and container checks, made on the raw input whatever else is wrong with it. */
function shapeIndependentErrors(input: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof input.id === 'string' && !jobIdPattern.test(input.id)) {
    errors.push({
      path: '/id',
      errors: [
        'must be dot-separated segments of lower-case letters, digits and dashes (e.g. prod.backup-db)',
      ],
    });
  }
  const run =
    typeof input.run === 'object' && input.run !== null
      ? (input.run as Record<string, unknown>)
      : undefined;
  if (!run) return errors;
  if (run.cmd != null && run.args != null)
    errors.push({ path: '/run/cmd', errors: ['give either "cmd" or "args", not both'] });
  if (run.cmd == null && run.args == null)
    errors.push({ path: '/run/cmd', errors: ['a job needs run.cmd or run.args'] });
  for (const field of ['docker', 'ucr']) {
    if (run[field] != null) {
      errors.push({
        path: `/run/${field}`,
        errors: ['containers are not supported yet; run the process directly with "cmd" or "args"'],
      });
    }
  }
  return errors;
}

/** Every field of `object` not in `known`, as an error at its own path. */
function unknownFieldErrors(
  object: Record<string, unknown>,
  known: readonly string[],
  path: string,
): FieldError[] {
  return Object.keys(object)
    .filter((key) => !known.includes(key))
    .slice(0, 20)
    .map((key) => ({
      path: `${path}/${key}`,
      errors: [`unknown field '${key}'; known fields: ${known.join(', ')}`],
    }));
}

function mergeByPath(errors: FieldError[]): FieldError[] {
  const byPath = new Map<string, string[]>();
  for (const error of errors)
    byPath.set(error.path, [...(byPath.get(error.path) ?? []), ...error.errors]);
  return [...byPath].map(([path, list]) => ({ path, errors: list }));
}
