import type { PolicyRejection, PolicyRequest } from '../policies/policy.js';
import { rateLimitHeaders, retryAfterSeconds } from '../policies/throttling/headers.js';
import { rateLimitedCode, rateLimitedStatus } from '../policies/throttling/rate-limit-policy.js';
import { rememberLimit } from '../policies/throttling/shown-limit.js';
import type { ThrottlingService } from '../policies/throttling/throttling-service.js';
import { findTier, tierWindows, type TierConfig } from '../policies/throttling/tiers.js';

/** One tier applied to one counter: who shares it (`key`) and how it shows in metrics. */
export interface TierLimit {
  readonly tier: string;
  /** application, subscription or operation */
  readonly per: string;
  readonly key: string;
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
    rememberLimit(options.request, decision);
    if (!decision.allowed) {
      const retryAfter = retryAfterSeconds(decision);
      return {
        status: rateLimitedStatus,
        code: rateLimitedCode,
        message: `Rate limit of the ${limit.per} tier ${limit.tier} exceeded; retry in ${retryAfter} s.`,
        headers: { ...rateLimitHeaders(decision), 'retry-after': String(retryAfter) },
      };
    }
  }
  return undefined;
}
