import type { PolicyRejection, PolicyRequest, RequestPolicy } from '../policies/policy.js';
import { singleHeader } from '../policies/security/header-value.js';
import { verifySecretSha256 } from '../policies/security/secret-hash.js';
import { VerifiedKeyCache } from '../policies/security/verified-key-cache.js';
import type { ThrottlingService } from '../policies/throttling/throttling-service.js';
import type { TierConfig } from '../policies/throttling/tiers.js';
import type { Catalog } from './catalog.js';
import type { CatalogIndex, IndexedKey } from './catalog-index.js';
import { ApimErrors, type ApimErrorCode } from './errors.js';
import type { ApiRecord, ApplicationRecord } from './model.js';
import { OperationMatcher } from './operation-matcher.js';
import { applyTierLimits, type TierLimit } from './tier-limits.js';
import {
  addShownLimitHeaders,
  rateLimitFieldNames,
  shownLimitLines,
} from '../policies/throttling/shown-limit.js';
import type { TokenService } from './token-service.js';

const apiKeyHeaders = ['apikey', 'x-api-key'] as const;
const presentedKeyLengthMax = 512;
/** Verified API keys remembered per policy and catalog version. */
const verifiedKeysMax = 10_000;
const realm = 'realm="exosphere"';

/** Request attributes this policy sets, for later policies, throttling and analytics. */
export const apimAttributes = {
  application: 'application',
  applicationName: 'applicationName',
  credential: 'credential',
  subject: 'subject',
  scopes: 'scopes',
  apiId: 'apiId',
  operation: 'operation',
  subscriptionTier: 'subscriptionTier',
} as const;

interface Caller {
  readonly application: ApplicationRecord;
  readonly credential: string;
  /** undefined: every scope (an API key made without a scope list). */
  readonly scopes: readonly string[] | undefined;
  readonly viaToken: boolean;
}

/**
 * The first policy of every managed API's route. In order: the API's state (BLOCKED → 403,
 * RETIRED → 404), the operation (404, or 405 with Allow), the caller's credential (an API key
 * in `apikey` / `X-API-Key`, or a bearer token from this gateway's token endpoint → 401), an
 * ACTIVE subscription of its application to this API (403), the operation's scopes (403
 * insufficient_scope, RFC 6750 §3.1), then the application's, the subscription's and the
 * operation's tiers (429). Credentials never reach the upstream.
 */
export class ApiAccessPolicy implements RequestPolicy {
  readonly name = 'api-access';
  private readonly operations: OperationMatcher;
  private verified: { index: CatalogIndex | undefined; keys: VerifiedKeyCache<IndexedKey> } = {
    index: undefined,
    keys: new VerifiedKeyCache(0),
  };

  constructor(
    private readonly api: ApiRecord,
    private readonly context: {
      /** Path prefixes the API is served under, longest first: /ctx/version, then /ctx. */
      readonly bases: readonly string[];
      readonly catalog: Catalog;
      readonly tokens: TokenService;
      readonly throttling: ThrottlingService;
      readonly tiers: Readonly<Record<string, TierConfig>>;
    },
  ) {
    this.operations = new OperationMatcher(api.operations);
  }

  async onRequest(request: PolicyRequest): Promise<PolicyRejection | undefined> {
    const api = this.api;
    if (api.state === 'BLOCKED')
      return refuse('EXO_GATEWAY_API_BLOCKED', `API ${api.name} ${api.version} is blocked.`);
    if (api.state === 'RETIRED')
      return refuse('EXO_GATEWAY_API_RETIRED', `API ${api.name} ${api.version} is retired.`);
    let operationName = '*';
    let operationScopes: readonly string[] = [];
    let operationTier: string | undefined;
    if (!this.operations.empty) {
      const match = this.operations.match(request.method, this.relativePath(request.path));
      if (match.kind === 'no-path')
        return refuse(
          'EXO_GATEWAY_OPERATION_NOT_FOUND',
          `API ${api.name} ${api.version} has no operation at this path.`,
        );
      if (match.kind === 'no-method')
        return refuse(
          'EXO_GATEWAY_OPERATION_METHOD_NOT_ALLOWED',
          `${request.method} is not an operation of this path; allowed: ${match.allow.join(', ')}.`,
          { allow: match.allow.join(', ') },
        );
      operationName = `${match.operation.method} ${match.operation.path}`;
      operationScopes = match.operation.scopes;
      operationTier = match.operation.tier;
    }
    const caller = this.authenticate(request);
    if ('status' in caller) return caller;
    const index = this.context.catalog.index;
    const subscription = index.subscription(caller.application.id, api.id);
    if (subscription === undefined)
      return refuse(
        'EXO_GATEWAY_SUBSCRIPTION_REQUIRED',
        `Application ${caller.application.name} is not subscribed to API ${api.name} ${api.version}.`,
      );
    if (subscription.state !== 'ACTIVE')
      return refuse(
        'EXO_GATEWAY_SUBSCRIPTION_INACTIVE',
        `The subscription of application ${caller.application.name} to API ${api.name} ${api.version} is ${subscription.state}.`,
      );
    const granted = caller.scopes;
    const missing =
      granted === undefined ? [] : operationScopes.filter((scope) => !granted.includes(scope));
    if (missing.length > 0)
      return {
        status: 403,
        code: 'EXO_GATEWAY_SCOPE_MISSING',
        message: `The credential lacks the scope this operation requires: ${missing.join(' ')}.`,
        headers: {
          'www-authenticate': `Bearer ${realm}, error="insufficient_scope", scope="${operationScopes.join(' ')}"`,
        },
      };
    const attributes = request.attributes;
    attributes.set(apimAttributes.application, caller.application.id);
    attributes.set(apimAttributes.applicationName, caller.application.name);
    attributes.set(apimAttributes.credential, caller.credential);
    if (caller.viaToken) attributes.set(apimAttributes.subject, caller.application.id);
    attributes.set(apimAttributes.scopes, granted ?? operationScopes);
    attributes.set(apimAttributes.apiId, api.id);
    attributes.set(apimAttributes.operation, operationName);
    attributes.set(apimAttributes.subscriptionTier, subscription.tier);
    // The credential is the gateway's business: the upstream never sees it.
    for (const header of apiKeyHeaders) request.upstreamHeaders.remove(header);
    if (caller.viaToken) request.upstreamHeaders.remove('authorization');
    const limits: TierLimit[] = [
      { tier: caller.application.tier, per: 'application', key: caller.application.id },
      { tier: subscription.tier, per: 'subscription', key: subscription.id },
    ];
    if (operationTier !== undefined)
      limits.push({ tier: operationTier, per: 'operation', key: `${api.id}:${operationName}` });
    return applyTierLimits({
      limits,
      tiers: this.context.tiers,
      throttling: this.context.throttling,
      request,
    });
  }

  /** The RateLimit-* fields of the tier closest to exhaustion (shared with rate-limit policies). */
  onResponseHeaders(request: PolicyRequest, headers: Record<string, string | string[]>): void {
    addShownLimitHeaders(request, headers);
  }

  readonly responseFieldNames = rateLimitFieldNames;

  responseFieldLines(request: PolicyRequest): string {
    return shownLimitLines(request);
  }

  private relativePath(path: string): string {
    for (const base of this.context.bases)
      if (path === base || path.startsWith(`${base}/`)) return path.slice(base.length) || '/';
    return path;
  }

  /**
   * The catalog's key for `presented` when it matches its stored hash. Verified keys are
   * remembered per catalog version (a change, such as a revoked key, starts afresh); see
   * verified-key-cache.ts.
   */
  private verifiedKey(index: CatalogIndex, presented: string): IndexedKey | undefined {
    if (this.verified.index !== index)
      this.verified = { index, keys: new VerifiedKeyCache(verifiedKeysMax) };
    const known = this.verified.keys.get(presented);
    if (known !== undefined) return known;
    const dot = presented.indexOf('.');
    const key =
      presented.length <= presentedKeyLengthMax && dot > 0
        ? index.keys.get(presented.slice(0, dot))
        : undefined;
    if (key === undefined || !verifySecretSha256(presented, key.hash)) return undefined;
    this.verified.keys.set(presented, key);
    return key;
  }

  private authenticate(request: PolicyRequest): Caller | PolicyRejection {
    const index = this.context.catalog.index;
    for (const header of apiKeyHeaders) {
      const presented = singleHeader(request.headers, header);
      if (presented === undefined || presented === '') continue;
      const key = this.verifiedKey(index, presented);
      // The same answer for an unknown key and a wrong secret: nothing reveals which keys exist.
      if (key === undefined) return refuse('EXO_GATEWAY_UNAUTHORIZED', 'The API key is not valid.');
      return {
        application: key.application,
        credential: key.id,
        scopes: key.scopes,
        viaToken: false,
      };
    }
    const authorization = singleHeader(request.headers, 'authorization');
    // RFC 6750 §2.1: "Bearer" then the token; the scheme is case-insensitive (RFC 9110 §11.1).
    const match = authorization === undefined ? null : /^Bearer +(\S+) *$/i.exec(authorization);
    if (match === null)
      return refuse(
        'EXO_GATEWAY_UNAUTHORIZED',
        'An API key (apikey or X-API-Key header) or a bearer token is required.',
        { 'www-authenticate': `Bearer ${realm}` },
      );
    const checked = this.context.tokens.check(match[1] ?? '');
    if (!checked.ok)
      return refuse(
        checked.reason === 'expired' ? 'EXO_GATEWAY_TOKEN_EXPIRED' : 'EXO_GATEWAY_UNAUTHORIZED',
        checked.message,
        {
          'www-authenticate': `Bearer ${realm}, error="invalid_token", error_description="${checked.message}"`,
        },
      );
    const application = index.applications.get(checked.applicationId);
    if (application === undefined)
      return refuse('EXO_GATEWAY_UNAUTHORIZED', 'The application of this token no longer exists.', {
        'www-authenticate': `Bearer ${realm}, error="invalid_token"`,
      });
    return {
      application,
      credential:
        checked.tokenId === undefined ? `token:${application.id}` : `token:${checked.tokenId}`,
      scopes: checked.scopes,
      viaToken: true,
    };
  }
}

type RefusalCode = ApimErrorCode | 'EXO_GATEWAY_UNAUTHORIZED' | 'EXO_GATEWAY_TOKEN_EXPIRED';

const generic: Record<'EXO_GATEWAY_UNAUTHORIZED' | 'EXO_GATEWAY_TOKEN_EXPIRED', number> = {
  EXO_GATEWAY_UNAUTHORIZED: 401,
  EXO_GATEWAY_TOKEN_EXPIRED: 401,
};

function refuse(
  code: RefusalCode,
  message: string,
  headers?: Readonly<Record<string, string>>,
): PolicyRejection {
  const status =
    code in generic
      ? generic[code as keyof typeof generic]
      : ApimErrors[code as ApimErrorCode].status;
  return headers === undefined ? { status, code, message } : { status, code, message, headers };
}
