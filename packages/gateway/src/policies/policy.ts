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
  /**
   * The fields `onResponseHeaders` adds, as field lines (`name: value\r\n` each), for a data
   * path that writes heads as text (proxy/fast/): names in lower case and among
   * `responseFieldNames`, values that hold no CR, LF or NUL. A policy offering it gives the
   * same fields both ways; a policy with `onResponseHeaders` alone keeps the record path.
   */
  responseFieldLines?(request: PolicyRequest): string;
  /** Every name `responseFieldLines` may write: an upstream's fields of these names are dropped. */
  readonly responseFieldNames?: readonly string[];
  /** Answers the request itself without going upstream (a CORS preflight), if it wants to. */
  respond?(
    request: PolicyRequest,
  ): { status: number; headers: Record<string, string>; body?: string } | undefined;
  /**
   * Mediation phases (request, response, fault), for policies that change messages rather
   * than admit them. A route with any such policy is mediated (see mediation/README.md);
   * `onRequest` above still runs first, for every policy.
   */
  readonly mediation?: MediationPhases;
}

/** A request on its way upstream, as mediation policies see and change it. */
export interface MediatedRequest {
  method: string;
  /** The path sent upstream (after any rewrite), without the query. */
  path: string;
  readonly query: URLSearchParams;
  /** Names in lower case. */
  readonly headers: Record<string, string | string[]>;
  /** Buffered only when a policy of the chain needs the request body (`requestBody`). */
  body: Buffer | undefined;
  /** The configured upstream it goes to; content-based routing changes it. */
  upstream: string;
}

/** A response on its way to the client (from the upstream, a policy, or a fault). */
export interface MediatedResponse {
  status: number;
  /** Names in lower case. */
  readonly headers: Record<string, string | string[]>;
  /** Buffered only when a policy of the chain needs the response body (`responseBody`). */
  body: Buffer | undefined;
}

/** Why the fault phase runs: the gateway's error, as `{code, message}` with its status. */
export interface MediationFault {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** A call to another service made by a policy (enrichment, scatter-gather). */
export interface ServiceCall {
  /** A configured upstream (its balancing, health and breaker), or else `url`. */
  readonly upstream?: string | undefined;
  readonly url?: string | undefined;
  readonly method: string;
  /** Path and query, for `upstream`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body?: Buffer | undefined;
  readonly timeoutMs: number;
  readonly responseBytesMax: number;
}

export interface ServiceAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer;
}

export interface MediationContext {
  /** The client's request as policies saw it (attributes of earlier policies included). */
  readonly request: PolicyRequest;
  /** What goes upstream; changed by request-phase policies. */
  readonly message: MediatedRequest;
  /** The response in the response and fault phases; undefined in the request phase. */
  readonly response: MediatedResponse | undefined;
  /** Set in the fault phase. */
  readonly fault: MediationFault | undefined;
  /** The gateway's body limit (`limits.bodyBytesMax`). */
  readonly bodyBytesMax: number;
  /** Calls another service; rejects with a `{status, code}` error on failure. */
  call(request: ServiceCall): Promise<ServiceAnswer>;
}

/**
 * One policy's part in the mediation phases. A phase fails by throwing an error that carries
 * `status` and `code` (mediation/mediation-error.ts); the fault phase then builds the answer.
 */
export interface MediationPhases {
  /** The request phase needs the request body buffered. */
  readonly requestBody: boolean;
  /** The response (or fault) phase needs the response body buffered. */
  readonly responseBody: boolean;
  /** Changes `context.message`, or answers at once with a response (the upstream is skipped). */
  onRequest?(
    context: MediationContext,
  ): Promise<MediatedResponse | undefined> | MediatedResponse | undefined;
  /** Changes `context.response`. */
  onResponse?(
    context: MediationContext & { readonly response: MediatedResponse },
  ): Promise<void> | void;
  /** Changes `context.response`, the error answer being built for `context.fault`. */
  onFault?(
    context: MediationContext & {
      readonly response: MediatedResponse;
      readonly fault: MediationFault;
    },
  ): Promise<void> | void;
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
  /** Upstream names the policy sends to, with their paths in its configuration (validated). */
  upstreamReferences?(config: z.output<S>): readonly PolicyUpstreamReference[];
}

export interface PolicyUpstreamReference {
  /** Path inside the policy's object, e.g. `['cases', 'book']`. */
  readonly path: readonly (string | number)[];
  readonly upstream: string;
}
