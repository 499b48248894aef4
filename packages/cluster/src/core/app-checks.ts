/** The rules of a Marathon app that span fields, each adding errors with their JSON paths. */
import type { FieldError } from '@exosphere/common';
import { appDefaults, type MarathonHealthCheck, type PortDefinition } from './app-definition.js';
import type { AppInput } from './app-schema.js';
import type { Constraint } from './constraints.js';
import { parseConstraint } from './constraint-parse.js';
import { pathIdProblem, resolvePathId } from './path-id.js';

export function checkId(raw: string, base: string, errors: FieldError[]): string {
  const id = resolvePathId(raw, base);
  const problem = pathIdProblem(raw);
  if (problem) errors.push({ path: '/id', errors: [problem] });
  return id;
}

export function checkConstraints(raw: readonly unknown[], errors: FieldError[]): Constraint[] {
  const constraints: Constraint[] = [];
  raw.forEach((entry, index) => {
    const result = parseConstraint(entry, `/constraints/${index}`);
    if (result.ok) constraints.push(result.constraint);
    else errors.push({ path: `/constraints/${index}`, errors: result.errors });
  });
  return constraints;
}

export function checkPorts(app: AppInput, errors: FieldError[]): PortDefinition[] {
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

export function checkHealthChecks(
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

export function checkCommand(app: AppInput, errors: FieldError[]): void {
  if (app.cmd && app.args)
    errors.push({ path: '/cmd', errors: ['give either "cmd" or "args", not both'] });
  if (!app.cmd && !app.args)
    errors.push({ path: '/cmd', errors: ['an app needs "cmd" or "args"'] });
}

export function checkMisc(app: AppInput, errors: FieldError[]): void {
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

export function checkReadiness(
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
