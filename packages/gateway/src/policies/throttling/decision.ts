import type { WindowLimit } from './tiers.js';

/**
 * The semantics every limiter implements, locally or in the shared store:
 *
 * - "N per window W" means at most N allowed requests in each fixed window
 *   [k·W, (k+1)·W) of epoch milliseconds. Windows are aligned to the Unix epoch, so every gateway
 *   (and the store) agrees on where a minute starts.
 * - A request is allowed only if every window of its tier has room; an allowed request counts in
 *   every window, a refused one in none (a client held back by its per-second burst does not use
 *   up its minute).
 * - The check and the count are one atomic step, so concurrent requests can never both take the
 *   last unit of a window.
 */
export interface WindowState extends WindowLimit {
  /** Requests counted in the current window, including this one when allowed. */
  readonly count: number;
  /** Milliseconds until the current window ends (at least 1). */
  readonly resetMs: number;
}

export interface LimitDecision {
  readonly allowed: boolean;
  /** One per window of the tier, in the tier's order. */
  readonly windows: readonly WindowState[];
}

export interface WindowLimiter {
  /** Checks and, when every window has room, counts one request under `key`. */
  check(key: string, limits: readonly WindowLimit[]): LimitDecision | Promise<LimitDecision>;
}
