import type { Router } from '@exosphere/common';
import { HANDLED } from '@exosphere/common';
import type { Master } from '../master.js';

export interface InfoOptions {
  /** This master's advertised URL. */
  url: string;
  version: string;
  startedAt: number;
}

/** /v2/info, /v2/leader and /ping. A single master is always the leader. */
export function addInfoRoutes(router: Router, master: Master, options: InfoOptions): void {
  const leader = new URL(options.url).host;
  router.get(
    '/ping',
    ({ response }) => {
      response.writeHead(200, {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-cache',
      });
      response.end('pong\n');
      return HANDLED;
    },
    'public',
  );
  router.get('/v2/info', () => ({
    body: {
      name: 'exosphere',
      version: options.version,
      buildref: 'exosphere',
      elected: true,
      leader,
      frameworkId: master.context.masterId,
      marathon_config: {
        master: 'embedded',
        hostname: new URL(options.url).hostname,
        failover_timeout: master.context.settings.agentTimeoutMs / 1000,
        local_port_min: master.context.settings.servicePortRange.begin,
        local_port_max: master.context.settings.servicePortRange.end,
        task_launch_timeout: master.context.settings.launchTimeoutMs,
      },
      http_config: { http_port: Number(new URL(options.url).port) },
      exosphere: {
        startedAt: new Date(options.startedAt).toISOString(),
        heartbeatIntervalMs: master.context.settings.heartbeatIntervalMs,
        agentTimeoutMs: master.context.settings.agentTimeoutMs,
        placementStrategy: master.context.settings.placementStrategy,
        store: 'embedded',
      },
    },
  }));
  router.get('/v2/leader', () => ({ body: { leader } }));
  router.delete('/v2/leader', () => ({
    body: { message: 'Leadership abdicated; this is the only master, so it leads again at once' },
  }));
}
