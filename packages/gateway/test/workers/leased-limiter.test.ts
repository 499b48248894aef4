import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VirtualClock } from '@exosphere/common';
import { LeaseCounters } from '../../src/workers/lease-counters.js';
import { LeasedWindowLimiter, type LeaseRequester } from '../../src/workers/leased-limiter.js';
import { LocalWindowLimiter } from '../../src/policies/throttling/local-limiter.js';

/**
 * Several workers' limiters against one primary's counters, in one process: the requester
 * stands in for the IPC round trip (a macrotask, as the channel is), so the sharing logic is
 * tested without processes; cluster.test.ts runs the real processes.
 */
function workers(count: number, clock: VirtualClock): LeasedWindowLimiter[] {
  const counters = new LeaseCounters({ workers: count, leaseMax: 1024, keysMax: 1000 });
  const request: LeaseRequester = (lease) =>
    new Promise((resolve) => setImmediate(() => resolve(counters.grant(lease))));
  return Array.from(
    { length: count },
    () =>
      new LeasedWindowLimiter({
        clock,
        request,
        keysMax: 1000,
        fallback: new LocalWindowLimiter({ clock, keysMax: 1000 }),
      }),
  );
}

describe('leased window limiter (a worker of several)', () => {
  test('workers sharing 1,000 per minute under even load allow within 1 % of it, never more', async () => {
    for (const count of [2, 3, 8]) {
      const clock = new VirtualClock(1_000_000 * 60_000);
      const limiters = workers(count, clock);
      const limits = [{ limit: 1000, windowMs: 60_000 }];
      const decisions = await Promise.all(
        Array.from({ length: 1500 }, (_, i) =>
          Promise.resolve(limiters[i % count]!.check('route:orders', limits)),
        ),
      );
      const allowed = decisions.filter((decision) => decision.allowed).length;
      assert.ok(allowed <= 1000, `${count} workers allowed ${allowed}`);
      assert.ok(allowed >= 990, `${count} workers allowed only ${allowed}`);
      // Then a new window: counting starts again.
      clock.jumpWallClock(60_000);
      assert.equal((await limiters[0]!.check('route:orders', limits)).allowed, true);
    }
  });

  test('a request with tokens in hand is decided synchronously', async () => {
    const clock = new VirtualClock(0);
    const [limiter] = workers(2, clock);
    const limits = [{ limit: 1_000_000, windowMs: 1000 }];
    const first = limiter!.check('k', limits);
    assert.ok(first instanceof Promise, 'the first request waits for a lease');
    assert.equal((await first).allowed, true);
    const second = limiter!.check('k', limits);
    assert.ok(!(second instanceof Promise));
    assert.equal(second.allowed, true);
    assert.ok(second.windows[0]!.count >= 1);
  });

  test('a window used up refuses at once, with the reset time', async () => {
    const clock = new VirtualClock(10_500);
    const [limiter] = workers(1, clock);
    const limits = [{ limit: 3, windowMs: 1000 }];
    for (let i = 0; i < 3; i++) assert.equal((await limiter!.check('k', limits)).allowed, true);
    const refused = await limiter!.check('k', limits);
    assert.equal(refused.allowed, false);
    assert.deepEqual(refused.windows[0], { limit: 3, windowMs: 1000, count: 3, resetMs: 500 });
    const again = limiter!.check('k', limits);
    assert.ok(!(again instanceof Promise) && !again.allowed);
  });

  test('when the primary does not answer, the fallback decides', async () => {
    const clock = new VirtualClock(0);
    let fallbackChecks = 0;
    const limiter = new LeasedWindowLimiter({
      clock,
      request: () => Promise.reject(new Error('the primary did not answer lease within 1000 ms')),
      keysMax: 10,
      fallback: {
        check: (_key, limits) => {
          fallbackChecks++;
          return { allowed: true, windows: limits.map((w) => ({ ...w, count: 1, resetMs: 1 })) };
        },
      },
    });
    assert.equal((await limiter.check('k', [{ limit: 5, windowMs: 1000 }])).allowed, true);
    assert.equal(fallbackChecks, 1);
  });
});
