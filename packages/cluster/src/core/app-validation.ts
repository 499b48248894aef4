/**
 * Validates an app as Marathon users write it and applies Marathon's defaults, once.
 * Every invalid field is reported with its JSON path; nothing partial is returned.
 *
 * Unknown fields: Marathon's read-only fields (tasksRunning, deployments, ...) are ignored so
 * that a GET result can be PUT back. Any other unknown field that is a likely typo of a known
 * one ("instnces") is rejected naming the right field; other unknown fields are ignored, as
 * Marathon does, so definitions written for newer Marathon versions still load.
 */
import { closest, type FieldError } from '@exosphere/common';
import type { AppDefinition } from './app-definition.js';
import { appSchema, containerFields, readOnlyFields } from './app-schema.js';
import {
  checkCommand,
  checkConstraints,
  checkHealthChecks,
  checkId,
  checkMisc,
  checkPorts,
  checkReadiness,
} from './app-checks.js';
import { dropEmptyContainer, normalizeAppInput } from './app-normalize.js';
import { withoutNulls } from './json-nulls.js';
import { resolvePathId } from './path-id.js';

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
  const input = withoutNulls(raw) as Record<string, unknown>;
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
    if (key in containerFields) {
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
