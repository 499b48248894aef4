import type { PolicyRequest } from '../policy.js';
import type { LimitDecision } from './decision.js';
import { mostRestrictive, rateLimitHeaders, rateLimitLines, remaining } from './headers.js';

/** Request attribute with the decision of the most restrictive rate limit so far. */
export const rateLimitAttribute = 'rateLimit';

/** The RateLimit-* field names a response gets (headers.ts), lower case. */
export const rateLimitFieldNames: readonly string[] = [
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'ratelimit-policy',
];

interface ShownLimit {
  readonly remaining: number;
  readonly decision: LimitDecision;
}

/**
 * Keeps `decision` as the one the response shows when it is the closest to its limit so far:
 * with several rate limits on one request (rate-limit policies, API-management tiers), the
 * client sees the most restrictive. The fields are rendered only when the response is written.
 */
export function rememberLimit(request: PolicyRequest, decision: LimitDecision): void {
  const window = mostRestrictive(decision.windows);
  if (window === undefined) return;
  const previous = request.attributes.get(rateLimitAttribute) as ShownLimit | undefined;
  const left = decision.allowed ? remaining(window) : -1;
  if (previous === undefined || left < previous.remaining)
    request.attributes.set(rateLimitAttribute, { remaining: left, decision } satisfies ShownLimit);
}

/** Sets the remembered limit's RateLimit-* fields in `headers`. */
export function addShownLimitHeaders(
  request: PolicyRequest,
  headers: Record<string, string | string[]>,
): void {
  const shown = request.attributes.get(rateLimitAttribute) as ShownLimit | undefined;
  if (shown !== undefined) Object.assign(headers, rateLimitHeaders(shown.decision));
}

/** The same fields as field lines (`name: value\r\n` each), '' when no limit was checked. */
export function shownLimitLines(request: PolicyRequest): string {
  const shown = request.attributes.get(rateLimitAttribute) as ShownLimit | undefined;
  return shown === undefined ? '' : rateLimitLines(shown.decision);
}
