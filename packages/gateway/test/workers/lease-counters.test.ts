import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LeaseCounters } from '../../src/workers/lease-counters.js';

describe('lease counters (the primary of several workers)', () => {
  test('grants shrink as a window fills and never exceed its limit', () => {
    const counters = new LeaseCounters({ workers: 2, leaseMax: 1024, keysMax: 100 });
    const request = { key: 'route:orders', windowMs: 60_000, windowStartMs: 0, limit: 1000 };
    const grants: number[] = [];
    for (;;) {
      const { tokens } = counters.grant(request);
      if (tokens === 0) break;
      grants.push(tokens);
    }
    assert.equal(
      grants.reduce((sum, tokens) => sum + tokens, 0),
      1000,
    );
    // A quarter of the remainder per worker: 125 first, single tokens at the end.
    assert.equal(grants[0], 125);
    assert.equal(grants.at(-1), 1);
    for (let i = 1; i < grants.length; i++) assert.ok(grants[i]! <= grants[i - 1]!);
  });

  test('a lease is bounded, a new window starts from zero, an ended one grants nothing', () => {
    const counters = new LeaseCounters({ workers: 2, leaseMax: 64, keysMax: 100 });
    const window = { key: 'k', windowMs: 1000, limit: 1_000_000 };
    assert.deepEqual(counters.grant({ ...window, windowStartMs: 5000 }), { tokens: 64, count: 64 });
    assert.deepEqual(counters.grant({ ...window, windowStartMs: 6000 }), { tokens: 64, count: 64 });
    assert.equal(counters.grant({ ...window, windowStartMs: 5000 }).tokens, 0);
  });

  test('keys are bounded: ended windows are dropped first', () => {
    const counters = new LeaseCounters({ workers: 1, leaseMax: 1, keysMax: 100 });
    for (let i = 0; i < 100; i++)
      counters.grant({ key: `old-${i}`, windowMs: 1000, windowStartMs: 0, limit: 10 });
    counters.grant({ key: 'new', windowMs: 1000, windowStartMs: 5000, limit: 10 });
    assert.equal(counters.size, 1);
  });
});
