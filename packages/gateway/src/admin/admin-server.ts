import type { Server } from 'node:http';
import {
  HANDLED,
  createHttpService,
  ensureToken,
  isLoopbackAddress,
  type Logger,
  type MetricsRegistry,
} from '@exosphere/common';
import { mountAnalyticsRoutes } from '../analytics/admin-routes.js';
import type { AnalyticsService } from '../analytics/analytics-service.js';
import type { ApiManager } from '../apim/api-manager.js';
import type { ConfigStore } from '../config/store.js';
import { mergeWorkerMetrics } from '../workers/metrics-merge.js';
import type { WorkerLink } from '../workers/worker-link.js';
import { createAdminRouter } from './routes.js';

/**
 * The admin API's server (not yet listening): configuration, analytics and API management
 * routes, /health and /metrics. Off loopback every call needs the cluster token. With several
 * workers it runs in worker 0 only, and its /metrics carries every worker's metrics.
 */
export async function createAdminServer(options: {
  readonly home: string;
  readonly adminHost: string;
  readonly configStore: ConfigStore;
  readonly analytics: AnalyticsService;
  readonly apim: ApiManager;
  readonly registry: MetricsRegistry;
  readonly logger: Logger;
  readonly worker: WorkerLink | undefined;
}): Promise<Server> {
  const { worker, registry } = options;
  const requireToken = !isLoopbackAddress(options.adminHost);
  const token = requireToken ? (await ensureToken(options.home)).token : undefined;
  const router = createAdminRouter(options.configStore);
  mountAnalyticsRoutes(router, options.analytics);
  options.apim.registerAdminRoutes(router);
  if (worker && worker.workers > 1)
    // Registered before the service's own /metrics, so this one answers: every worker's
    // metrics with a `worker` label.
    router.get('/metrics', async ({ response }): Promise<typeof HANDLED> => {
      const others = await worker.gatherMetrics().catch(() => []);
      const text = mergeWorkerMetrics([
        { worker: worker.index, text: registry.render() },
        ...others,
      ]);
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      response.end(text);
      return HANDLED;
    });
  return createHttpService({
    router,
    logger: options.logger,
    metrics: registry,
    token,
    requireTokenForUsers: requireToken,
    bodyBytesMax: 256 * 1024 * 1024,
  });
}
