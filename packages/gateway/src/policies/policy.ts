import type { IncomingHttpHeaders } from 'node:http';
import type { Clock, Logger } from '@exosphere/common';
import type { z } from 'zod';

/**
 * The contract between the proxy and its policies. A route (or an API) has an ordered chain of
 * policies. Before a request goes upstream each policy's `onRequest` runs in order; the first
 * rejection answers the client instead (a JSON error with a stable code, never a stack trace).
 * Policies attach what they learn (the authenticated application, the API key id, scopes) to
 * `attributes` for later policies, throttling and analytics.
 */
export interface PolicyRequest {
  readonly method: string;
  /** Path as received, before any rewrite. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly remoteAddress: string;
  readonly routeName: string;
  /** Set when the route belongs to a managed API. */
  readonly apiName?: string | undefined;
  /** Shared between policies of one request, e.g. `attributes.set('application', 'shop-web')`. */
  readonly attributes: Map<string, unknown>;
  /** Changes to the request headers sent upstream. */
  readonly upstreamHeaders: {
    set(name: string, value: string): void;
    remove(name: string): void;
  };
}

export interface PolicyRejection {
  readonly status: number;
  /** Stable code from the gateway's error registry, e.g. EXO_GATEWAY_UNAUTHORIZED. */
  readonly code: string;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** undefined: continue with the next policy. */
export type PolicyOutcome = PolicyRejection | undefined;

export interface RequestPolicy {
  readonly name: string;
  onRequest(request: PolicyRequest): Promise<PolicyOutcome> | PolicyOutcome;
  /** Adds or overrides headers of the response to the client (CORS, RateLimit-*). */
  onResponseHeaders?(request: PolicyRequest, headers: Record<string, string | string[]>): void;
  /** Answers the request itself without going upstream (a CORS preflight), if it wants to. */
  respond?(
    request: PolicyRequest,
  ): { status: number; headers: Record<string, string>; body?: string } | undefined;
}

export interface PolicyFactoryContext {
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * A kind of policy as configuration names it: `{ type: 'api-key', ... }` in YAML. The schema
 * validates the rest of the object (strictly: unknown keys are errors with their path).
 */
export interface PolicyType<S extends z.ZodType = z.ZodType> {
  readonly type: string;
  readonly schema: S;
  create(config: z.output<S>, context: PolicyFactoryContext): RequestPolicy;
}
