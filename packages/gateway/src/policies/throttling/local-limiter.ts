import type { Clock } from '@exosphere/common';
import type { LimitDecision, WindowLimiter, WindowState } from './decision.js';
import type { WindowLimit } from './tiers.js';

interface Counter {
  startMs: number;
  count: number;
}

/**
 * Fixed-window counters in this process's memory (semantics in decision.ts). Exact for one
 * gateway: a check runs synchronously, so no two requests interleave between reading and
 * counting. Windows follow the wall clock (`clock.now()`), aligned to the epoch like the shared
 * store's, so a fallback window lines up with the shared one it replaces.
 *
 * Memory is bounded by `keysMax`: past it, counters of ended windows are dropped first, then
 * the oldest ones (which forgets their counts: a request may then be allowed early, never
 * refused wrongly).
 */
export class LocalWindowLimiter implements WindowLimiter {
  private readonly counters = new Map<string, Counter>();

  constructor(private readonly options: { readonly clock: Clock; readonly keysMax: number }) {}

  get size(): number {
    return this.counters.size;
  }

  check(key: string, limits: readonly WindowLimit[]): LimitDecision {
    const nowMs = this.options.clock.now();
    // The counters of this check, in a scratch list reused by every check (checks never
    // interleave: they are synchronous).
    const found = scratch;
    found.length = 0;
    let allowed = true;
    for (const window of limits) {
      const startMs = nowMs - modulo(nowMs, window.windowMs);
      const counterKey = `${window.windowMs}|${key}`;
      let counter = this.counters.get(counterKey);
      if (counter === undefined) {
        this.makeRoom();
        counter = { startMs, count: 0 };
        this.counters.set(counterKey, counter);
      } else if (counter.startMs !== startMs) {
        // A new window (or, after a wall-clock step back, an earlier one): start from zero.
        counter.startMs = startMs;
        counter.count = 0;
      }
      found.push(counter);
      if (counter.count >= window.limit) allowed = false;
    }
    const windows: WindowState[] = [];
    for (let index = 0; index < limits.length; index++) {
      const window = limits[index]!;
      const counter = found[index]!;
      if (allowed) counter.count += 1;
      windows.push({
        limit: window.limit,
        windowMs: window.windowMs,
        count: counter.count,
        resetMs: Math.max(1, counter.startMs + window.windowMs - nowMs),
      });
    }
    found.length = 0;
    return { allowed, windows };
  }

  private makeRoom(): void {
    if (this.counters.size < this.options.keysMax) return;
    const nowMs = this.options.clock.now();
    for (const [key, counter] of this.counters) {
      const windowMs = Number(key.slice(0, key.indexOf('|')));
      if (counter.startMs + windowMs <= nowMs) this.counters.delete(key);
    }
    // Still nearly full: forget the oldest counters (Map order is insertion order), down to 90 %
    // so that the sweep above runs at most once per tenth of `keysMax` new keys.
    const target = Math.floor(this.options.keysMax * 0.9);
    for (const key of this.counters.keys()) {
      if (this.counters.size <= target) break;
      this.counters.delete(key);
    }
  }
}

const scratch: Counter[] = [];

/** The remainder with the sign of the divisor, so times before 1970 still align. */
function modulo(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
