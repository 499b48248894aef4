import type { LimitDecision, WindowState } from './decision.js';

/**
 * Response fields of draft-ietf-httpapi-ratelimit-headers-06 ("RateLimit Fields for HTTP"):
 * RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset describe the window closest to
 * exhaustion (the draft asks for the one with the fewest remaining units when several apply);
 * RateLimit-Policy lists every window as `<limit>;w=<seconds>`. Reset is in delta seconds, never
 * 0 while the window is still open. Names are lower case so they replace an upstream's own.
 */
export function rateLimitHeaders(decision: LimitDecision): Record<string, string> {
  const shown = mostRestrictive(decision.windows);
  if (shown === undefined) return {};
  return {
    'ratelimit-limit': shown.limit === lastLimit.limit ? lastLimit.text : limitText(shown.limit),
    'ratelimit-remaining': String(remaining(shown)),
    'ratelimit-reset': String(seconds(shown.resetMs)),
    'ratelimit-policy': policyText(decision.windows),
  };
}

/**
 * The same fields as `rateLimitHeaders`, as field lines (`name: value\r\n` each), for a data
 * path that writes heads as text: the values are digits and `<limit>;w=<seconds>` lists, which
 * no line can be split by.
 */
export function rateLimitLines(decision: LimitDecision): string {
  const shown = mostRestrictive(decision.windows);
  if (shown === undefined) return '';
  const limit = shown.limit === lastLimit.limit ? lastLimit.text : limitText(shown.limit);
  return `ratelimit-limit: ${limit}\r\nratelimit-remaining: ${remaining(shown)}\r\nratelimit-reset: ${seconds(shown.resetMs)}\r\nratelimit-policy: ${policyText(decision.windows)}\r\n`;
}

/** The last RateLimit-Limit value (a tier's limit repeats from one request to the next). */
let lastLimit = { limit: -1, text: '' };

function limitText(limit: number): string {
  lastLimit = { limit, text: String(limit) };
  return lastLimit.text;
}

/** The last RateLimit-Policy value and its windows' figures: a tier's text is made once. */
let lastPolicy = { limit: -1, windowMs: -1, text: '' };

function policyText(windows: readonly WindowState[]): string {
  if (windows.length === 1) {
    const { limit, windowMs } = windows[0]!;
    if (limit !== lastPolicy.limit || windowMs !== lastPolicy.windowMs)
      lastPolicy = { limit, windowMs, text: `${limit};w=${windowMs / 1000}` };
    return lastPolicy.text;
  }
  let text = '';
  for (const window of windows)
    text += `${text === '' ? '' : ', '}${window.limit};w=${window.windowMs / 1000}`;
  return text;
}

/**
 * Retry-After (RFC 9110 §10.2.3) in whole seconds, at least 1: when every full window has
 * started again. Only meaningful for a refused request.
 */
export function retryAfterSeconds(decision: LimitDecision): number {
  let resetMs = 0;
  for (const window of decision.windows)
    if (window.count >= window.limit) resetMs = Math.max(resetMs, window.resetMs);
  return seconds(resetMs);
}

export function remaining(window: WindowState): number {
  return Math.max(0, window.limit - window.count);
}

/** The window with the fewest remaining requests; among equals, the one that resets last. */
export function mostRestrictive(windows: readonly WindowState[]): WindowState | undefined {
  let best: WindowState | undefined;
  for (const window of windows) {
    if (
      best === undefined ||
      remaining(window) < remaining(best) ||
      (remaining(window) === remaining(best) && window.resetMs > best.resetMs)
    )
      best = window;
  }
  return best;
}

function seconds(milliseconds: number): number {
  return Math.max(1, Math.ceil(milliseconds / 1000));
}
