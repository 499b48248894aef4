import { request as httpRequest, type Agent } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Target } from './target.js';

export interface ActiveHealthSettings {
  readonly path: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

/**
 * Probes every target with `GET path` each interval. A 2xx or 3xx answer within the timeout is a
 * success. `unhealthyThreshold` failures in a row take a target out of the rotation and
 * `healthyThreshold` successes in a row bring it back. Returns a function that stops probing.
 */
export function startActiveHealthChecks(options: {
  /** The targets at this instant: an app's list changes while it runs. */
  targets: () => readonly Target[];
  settings: ActiveHealthSettings;
  agentFor: (target: Target) => Agent;
  onChange?: (target: Target) => void;
}): () => void {
  const { settings } = options;
  let stopped = false;
  const probe = (target: Target): void => {
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (success: boolean): void => {
      if (settled || stopped) return;
      settled = true;
      const before = target.activeHealthy;
      if (success === target.activeHealthy) target.activeStreak = 0;
      else target.activeStreak++;
      const threshold = success ? settings.healthyThreshold : settings.unhealthyThreshold;
      if (target.activeStreak >= threshold) {
        target.activeHealthy = success;
        target.activeStreak = 0;
      }
      if (before !== target.activeHealthy) options.onChange?.(target);
    };
    const request = send(
      {
        host: target.hostname,
        port: target.port,
        path: settings.path,
        method: 'GET',
        agent: options.agentFor(target),
        headers: { host: target.authority, 'user-agent': 'exosphere-gateway-health' },
        timeout: settings.timeoutMs,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        response.resume();
        response.on('error', () => finish(false));
        finish(status >= 200 && status < 400);
      },
    );
    request.on('timeout', () => request.destroy(new Error('health check timed out')));
    request.on('error', () => finish(false));
    request.end();
  };
  const timer = setInterval(() => {
    for (const target of options.targets()) probe(target);
  }, settings.intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
