import type { PolicyRejection, PolicyRequest } from '../policies/policy.js';
import type { LimitDecision } from '../policies/throttling/decision.js';
import {
  mostRestrictive,
  rateLimitHeaders,
  remaining,
  retryAfterSeconds,
} from '../policies/throttling/headers.js';
import {
  rateLimitAttribute,
  rateLimitedCode,
  rateLimitedStatus,
} from '../policies/throttling/rate-limit-policy.js';
import type { ThrottlingService } from '../policies/throttling/throttling-service.js';
import { findTier, tierWindows, type TierConfig } from '../policies/throttling/tiers.js';

/** One tier applied to one counter: who shares it (`key`) and how it shows in metrics. */
export interface TierLimit {
  readonly tier: string;
  /** application, subscription or operation */
  readonly per: string;
  readonly key: string;
}

interface Shown {
  readonly remaining: number;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Applies API-management tiers (the application's, the subscription's, the operation's)
 * through the gateway's limiter, so they count exactly like `rate-limit` policies: in memory
 * or in the shared store, with the same 429, Retry-After and RateLimit-* headers
 * (policies/throttling/README.md). Keys start with "apim:" so they never share a counter
 * with a declarative policy.
 */
export async function applyTierLimits(options: {
  readonly limits: readonly TierLimit[];
  readonly tiers: Readonly<Record<string, TierConfig>>;
  readonly throttling: ThrottlingService;
  readonly request: PolicyRequest;
}): Promise<PolicyRejection | undefined> {
  for (const limit of options.limits) {
    const tier = findTier(limit.tier, options.tiers);
    // A tier removed from the configuration after the subscription chose it limits nothing
    // rather than refusing every call; validation of new subscriptions names the tiers.
    if (tier === undefined) continue;
    const windows = tierWindows(tier);
    if (windows.length === 0) continue;
    const decision = await options.throttling.check(`apim:${limit.per}:${limit.key}`, windows);
    options.throttling.decisions.inc({
      route: options.request.routeName,
      tier: limit.tier,
      per: limit.per,
      result: decision.allowed ? 'allowed' : 'limited',
    });
    const headers = rateLimitHeaders(decision);
    remember(options.request, decision, headers);
    if (!decision.allowed) {
      const retryAfter = retryAfterSeconds(decision);
      return {
        status: rateLimitedStatus,
        code: rateLimitedCode,
        message: `Rate limit of the ${limit.per} tier ${limit.tier} exceeded; retry in ${retryAfter} s.`,
        headers: { ...headers, 'retry-after': String(retryAfter) },
      };
    }
  }
  return undefined;
}

/** The RateLimit-* headers of the limit closest to exhaustion, for the response. */
export function rateLimitResponseHeaders(
  request: PolicyRequest,
  headers: Record<string, string | string[]>,
): void {
  const shown = request.attributes.get(rateLimitAttribute) as Shown | undefined;
  if (shown !== undefined) Object.assign(headers, shown.headers);
}

function remember(
  request: PolicyRequest,
  decision: LimitDecision,
  headers: Readonly<Record<string, string>>,
): void {
  const window = mostRestrictive(decision.windows);
  if (window === undefined) return;
  const previous = request.attributes.get(rateLimitAttribute) as Shown | undefined;
  const left = decision.allowed ? remaining(window) : -1;
  if (previous === undefined || left < previous.remaining)
    request.attributes.set(rateLimitAttribute, { remaining: left, headers } satisfies Shown);
}
