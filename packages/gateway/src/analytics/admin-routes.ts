import type { RequestContext, Router } from '@exosphere/common';
import { AnalyticsErrors } from './analytics-errors.js';
import type { AnalyticsService } from './analytics-service.js';
import {
  summaryGroupings,
  summaryWindows,
  summaryWindowsMax,
  type SummaryGrouping,
  type SummaryQuery,
} from './summary.js';

/**
 * `GET /analytics/summary?from&to&by&window` on the admin API (authenticated like every admin
 * route): counts, 4xx and 5xx error rates and latency percentiles per group per window.
 * `GET /analytics/status` shows the queue and the SQL sink.
 */
export function mountAnalyticsRoutes(router: Router, analytics: AnalyticsService): void {
  router.get('/analytics/summary', (context) => {
    const query = parseSummaryQuery(context, analytics.nowMs());
    // Calls completed until now are in the rollups, not only those of the last drain.
    analytics.drainNow();
    return { body: analytics.summary(query) };
  });
  router.get('/analytics/status', () => {
    analytics.drainNow();
    return { body: analytics.status() };
  });
}

/**
 * `from` and `to`: epoch milliseconds or an ISO 8601 time; by default the last hour. `by`:
 * api (default), application, route, status or operation. `window`: 1m (default), 5m, 15m, 1h
 * or 1d.
 */
export function parseSummaryQuery(
  context: Pick<RequestContext, 'query'>,
  nowMs: number,
): SummaryQuery {
  const { query } = context;
  const toMs = parseTime(query.get('to'), 'to') ?? nowMs;
  const fromMs = parseTime(query.get('from'), 'from') ?? toMs - 3_600_000;
  if (fromMs >= toMs) throw invalid(`from must be before to`);
  const by = query.get('by') ?? 'api';
  if (!(summaryGroupings as readonly string[]).includes(by))
    throw invalid(`by must be one of ${summaryGroupings.join(', ')}, not ${JSON.stringify(by)}`);
  const window = query.get('window') ?? '1m';
  const windowMs = summaryWindows[window];
  if (windowMs === undefined)
    throw invalid(
      `window must be one of ${Object.keys(summaryWindows).join(', ')}, not ${JSON.stringify(window)}`,
    );
  if ((toMs - fromMs) / windowMs > summaryWindowsMax)
    throw invalid(`from..to spans more than ${summaryWindowsMax} windows of ${window}`);
  return { fromMs, toMs, by: by as SummaryGrouping, window };
}

function parseTime(text: string | null, name: string): number | undefined {
  if (text === null || text === '') return undefined;
  const value = /^\d{1,16}$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(value))
    throw invalid(
      `${name} must be epoch milliseconds or an ISO 8601 time, not ${JSON.stringify(text)}`,
    );
  return value;
}

function invalid(message: string): Error {
  return AnalyticsErrors.create('EXO_GATEWAY_ANALYTICS_QUERY_INVALID', message);
}
