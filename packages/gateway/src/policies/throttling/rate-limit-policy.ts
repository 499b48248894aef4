import { z } from 'zod';
import type { PolicyRejection, PolicyRequest, PolicyType, RequestPolicy } from '../policy.js';
import type { LimitDecision, WindowLimiter } from './decision.js';
import { rateLimitHeaders, retryAfterSeconds } from './headers.js';
import {
  addShownLimitHeaders,
  rateLimitFieldNames,
  rememberLimit,
  shownLimitLines,
} from './shown-limit.js';
import type { WindowLimit } from './tiers.js';

/** The gateway's code for a refused request, registered in packages/gateway/src/errors.ts. */
export const rateLimitedCode = 'EXO_GATEWAY_RATE_LIMITED';
export const rateLimitedStatus = 429;

/**
 * Whose requests share a counter:
 * - `route`: every request of the route;
 * - `api`: every request of the managed API (the route's, when it belongs to none);
 * - `application`: each consumer application, as the authentication policies before this one
 *   set it (`application`, else the credential or token subject), else the client address;
 * - `subscription`: each application × API pair;
 * - `ip`: each client address.
 */
export const rateLimitScopes = ['route', 'api', 'application', 'subscription', 'ip'] as const;
export type RateLimitScope = (typeof rateLimitScopes)[number];

export const rateLimitSchema = z.strictObject({
  /** A tier of `tiers:` or a built-in one (Bronze, Silver, Gold, Unlimited). */
  tier: z.string().min(1).max(64),
  per: z.enum(rateLimitScopes).default('route'),
});

export type RateLimitConfig = z.output<typeof rateLimitSchema>;

/** What the gateway gives a policy once its configuration is running. */
export interface RateLimitBinding {
  readonly limiter: WindowLimiter;
  /** The tier's windows; none for an unlimited tier. */
  readonly windows: readonly WindowLimit[];
  readonly onDecision: (allowed: boolean) => void;
}

/** The request attributes that name a consumer, in the order they are looked for. */
const consumerAttributes = ['application', 'credential', 'subject'] as const;

/**
 * The `rate-limit` policy. Policies are built from configuration alone; the gateway then binds
 * each one to its limiter and resolved tier (see bind.ts) before any request reaches it.
 */
export class RateLimitPolicy implements RequestPolicy {
  readonly name = 'rate-limit';
  private binding: RateLimitBinding | undefined;
  private readonly keyPrefix: string;
  /**
   * Counter keys made before, by the string they are made from (a consumer attribute's value
   * per attribute, or the identity): those strings are the same objects from one request to
   * the next, whose hashes the engine keeps, so the common check builds and hashes no string.
   */
  private readonly keysByIdentity = new Map<string, string>();
  private readonly keysByConsumer = consumerAttributes.map(() => new Map<string, string>());

  constructor(readonly config: RateLimitConfig) {
    this.keyPrefix = `${config.per}:`;
  }

  bind(binding: RateLimitBinding): void {
    this.binding = binding;
  }

  get bound(): boolean {
    return this.binding !== undefined;
  }

  /** Synchronous with in-memory counters; a promise only while a shared store decides. */
  onRequest(
    request: PolicyRequest,
  ): PolicyRejection | undefined | Promise<PolicyRejection | undefined> {
    const binding = this.binding;
    if (binding === undefined)
      throw new Error('invariant violated: a rate-limit policy ran before the gateway bound it');
    if (binding.windows.length === 0) return undefined;
    const key = this.keyOf(request);
    const decision = binding.limiter.check(key, binding.windows);
    if (decision instanceof Promise)
      return decision.then((settled) => this.decide(request, binding, settled));
    return this.decide(request, binding, decision);
  }

  /** `<per>:<identity>`, from the cache when the same identity came before. */
  private keyOf(request: PolicyRequest): string {
    const { per } = this.config;
    let cache = this.keysByIdentity;
    let source: string;
    // Per application the key depends on the consumer alone (per subscription it names the API
    // or route too, so it goes by the whole identity).
    if (per === 'application') {
      const consumer = firstConsumer(request);
      if (consumer === undefined) return this.keyPrefix + identityOf(per, request);
      cache = this.keysByConsumer[consumer.index]!;
      source = consumer.value;
    } else source = identityOf(per, request);
    let key = cache.get(source);
    if (key === undefined) {
      key = this.keyPrefix + identityOf(per, request);
      if (cache.size >= keysCachedMax) cache.clear();
      cache.set(source, key);
    }
    return key;
  }

  private decide(
    request: PolicyRequest,
    binding: RateLimitBinding,
    decision: LimitDecision,
  ): PolicyRejection | undefined {
    binding.onDecision(decision.allowed);
    rememberLimit(request, decision);
    if (decision.allowed) return undefined;
    const retryAfter = retryAfterSeconds(decision);
    return {
      status: rateLimitedStatus,
      code: rateLimitedCode,
      message: `Rate limit of tier ${this.config.tier} exceeded; retry in ${retryAfter} s.`,
      headers: { ...rateLimitHeaders(decision), 'retry-after': String(retryAfter) },
    };
  }

  onResponseHeaders(request: PolicyRequest, headers: Record<string, string | string[]>): void {
    addShownLimitHeaders(request, headers);
  }

  readonly responseFieldNames = rateLimitFieldNames;

  responseFieldLines(request: PolicyRequest): string {
    return shownLimitLines(request);
  }
}

export function identityOf(per: RateLimitScope, request: PolicyRequest): string {
  switch (per) {
    case 'route':
      return request.routeName;
    case 'api':
      return request.apiName ?? `route:${request.routeName}`;
    case 'application':
      return consumerOf(request);
    case 'subscription':
      return `${consumerOf(request)}@${request.apiName ?? `route:${request.routeName}`}`;
    case 'ip':
      return request.remoteAddress;
  }
}

/** The consumer the authentication policies found (api-key, jwt, basic-auth set these). */
function consumerOf(request: PolicyRequest): string {
  const consumer = firstConsumer(request);
  if (consumer === undefined) return `address:${request.remoteAddress}`;
  return `${consumerAttributes[consumer.index]!}:${consumer.value}`;
}

function firstConsumer(request: PolicyRequest): { index: number; value: string } | undefined {
  for (let index = 0; index < consumerAttributes.length; index++) {
    const value = request.attributes.get(consumerAttributes[index]!);
    if (typeof value === 'string' && value !== '') return { index, value };
  }
  return undefined;
}

/** Keys remembered per policy and cache (then forgotten all at once: a bound on memory). */
const keysCachedMax = 10_000;

export const rateLimitPolicyType: PolicyType<typeof rateLimitSchema> = {
  type: 'rate-limit',
  schema: rateLimitSchema,
  create: (config) => new RateLimitPolicy(config),
};
