import type { MetricsRegistry } from '@exosphere/common';
import type { AnalyticsService } from '../analytics/analytics-service.js';
import type { ApiManager } from '../apim/api-manager.js';
import type { ConfigStore } from '../config/store.js';
import type { WorkerLink } from './worker-link.js';

/**
 * What a worker of several shares through the primary, besides rate limits (bound in the
 * throttling service) and analytics forwarding (the analytics service's `forward`): a catalog
 * change or key rotation made here reaches the others before it is acknowledged; a change made
 * elsewhere is re-read here; this worker's metrics and the others' analytics come in.
 */
export function joinWorkers(options: {
  readonly worker: WorkerLink;
  readonly configStore: ConfigStore;
  readonly apim: ApiManager;
  readonly analytics: AnalyticsService;
  readonly registry: MetricsRegistry;
}): void {
  const { worker, configStore, apim, analytics, registry } = options;
  apim.propagateChanges(() => worker.propagate('apim'));
  worker.handleReload((what) =>
    what === 'config' ? configStore.reloadFile() : apim.reloadFromDisk(),
  );
  worker.handleMetrics(() => registry.render());
  worker.handleAnalytics((records) => analytics.ingest(records));
  registry
    .gauge(
      'exo_gateway_analytics_forward_dropped_total',
      'Call records this worker dropped because the channel to the admin worker was backed up.',
    )
    .collect(() => [[{}, worker.analyticsDropped]]);
}
