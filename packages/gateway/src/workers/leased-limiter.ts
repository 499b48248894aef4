import type { Clock } from '@exosphere/common';
import type { LimitDecision, WindowLimiter, WindowState } from '../policies/throttling/decision.js';
import type { WindowLimit } from '../policies/throttling/tiers.js';

/** Asks the primary for tokens of one window (lease-counters.ts); rejects on timeout. */
export type LeaseRequester = (request: {
  readonly key: string;
  readonly windowMs: number;
  readonly windowStartMs: number;
  readonly limit: number;
}) => Promise<{ readonly tokens: number; readonly count: number }>;

interface Lease {
  windowStartMs: number;
  /** Tokens held by this worker, not yet used. */
  tokens: number;
  /** The window's count at the primary after the last grant (tokens leased by every worker). */
  count: number;
  /** The primary granted nothing: the window is used up. */
  exhausted: boolean;
  pending: Promise<void> | undefined;
}

/**
 * A worker's rate limiter when the gateway runs several workers without a shared store: the
 * exact counts live in the primary, which hands out tokens in leases. A request that finds a
 * token for every window of its tier is decided here, synchronously; only a request that
 * needs a new lease waits for the primary (once per lease, shared by the requests waiting for
 * the same window). A used-up window refuses at once until it ends.
 *
 * When the primary does not answer within its timeout the check falls back to `fallback`
 * (in-memory counters at `limit / workers`, the same rule as for a shared store that is down).
 *
 * The RateLimit-Remaining a client sees is this worker's estimate: the limit minus what the
 * primary has leased to every worker, plus the tokens this worker still holds.
 */
export class LeasedWindowLimiter implements WindowLimiter {
  private readonly leases = new Map<string, Lease>();

  constructor(
    private readonly options: {
      readonly clock: Clock;
      readonly request: LeaseRequester;
      readonly fallback: WindowLimiter;
      readonly keysMax: number;
    },
  ) {}

  get size(): number {
    return this.leases.size;
  }

  check(key: string, limits: readonly WindowLimit[]): LimitDecision | Promise<LimitDecision> {
    return this.attempt(key, limits);
  }

  private attempt(
    key: string,
    limits: readonly WindowLimit[],
  ): LimitDecision | Promise<LimitDecision> {
    const nowMs = this.options.clock.now();
    const leases: Lease[] = [];
    let missing: Promise<void>[] | undefined;
    let refused = false;
    for (const window of limits) {
      const windowStartMs = nowMs - modulo(nowMs, window.windowMs);
      const lease = this.leaseOf(`${window.windowMs}|${key}`, windowStartMs);
      leases.push(lease);
      if (lease.tokens > 0) continue;
      if (lease.exhausted) {
        refused = true;
        continue;
      }
      (missing ??= []).push(this.refill(lease, key, window, windowStartMs));
    }
    if (refused) return decide(false, limits, leases, nowMs);
    if (missing !== undefined) {
      // Every lease answers with tokens or "used up", so each round either lets a waiting
      // request through or refuses the rest: requests waiting on one window never loop.
      return Promise.all(missing).then(
        () => this.attempt(key, limits),
        () => this.options.fallback.check(key, limits),
      );
    }
    for (const lease of leases) lease.tokens--;
    return decide(true, limits, leases, nowMs);
  }

  private leaseOf(leaseKey: string, windowStartMs: number): Lease {
    let lease = this.leases.get(leaseKey);
    if (lease === undefined) {
      this.makeRoom(windowStartMs);
      lease = { windowStartMs, tokens: 0, count: 0, exhausted: false, pending: undefined };
      this.leases.set(leaseKey, lease);
    } else if (lease.windowStartMs !== windowStartMs) {
      // A new window: tokens of the old one are never carried over.
      lease.windowStartMs = windowStartMs;
      lease.tokens = 0;
      lease.count = 0;
      lease.exhausted = false;
      lease.pending = undefined;
    }
    return lease;
  }

  private refill(
    lease: Lease,
    key: string,
    window: WindowLimit,
    windowStartMs: number,
  ): Promise<void> {
    if (lease.pending !== undefined) return lease.pending;
    const pending = this.options
      .request({ key, windowMs: window.windowMs, windowStartMs, limit: window.limit })
      .then(
        (granted) => {
          if (lease.pending !== pending) return;
          lease.pending = undefined;
          lease.tokens += granted.tokens;
          lease.count = granted.count;
          if (granted.tokens === 0) lease.exhausted = true;
        },
        (error: unknown) => {
          if (lease.pending === pending) lease.pending = undefined;
          throw error;
        },
      );
    lease.pending = pending;
    return pending;
  }

  /** Ended windows go first, then the oldest leases (their unused tokens are lost). */
  private makeRoom(nowMs: number): void {
    if (this.leases.size < this.options.keysMax) return;
    for (const [leaseKey, lease] of this.leases) {
      const windowMs = Number(leaseKey.slice(0, leaseKey.indexOf('|')));
      if (lease.windowStartMs + windowMs <= nowMs) this.leases.delete(leaseKey);
    }
    const target = Math.floor(this.options.keysMax * 0.9);
    for (const leaseKey of this.leases.keys()) {
      if (this.leases.size <= target) break;
      this.leases.delete(leaseKey);
    }
  }
}

function decide(
  allowed: boolean,
  limits: readonly WindowLimit[],
  leases: readonly Lease[],
  nowMs: number,
): LimitDecision {
  const windows: WindowState[] = limits.map((window, index) => {
    const lease = leases[index]!;
    const used = lease.exhausted && lease.tokens === 0 ? window.limit : lease.count - lease.tokens;
    return {
      limit: window.limit,
      windowMs: window.windowMs,
      count: Math.min(window.limit, Math.max(0, used)),
      resetMs: Math.max(1, lease.windowStartMs + window.windowMs - nowMs),
    };
  });
  return { allowed, windows };
}

/** The remainder with the sign of the divisor, so times before 1970 still align. */
function modulo(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
