import { Router } from '@exosphere/common';
import type { ConfigStore } from '../config/store.js';
import { GatewayErrors } from '../errors.js';
import { isAvailable } from '../upstream/target.js';

/**
 * The admin REST API, the second face of the configuration model: the whole configuration is
 * read and replaced as one document, validated exactly like the file. /health and /metrics are
 * added by createHttpService.
 */
export function createAdminRouter(store: ConfigStore): Router {
  const router = new Router();
  router.get('/config', () => ({ body: store.config }));
  router.put('/config', async (context) => {
    const result = await store.replace(await context.json());
    if (!result.ok) {
      throw GatewayErrors.create(
        'EXO_GATEWAY_CONFIG_INVALID',
        `configuration rejected with ${result.errors.length} error(s); nothing changed`,
        { details: result.errors },
      );
    }
    return {
      body: {
        applied: true,
        applyMs: Math.round(result.applyMs * 1000) / 1000,
        routes: store.config.routes.length,
      },
    };
  });
  router.get('/routes', () => ({
    body: store.config.routes.map((route) => ({
      name: route.name,
      match: route.match,
      rewrite: route.rewrite ?? null,
      upstream: route.upstream,
      policies: route.policies.map((policy) => policy.type),
    })),
  }));
  router.get('/upstreams', () => {
    const nowMs = performance.now();
    return {
      body: [...store.runtime.upstreams.values()].map((pool) => ({
        name: pool.name,
        loadBalancing: pool.config.loadBalancing,
        circuit: pool.breaker?.state ?? null,
        targets: pool.targets.map((target) => ({
          url: target.url,
          weight: target.weight,
          healthy: isAvailable(target, nowMs),
          activeHealthy: target.activeHealthy,
          ejected: nowMs < target.ejectedUntilMs,
          inflight: target.inflight,
        })),
      })),
    };
  });
  return router;
}
