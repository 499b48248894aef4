import type { PolicyType } from '../policy.js';
import { rateLimitPolicyType } from './rate-limit-policy.js';

/** The throttling policy types, for the proxy core's registry of policy types. */
export const throttlingPolicyTypes: readonly PolicyType[] = [rateLimitPolicyType];

export { bindThrottling, unknownTierMessage, type ThrottledRuntime } from './bind.js';
export type { LimitDecision, WindowLimiter, WindowState } from './decision.js';
export { rateLimitHeaders, retryAfterSeconds } from './headers.js';
export { LocalWindowLimiter } from './local-limiter.js';
export {
  RateLimitPolicy,
  rateLimitSchema,
  rateLimitScopes,
  rateLimitedCode,
  type RateLimitConfig,
  type RateLimitScope,
} from './rate-limit-policy.js';
export { RedisWindowLimiter } from './redis-limiter.js';
export { rateLimitAttribute } from './shown-limit.js';
export { RespClient, RespConnectionError, defineScript } from './resp-client.js';
export type { RespClientOptions, RespClientState, RespScript } from './resp-client.js';
export { RespError, type RespValue } from './resp-protocol.js';
export { parseRedisUrl, rateLimitSettingsSchema, type RateLimitSettings } from './settings.js';
export { ThrottlingService, type ThrottlingServiceOptions } from './throttling-service.js';
export { defaultTiers, findTier, tierSchema, tiersSchema, tierWindows } from './tiers.js';
export type { TierConfig, WindowLimit } from './tiers.js';
