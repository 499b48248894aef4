import { registerProcessMetrics, type Counter, type MetricsRegistry } from '@exosphere/common';
import type { ConfigStore } from '../config/store.js';
import { isAvailable } from '../upstream/target.js';
import { RequestMetrics, GatewayRegistry } from './request-metrics.js';

export interface GatewayMetrics {
  readonly registry: MetricsRegistry;
  /** Requests by route and status, and their latency by route. */
  readonly requests: RequestMetrics;
  readonly upstreamErrors: Counter;
  readonly reloads: Counter;
  /** Connections the fast path gave to node:http, by reason (proxy/fast/). */
  readonly handovers: Counter;
}

/** Prometheus metrics of the data plane, served on the admin listener. */
export function createGatewayMetrics(store: () => ConfigStore | undefined): GatewayMetrics {
  const registry = new GatewayRegistry();
  registerProcessMetrics(registry);
  const circuitStates = { closed: 0, open: 1, 'half-open': 2 } as const;
  registry
    .gauge(
      'exo_gateway_circuit_state',
      'Circuit breaker state per upstream: 0 closed, 1 open, 2 half-open.',
    )
    .collect(() => {
      const runtime = store()?.runtime;
      if (!runtime) return [];
      return [...runtime.upstreams.values()]
        .filter((pool) => pool.breaker)
        .map((pool) => [{ upstream: pool.name }, circuitStates[pool.breaker!.state]]);
    });
  registry
    .gauge('exo_gateway_target_healthy', 'Whether a target takes traffic (1) or not (0).')
    .collect(() => {
      const runtime = store()?.runtime;
      if (!runtime) return [];
      const nowMs = performance.now();
      return [...runtime.upstreams.values()].flatMap((pool) =>
        pool.targets.map(
          (target) =>
            [{ upstream: pool.name, target: target.url }, isAvailable(target, nowMs) ? 1 : 0] as [
              Record<string, string>,
              number,
            ],
        ),
      );
    });
  registry
    .gauge('exo_gateway_routes', 'Routes in the running configuration.')
    .collect(() => [[{}, store()?.runtime.routes.length ?? 0]]);
  const requests = new RequestMetrics(
    registry.counter('exo_gateway_requests_total', 'Proxied requests by route and status.'),
  );
  registry.requestMetrics = requests;
  return {
    registry,
    requests,
    upstreamErrors: registry.counter(
      'exo_gateway_upstream_errors_total',
      'Upstream failures by upstream and kind.',
    ),
    reloads: registry.counter(
      'exo_gateway_config_reloads_total',
      'Configuration applies by source and result.',
    ),
    handovers: registry.counter(
      'exo_gateway_fast_handovers_total',
      'Connections the fast HTTP/1.1 path handed to node:http, by reason.',
    ),
  };
}
