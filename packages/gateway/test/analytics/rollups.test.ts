import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallRecord } from '../../src/analytics/call-record.js';
import { LatencyHistogram, relativeAccuracy } from '../../src/analytics/latency-histogram.js';
import { Rollups } from '../../src/analytics/rollups.js';
import { summarize } from '../../src/analytics/summary.js';

/** A seeded generator (mulberry32) so a failure replays. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The exact value of the rank the histogram reports: ⌊q·(n−1)⌋ of the sorted values. */
function exactQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

function assertWithin(actual: number | null, exact: number, label: string): void {
  assert.ok(actual !== null, `${label}: no value`);
  const error = Math.abs(actual - exact) / exact;
  assert.ok(
    error <= relativeAccuracy + 1e-9,
    `${label}: ${actual} vs exact ${exact} (relative error ${error.toFixed(4)})`,
  );
}

const baseMs = Date.UTC(2026, 10, 22, 10, 0, 0);

function record(overrides: Partial<CallRecord>): CallRecord {
  return {
    timestampMs: baseMs,
    route: 'orders',
    api: 'orders/v1',
    operation: 'GET /orders/{id}',
    application: 'shop',
    status: 200,
    latencyMs: 5,
    upstreamLatencyMs: 4,
    requestBytes: 100,
    responseBytes: 1000,
    clientIp: '127.0.0.1',
    errorCode: undefined,
    traceId: '0'.repeat(32),
    ...overrides,
  };
}

describe('latency histogram', () => {
  it('quantiles are within the stated relative error of the exact values', () => {
    const random = seeded(7);
    // Log-normal-ish latencies from 0.05 ms to several seconds.
    const values = Array.from({ length: 20_000 }, () => Math.exp(random() * 11 - 3));
    const histogram = new LatencyHistogram();
    for (const value of values) histogram.add(value);
    for (const q of [0, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1])
      assertWithin(histogram.quantile(q), exactQuantile(values, q), `q=${q}`);
  });

  it('merged histograms answer like one histogram of all the values', () => {
    const random = seeded(11);
    const a = Array.from({ length: 3000 }, () => 1 + random() * 10);
    const b = Array.from({ length: 500 }, () => 200 + random() * 800);
    const left = new LatencyHistogram();
    const right = new LatencyHistogram();
    for (const value of a) left.add(value);
    for (const value of b) right.add(value);
    left.merge(right);
    const all = [...a, ...b];
    assert.equal(left.count, all.length);
    for (const q of [0.5, 0.85, 0.9, 0.99])
      assertWithin(left.quantile(q), exactQuantile(all, q), `merged q=${q}`);
  });

  it('an empty histogram has no quantile; tiny and negative latencies count as zero', () => {
    const histogram = new LatencyHistogram();
    assert.ok(Number.isNaN(histogram.quantile(0.5)));
    histogram.add(0);
    histogram.add(-1);
    histogram.add(0.0001);
    histogram.add(10);
    assert.equal(histogram.quantile(0.5), 0);
    assertWithin(histogram.quantile(1), 10, 'max');
  });
});

describe('per-minute rollups and the summary', () => {
  it('counts, error rates and percentiles per group and window match exact values', () => {
    const random = seeded(3);
    const rollups = new Rollups({ retentionMinutes: 60, entriesMax: 10_000 });
    const records: CallRecord[] = [];
    for (let minute = 0; minute < 10; minute++) {
      for (let i = 0; i < 300; i++) {
        const api = i % 3 === 0 ? 'billing/v2' : 'orders/v1';
        const roll = random();
        const status = roll < 0.1 ? 503 : roll < 0.25 ? 404 : 200;
        const one = record({
          timestampMs: baseMs + minute * 60_000 + Math.floor(random() * 60_000),
          api,
          application: i % 2 ? 'shop' : undefined,
          status,
          latencyMs: api === 'billing/v2' ? 20 + random() * 80 : 1 + random() * 9,
        });
        records.push(one);
        rollups.add(one);
      }
    }
    const summary = summarize(rollups, {
      fromMs: baseMs,
      toMs: baseMs + 10 * 60_000,
      by: 'api',
      window: '5m',
    });
    assert.equal(summary.percentileRelativeError, relativeAccuracy);
    assert.deepEqual(
      summary.groups.map((group) => group.key),
      ['orders/v1', 'billing/v2'],
    );
    for (const group of summary.groups) {
      const mine = records.filter((one) => one.api === group.key);
      assert.equal(group.total.count, mine.length);
      assert.equal(group.windows.length, 2);
      for (const window of group.windows) {
        const startMs = Date.parse(window.start);
        const inWindow = mine.filter(
          (one) => one.timestampMs >= startMs && one.timestampMs < startMs + 300_000,
        );
        assert.equal(window.count, inWindow.length);
        const errors4xx = inWindow.filter((one) => one.status >= 400 && one.status < 500).length;
        const errors5xx = inWindow.filter((one) => one.status >= 500).length;
        assert.equal(window.errors4xx, errors4xx);
        assert.equal(window.errors5xx, errors5xx);
        assert.equal(window.errorRate5xx, errors5xx / inWindow.length);
        const latencies = inWindow.map((one) => one.latencyMs);
        for (const [q, value] of [
          [0.5, window.latencyMs.p50],
          [0.9, window.latencyMs.p90],
          [0.99, window.latencyMs.p99],
        ] as const)
          assertWithin(value, exactQuantile(latencies, q), `${group.key} ${window.start} q=${q}`);
      }
    }
    const byApplication = summarize(rollups, {
      fromMs: baseMs,
      toMs: baseMs + 10 * 60_000,
      by: 'application',
      window: '1h',
    });
    const shop = byApplication.groups.find((group) => group.key === 'shop');
    const none = byApplication.groups.find((group) => group.key === '(none)');
    assert.equal(shop?.total.count, records.filter((one) => one.application === 'shop').length);
    assert.equal(none?.total.count, records.filter((one) => one.application === undefined).length);
    const byStatus = summarize(rollups, {
      fromMs: baseMs,
      toMs: baseMs + 10 * 60_000,
      by: 'status',
      window: '1m',
    });
    assert.equal(
      byStatus.groups.find((group) => group.key === '503')?.total.count,
      records.filter((one) => one.status === 503).length,
    );
    // A range that covers only minutes 2..3 counts only those.
    const narrow = summarize(rollups, {
      fromMs: baseMs + 2 * 60_000,
      toMs: baseMs + 4 * 60_000,
      by: 'route',
      window: '1m',
    });
    assert.equal(
      narrow.groups[0]?.total.count,
      records.filter(
        (one) => one.timestampMs >= baseMs + 120_000 && one.timestampMs < baseMs + 240_000,
      ).length,
    );
  });

  it('forgets minutes beyond the retention and refuses records older than it', () => {
    const rollups = new Rollups({ retentionMinutes: 5, entriesMax: 1000 });
    for (let minute = 0; minute < 10; minute++)
      rollups.add(record({ timestampMs: baseMs + minute * 60_000 }));
    assert.equal(rollups.entries, 5);
    rollups.add(record({ timestampMs: baseMs }));
    assert.equal(rollups.tooOld, 1);
    const summary = summarize(rollups, {
      fromMs: baseMs,
      toMs: baseMs + 10 * 60_000,
      by: 'route',
      window: '1h',
    });
    assert.equal(summary.groups[0]?.total.count, 5);
  });

  it('bounds entries: new combinations beyond entriesMax go to one "(other)" entry', () => {
    const rollups = new Rollups({ retentionMinutes: 60, entriesMax: 100 });
    for (let i = 0; i < 1000; i++) rollups.add(record({ application: `app-${i}` }));
    assert.equal(rollups.entries, 101);
    assert.equal(rollups.overflowed, 900);
    const summary = summarize(rollups, {
      fromMs: baseMs,
      toMs: baseMs + 60_000,
      by: 'application',
      window: '1m',
    });
    assert.equal(summary.groups[0]?.key, '(other)');
    assert.equal(summary.groups[0]?.total.count, 900);
    assert.equal(
      summary.groups.reduce((sum, group) => sum + group.total.count, 0),
      1000,
    );
  });
});
