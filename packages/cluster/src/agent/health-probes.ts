import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { HealthCheckSpec } from '../core/health.js';
import { hostPort } from '@exosphere/common';
import { signalProcessGroup } from './process-tree.js';

/** The verdict of one probe: undefined cause = healthy. */
export interface ProbeResult {
  readonly healthy: boolean;
  readonly cause?: string;
}

export interface ProbeContext {
  readonly host: string;
  readonly sandboxDir: string;
  readonly environment: Readonly<Record<string, string>>;
  /** The task's own account, which command checks run as too. */
  readonly runAs?: { readonly uid: number; readonly gid: number } | undefined;
}

/** Runs one check once, never longer than its timeoutMs; never rejects. */
export function runProbe(spec: HealthCheckSpec, context: ProbeContext): Promise<ProbeResult> {
  switch (spec.protocol) {
    case 'HTTP':
    case 'HTTPS':
      return probeHttp(spec, context.host);
    case 'TCP':
      return probeTcp(spec, context.host);
    case 'COMMAND':
      return probeCommand(spec, context);
  }
}

/**
 * GET http(s)://host:port/path; 200–399 is healthy, as in Marathon. Certificates are not
 * verified: Marathon's HTTPS checks do not verify them either, and tasks mostly use
 * self-signed ones.
 */
function probeHttp(spec: HealthCheckSpec, host: string): Promise<ProbeResult> {
  if (spec.port === undefined) return Promise.resolve(missingPort(spec));
  const url = `${spec.protocol === 'HTTPS' ? 'https' : 'http'}://${hostPort(host, spec.port)}${spec.path.startsWith('/') ? spec.path : `/${spec.path}`}`;
  return new Promise((resolve) => {
    const send = spec.protocol === 'HTTPS' ? httpsRequest : httpRequest;
    const request = send(
      url,
      { method: 'GET', rejectUnauthorized: false, agent: false },
      (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        resolve(
          status >= 200 && status <= 399
            ? { healthy: true }
            : { healthy: false, cause: `GET ${url} answered ${status}` },
        );
      },
    );
    request.setTimeout(spec.timeoutMs, () => {
      request.destroy(new Error(`timed out after ${spec.timeoutMs} ms`));
    });
    request.on('error', (error) => {
      resolve({ healthy: false, cause: `GET ${url} failed: ${error.message}` });
    });
    request.end();
  });
}

function probeTcp(spec: HealthCheckSpec, host: string): Promise<ProbeResult> {
  if (spec.port === undefined) return Promise.resolve(missingPort(spec));
  const port = spec.port;
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(spec.timeoutMs, () => {
      socket.destroy(new Error(`timed out after ${spec.timeoutMs} ms`));
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ healthy: true });
    });
    socket.once('error', (error) => {
      resolve({
        healthy: false,
        cause: `connect ${hostPort(host, port)} failed: ${error.message}`,
      });
    });
  });
}

/** `sh -c command` in the sandbox with the task's environment; exit 0 is healthy. */
function probeCommand(spec: HealthCheckSpec, context: ProbeContext): Promise<ProbeResult> {
  const command = spec.command;
  if (command === undefined || command === '') {
    return Promise.resolve({ healthy: false, cause: 'COMMAND health check has no command' });
  }
  return new Promise((resolve) => {
    let timedOut = false;
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: context.sandboxDir,
      env: context.environment,
      detached: true,
      stdio: 'ignore',
      ...(context.runAs ? { uid: context.runAs.uid, gid: context.runAs.gid } : {}),
    });
    // The whole group is killed on timeout, so a hung check leaves nothing behind.
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) signalProcessGroup(child.pid, 'SIGKILL');
    }, spec.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ healthy: false, cause: `command could not start: ${error.message}` });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (timedOut)
        resolve({ healthy: false, cause: `command timed out after ${spec.timeoutMs} ms` });
      else if (code === 0) resolve({ healthy: true });
      else
        resolve({
          healthy: false,
          cause: code !== null ? `command exited with code ${code}` : `command killed by ${signal}`,
        });
    });
  });
}

function missingPort(spec: HealthCheckSpec): ProbeResult {
  return { healthy: false, cause: `${spec.protocol} health check has no port` };
}
