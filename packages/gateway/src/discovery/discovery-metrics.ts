import type { MetricsRegistry } from '@exosphere/common';
import type { AppDiscovery } from './app-discovery.js';

/** Gauges of the link to compute-plane masters, computed at scrape time. */
export function registerDiscoveryMetrics(registry: MetricsRegistry, discovery: AppDiscovery): void {
  registry
    .gauge(
      'exo_gateway_master_connected',
      "Whether the gateway follows the master's event stream (1) or keeps its last known targets (0).",
    )
    .collect(() =>
      discovery.status().map((status) => [{ master: status.master }, status.connected ? 1 : 0]),
    );
  registry
    .gauge(
      'exo_gateway_master_connection_failures',
      'Failed connections to the master and event streams that ended, since the gateway started.',
    )
    .collect(() =>
      discovery.status().map((status) => [{ master: status.master }, status.failures]),
    );
  registry
    .gauge('exo_gateway_app_ready_tasks', 'Tasks of a followed app that take traffic.')
    .collect(() =>
      discovery
        .status()
        .flatMap((status) =>
          status.apps.map(
            ([app, count]) =>
              [{ master: status.master, app }, count] as [Record<string, string>, number],
          ),
        ),
    );
}
