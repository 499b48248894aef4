import { MetricsRegistry, type Counter } from '@exosphere/common';

/** Upper bounds (seconds) of `exo_gateway_request_duration_seconds`. */
const durationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Routes with series of their own; beyond, requests count under route="(other)". */
const routesMax = 10_000;
const otherRoute = '(other)';
/** Statuses per route with a series of their own (a status is a 3-digit number). */
const statusesMax = 1000;

/** One route's request counts by status and its latency histogram. */
class RouteSeries {
  /** Requests by status not yet added to the requests counter. */
  readonly pending = new Map<number, number>();
  readonly bucketCounts = new Float64Array(durationBuckets.length);
  count = 0;
  sumSeconds = 0;

  constructor(readonly route: string) {}
}

/**
 * `exo_gateway_requests_total{route,status}` and `exo_gateway_request_duration_seconds{route}`,
 * recorded per request without building label keys: each route's series is found by its name
 * (one map lookup), the count goes to a number and the latency to a bucket. The counts reach
 * the registry's counter, and the histogram its text, when the registry renders
 * (`RequestMetricsRegistry`), so /metrics is always current.
 */
export class RequestMetrics {
  private readonly routes = new Map<string, RouteSeries>();

  constructor(private readonly requests: Counter) {}

  record(route: string, status: number, seconds: number): void {
    let series = this.routes.get(route);
    if (series === undefined) {
      series = this.routes.size < routesMax ? new RouteSeries(route) : this.other();
      this.routes.set(series.route, series);
    }
    const pending = series.pending;
    if (pending.size < statusesMax || pending.has(status))
      pending.set(status, (pending.get(status) ?? 0) + 1);
    else this.requests.inc({ route: series.route, status: String(status) });
    series.count++;
    series.sumSeconds += seconds;
    const buckets = series.bucketCounts;
    for (let index = 0; index < durationBuckets.length; index++)
      if (seconds <= durationBuckets[index]!) buckets[index]!++;
  }

  /** The series of routes beyond `routesMax` (route names come from the configuration). */
  private other(): RouteSeries {
    return this.routes.get(otherRoute) ?? new RouteSeries(otherRoute);
  }

  /** Adds the pending request counts to the counter. */
  flush(): void {
    for (const series of this.routes.values()) {
      for (const [status, count] of series.pending)
        this.requests.inc({ route: series.route, status: String(status) }, count);
      series.pending.clear();
    }
  }

  /** The duration histogram in the text exposition format (cumulative buckets). */
  renderDurations(): string {
    const name = 'exo_gateway_request_duration_seconds';
    const lines = [
      `# HELP ${name} Request latency through the gateway by route.`,
      `# TYPE ${name} histogram`,
    ];
    for (const series of this.routes.values()) {
      const route = `route="${escapeLabel(series.route)}"`;
      durationBuckets.forEach((bound, index) =>
        lines.push(`${name}_bucket{${route},le="${bound}"} ${series.bucketCounts[index]!}`),
      );
      lines.push(`${name}_bucket{${route},le="+Inf"} ${series.count}`);
      lines.push(`${name}_sum{${route}} ${series.sumSeconds}`);
      lines.push(`${name}_count{${route}} ${series.count}`);
    }
    return lines.join('\n') + '\n';
  }
}

/**
 * The gateway's registry: counts batched on the request path (request metrics, rate-limit
 * decisions) are brought up to date whenever it renders, so /metrics is always current.
 */
export class GatewayRegistry extends MetricsRegistry {
  requestMetrics: RequestMetrics | undefined = undefined;
  private readonly flushes: Array<() => void> = [];

  /** Runs `flush` before every rendering (once per long-lived batch; never per request). */
  beforeRender(flush: () => void): void {
    this.flushes.push(flush);
  }

  override render(): string {
    for (const flush of this.flushes) flush();
    const requestMetrics = this.requestMetrics;
    if (requestMetrics === undefined) return super.render();
    requestMetrics.flush();
    return super.render() + requestMetrics.renderDurations();
  }
}

/**
 * Increments of a counter by label objects made once each (per policy binding, not per
 * request), counted in a map keyed by the object and added to the counter when the registry
 * renders: no label key is built on the request path.
 */
export class CounterBatch {
  private readonly pending = new Map<Readonly<Record<string, string>>, number>();

  constructor(private readonly counter: Counter) {}

  inc(labels: Readonly<Record<string, string>>): void {
    this.pending.set(labels, (this.pending.get(labels) ?? 0) + 1);
  }

  flush(): void {
    for (const [labels, count] of this.pending) this.counter.inc({ ...labels }, count);
    this.pending.clear();
  }
}

/** Label values are escaped as the text format requires: backslash, double quote, newline. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
