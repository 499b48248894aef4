import type { Clock } from '@exosphere/common';
import type { LimitDecision, WindowLimiter, WindowState } from './decision.js';
import type { WindowLimit } from './tiers.js';

interface Counter {
  readonly windowMs: number;
  startMs: number;
  count: number;
}

/**
 * Fixed-window counters in this process's memory (semantics in decision.ts). Exact for one
 * gateway: a check runs synchronously, so no two requests interleave between reading and
 * counting. Windows follow the wall clock (`clock.now()`), aligned to the epoch like the shared
 * store's, so a fallback window lines up with the shared one it replaces.
 *
 * A key holds one counter per window length it was checked with (a tier has at most three), so
 * a check is one lookup of the key as given, whose hash the engine keeps with the string.
 *
 * Memory is bounded by `keysMax` keys: past it, keys whose windows all ended are dropped first,
 * then the oldest ones (which forgets their counts: a request may then be allowed early, never
 * refused wrongly).
 */
export class LocalWindowLimiter implements WindowLimiter {
  private readonly counters = new Map<string, Counter[]>();

  constructor(private readonly options: { readonly clock: Clock; readonly keysMax: number }) {}

  get size(): number {
    return this.counters.size;
  }

  check(key: string, limits: readonly WindowLimit[]): LimitDecision {
    const nowMs = this.options.clock.now();
    let counters = this.counters.get(key);
    if (counters === undefined) {
      this.makeRoom();
      counters = [];
      this.counters.set(key, counters);
    }
    let allowed = true;
    for (const window of limits) {
      const counter = counterFor(counters, window.windowMs, nowMs);
      if (counter.count >= window.limit) allowed = false;
    }
    const windows: WindowState[] = [];
    for (const window of limits) {
      const counter = counterFor(counters, window.windowMs, nowMs);
      if (allowed) counter.count += 1;
      windows.push({
        limit: window.limit,
        windowMs: window.windowMs,
        count: counter.count,
        resetMs: Math.max(1, counter.startMs + window.windowMs - nowMs),
      });
    }
    return { allowed, windows };
  }

  private makeRoom(): void {
    if (this.counters.size < this.options.keysMax) return;
    const nowMs = this.options.clock.now();
    for (const [key, counters] of this.counters)
      if (counters.every((counter) => counter.startMs + counter.windowMs <= nowMs))
        this.counters.delete(key);
    // Still nearly full: forget the oldest keys (Map order is insertion order), down to 90 %
    // so that the sweep above runs at most once per tenth of `keysMax` new keys.
    const target = Math.floor(this.options.keysMax * 0.9);
    for (const key of this.counters.keys()) {
      if (this.counters.size <= target) break;
      this.counters.delete(key);
    }
  }
}

/** The key's counter of windows of `windowMs`, set to the window that holds `nowMs`. */
function counterFor(counters: Counter[], windowMs: number, nowMs: number): Counter {
  const startMs = nowMs - modulo(nowMs, windowMs);
  for (const counter of counters) {
    if (counter.windowMs !== windowMs) continue;
    if (counter.startMs !== startMs) {
      // A new window (or, after a wall-clock step back, an earlier one): start from zero.
      counter.startMs = startMs;
      counter.count = 0;
    }
    return counter;
  }
  const counter = { windowMs, startMs, count: 0 };
  counters.push(counter);
  return counter;
}

/** The remainder with the sign of the divisor, so times before 1970 still align. */
function modulo(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
