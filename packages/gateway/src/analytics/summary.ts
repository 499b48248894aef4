import { relativeAccuracy } from './latency-histogram.js';
import { RollupEntry, type RollupDimension, type Rollups } from './rollups.js';

export const summaryGroupings = ['api', 'application', 'route', 'status', 'operation'] as const;
export type SummaryGrouping = (typeof summaryGroupings)[number];

export const summaryWindows: Readonly<Record<string, number>> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
};

/** Windows per group in one answer. */
export const summaryWindowsMax = 10_000;

export interface SummaryQuery {
  readonly fromMs: number;
  readonly toMs: number;
  readonly by: SummaryGrouping;
  readonly window: string;
}

export interface SummaryFigures {
  readonly count: number;
  readonly errors4xx: number;
  readonly errors5xx: number;
  /** errors4xx / count, 0 without calls. */
  readonly errorRate4xx: number;
  readonly errorRate5xx: number;
  readonly latencyMs: {
    readonly p50: number | null;
    readonly p90: number | null;
    readonly p99: number | null;
    readonly mean: number | null;
  };
  readonly upstreamLatencyMeanMs: number | null;
  readonly requestBytes: number;
  readonly responseBytes: number;
}

export interface SummaryGroup {
  /** The dimension's value; "(none)" for calls without one (no API, no application). */
  readonly key: string;
  readonly total: SummaryFigures;
  /** Windows with calls only, oldest first; `start` is epoch-aligned to the window. */
  readonly windows: ReadonlyArray<SummaryFigures & { readonly start: string }>;
}

export interface Summary {
  readonly from: string;
  readonly to: string;
  readonly by: SummaryGrouping;
  readonly window: string;
  /** Every percentile is within this relative error of the exact value of its rank. */
  readonly percentileRelativeError: number;
  readonly groups: readonly SummaryGroup[];
}

/**
 * Counts, 4xx and 5xx error rates and latency percentiles per group per window, merged from
 * the per-minute rollups: minutes starting in [from, to) count, each in the window that
 * contains its start. Groups are sorted by call count, largest first.
 */
export function summarize(rollups: Rollups, query: SummaryQuery): Summary {
  const windowMs = summaryWindows[query.window];
  if (windowMs === undefined) throw new Error(`invariant violated: window ${query.window}`);
  const dimension: RollupDimension = query.by;
  const groups = new Map<string, { total: RollupEntry; windows: Map<number, RollupEntry> }>();
  rollups.forEach(query, (minuteStartMs, entry) => {
    const key = entry.dimensions[dimension] ?? '(none)';
    let group = groups.get(key);
    if (!group) {
      group = { total: new RollupEntry(entry.dimensions), windows: new Map() };
      groups.set(key, group);
    }
    group.total.merge(entry);
    const start = Math.floor(minuteStartMs / windowMs) * windowMs;
    let window = group.windows.get(start);
    if (!window) {
      window = new RollupEntry(entry.dimensions);
      group.windows.set(start, window);
    }
    window.merge(entry);
  });
  return {
    from: new Date(query.fromMs).toISOString(),
    to: new Date(query.toMs).toISOString(),
    by: query.by,
    window: query.window,
    percentileRelativeError: relativeAccuracy,
    groups: [...groups]
      .sort(([, a], [, b]) => b.total.count - a.total.count)
      .map(([key, group]) => ({
        key,
        total: figures(group.total),
        windows: [...group.windows]
          .sort(([a], [b]) => a - b)
          .map(([start, entry]) => ({ start: new Date(start).toISOString(), ...figures(entry) })),
      })),
  };
}

function figures(entry: RollupEntry): SummaryFigures {
  const { count, latency } = entry;
  return {
    count,
    errors4xx: entry.errors4xx,
    errors5xx: entry.errors5xx,
    errorRate4xx: count ? entry.errors4xx / count : 0,
    errorRate5xx: count ? entry.errors5xx / count : 0,
    latencyMs: {
      p50: rounded(latency.quantile(0.5)),
      p90: rounded(latency.quantile(0.9)),
      p99: rounded(latency.quantile(0.99)),
      mean: count ? rounded(latency.sumMs / count) : null,
    },
    upstreamLatencyMeanMs: entry.upstreamCount
      ? rounded(entry.upstreamLatencySumMs / entry.upstreamCount)
      : null,
    requestBytes: entry.requestBytes,
    responseBytes: entry.responseBytes,
  };
}

/** Six significant digits (far inside the percentile error); null for no value. */
function rounded(value: number): number | null {
  return Number.isNaN(value) ? null : Number(value.toPrecision(6));
}
