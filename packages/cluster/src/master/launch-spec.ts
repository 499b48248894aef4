import {
  appDefaults,
  type AppDefinition,
  type MarathonHealthCheck,
} from '../core/app-definition.js';
import type { HealthCheckSpec } from '../core/health.js';
import type { TaskLaunchSpec } from '../core/protocol.js';

/** Builds what an agent needs to run one instance of `app` with the assigned host ports. */
export function buildLaunchSpec(
  app: AppDefinition,
  taskId: string,
  ports: readonly number[],
): TaskLaunchSpec {
  return {
    taskId,
    appId: app.id,
    ...(app.cmd ? { cmd: app.cmd } : {}),
    ...(app.args ? { args: app.args } : {}),
    env: app.env,
    resources: { cpus: app.cpus, mem: app.mem, disk: app.disk },
    ports,
    portNames: app.portDefinitions.map((p) => p.name),
    killGracePeriodMs:
      (app.taskKillGracePeriodSeconds ?? appDefaults.killGracePeriodSeconds) * 1000,
    healthChecks: app.healthChecks.map((check) => healthCheckSpec(check, ports)),
    version: app.version,
    labels: app.labels,
    ...(app.fetch.length > 0 ? { fetch: app.fetch } : {}),
    ...(app.user ? { user: app.user } : {}),
  };
}

function healthCheckSpec(check: MarathonHealthCheck, ports: readonly number[]): HealthCheckSpec {
  const protocol = check.protocol.replace(/^MESOS_/, '') as HealthCheckSpec['protocol'];
  return {
    protocol,
    path: check.path ?? '/',
    port: check.port ?? (check.portIndex !== undefined ? ports[check.portIndex] : undefined),
    command: check.command?.value,
    gracePeriodMs: check.gracePeriodSeconds * 1000,
    intervalMs: check.intervalSeconds * 1000,
    timeoutMs: check.timeoutSeconds * 1000,
    maxConsecutiveFailures: check.maxConsecutiveFailures,
    // Marathon waits delaySeconds only before Mesos-style checks; its own HTTP/TCP/COMMAND
    // checks start at once (the grace period covers slow starts).
    delayMs: check.protocol.startsWith('MESOS_') ? check.delaySeconds * 1000 : 0,
    ignoreHttp1xx: check.ignoreHttp1xx,
  };
}
