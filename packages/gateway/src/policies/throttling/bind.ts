import type { RequestPolicy } from '../policy.js';
import { RateLimitPolicy } from './rate-limit-policy.js';
import type { RateLimitSettings } from './settings.js';
import type { ThrottlingService } from './throttling-service.js';
import { findTier, tierNames, tierWindows, type TierConfig } from './tiers.js';

/** The parts of a running configuration that throttling needs (the proxy's Runtime has them). */
export interface ThrottledRuntime {
  readonly config: {
    readonly tiers: Readonly<Record<string, TierConfig>>;
    readonly rateLimit: RateLimitSettings;
  };
  readonly routes: readonly {
    readonly name: string;
    readonly policies: readonly RequestPolicy[];
  }[];
}

/**
 * Connects a runtime's rate-limit policies to the gateway's limiter: applies its `rateLimit`
 * settings and resolves each policy's tier. Runs once per runtime, before its first request
 * (the gateway calls it where it reads the current runtime); binding again is harmless.
 */
export function bindThrottling(runtime: ThrottledRuntime, service: ThrottlingService): void {
  service.configure(runtime.config.rateLimit);
  for (const route of runtime.routes) {
    for (const policy of route.policies) {
      if (!(policy instanceof RateLimitPolicy)) continue;
      const tier = findTier(policy.config.tier, runtime.config.tiers);
      // Validation checked the name against the same tiers; a miss here is a bug.
      if (tier === undefined)
        throw new Error(`invariant violated: tier ${policy.config.tier} vanished after validation`);
      const labels = { route: route.name, tier: policy.config.tier, per: policy.config.per };
      const allowed = { ...labels, result: 'allowed' };
      const limited = { ...labels, result: 'limited' };
      policy.bind({
        limiter: service,
        windows: tierWindows(tier),
        onDecision: (isAllowed) => service.countDecision(isAllowed ? allowed : limited),
      });
    }
  }
}

/** For validation: every rate-limit policy's tier must exist. */
export function unknownTierMessage(
  tier: string,
  configured: Readonly<Record<string, TierConfig>>,
): string | undefined {
  if (findTier(tier, configured) !== undefined) return undefined;
  return `unknown tier '${tier}'; known tiers: ${tierNames(configured).join(', ')}`;
}
