import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VirtualClock } from '@exosphere/common';
import { LocalWindowLimiter, tierWindows } from '../../src/policies/throttling/index.js';

/** 2026-01-01T00:00:00Z, a minute (and hour) boundary. */
const minuteStartMs = Date.UTC(2026, 0, 1);

describe('the local fixed-window limiter', () => {
  test('exactly the limit is allowed among many concurrent checks', async () => {
    const clock = new VirtualClock(minuteStartMs + 5000);
    const limiter = new LocalWindowLimiter({ clock, keysMax: 1000 });
    const decisions = await Promise.all(
      Array.from({ length: 3000 }, () =>
        Promise.resolve().then(() => limiter.check('route:a', [{ limit: 1000, windowMs: 60_000 }])),
      ),
    );
    assert.equal(decisions.filter((decision) => decision.allowed).length, 1000);
    const last = decisions.at(-1)!;
    assert.equal(last.allowed, false);
    assert.deepEqual(last.windows, [
      { limit: 1000, windowMs: 60_000, count: 1000, resetMs: 55_000 },
    ]);
  });

  test('a new window starts from zero at the epoch-aligned boundary', async () => {
    const clock = new VirtualClock(minuteStartMs + 59_000);
    const limiter = new LocalWindowLimiter({ clock, keysMax: 1000 });
    const limits = [{ limit: 2, windowMs: 60_000 }];
    assert.equal(limiter.check('k', limits).allowed, true);
    assert.equal(limiter.check('k', limits).allowed, true);
    const refused = limiter.check('k', limits);
    assert.equal(refused.allowed, false);
    assert.equal(refused.windows[0]!.resetMs, 1000);
    await clock.advance(999);
    assert.equal(limiter.check('k', limits).allowed, false, 'the window has 1 ms left');
    await clock.advance(1);
    const fresh = limiter.check('k', limits);
    assert.equal(fresh.allowed, true);
    assert.equal(fresh.windows[0]!.count, 1);
    assert.equal(fresh.windows[0]!.resetMs, 60_000);
  });

  test('burst: a refused request counts in no window, and the minute quota stays intact', async () => {
    const clock = new VirtualClock(minuteStartMs);
    const limiter = new LocalWindowLimiter({ clock, keysMax: 1000 });
    const limits = tierWindows({ requestsPerMinute: 10, burst: 3 });
    assert.deepEqual(limits, [
      { limit: 3, windowMs: 1000 },
      { limit: 10, windowMs: 60_000 },
    ]);
    let allowed = 0;
    for (let second = 0; second < 5; second++) {
      for (let request = 0; request < 5; request++)
        if (limiter.check('app:x', limits).allowed) allowed += 1;
      await clock.advance(1000);
    }
    // 3 per second for three seconds, then the minute's last one.
    assert.equal(allowed, 10);
    const state = limiter.check('app:x', limits);
    assert.equal(state.allowed, false);
    assert.equal(state.windows[1]!.count, 10);
  });

  test('keys are independent, and memory stays within keysMax', () => {
    const clock = new VirtualClock(minuteStartMs);
    const limiter = new LocalWindowLimiter({ clock, keysMax: 100 });
    const limits = [{ limit: 1, windowMs: 60_000 }];
    for (let index = 0; index < 1000; index++)
      assert.equal(limiter.check(`ip:${index}`, limits).allowed, true);
    assert.ok(limiter.size <= 100, `${limiter.size} counters kept`);
    assert.equal(limiter.check('ip:999', limits).allowed, false, 'a recent key is remembered');
  });
});
