import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { PolicyOutcome, PolicyRejection, PolicyRequest } from '../policies/policy.js';
import type { ExchangeState } from './exchange.js';

export type ChainOutcome =
  | { readonly kind: 'continue' }
  | { readonly kind: 'reject'; readonly rejection: PolicyRejection }
  | {
      readonly kind: 'respond';
      readonly status: number;
      readonly headers: Record<string, string>;
      readonly body: string | undefined;
    };

const continueOutcome: ChainOutcome = { kind: 'continue' };

/**
 * The policies' view of one request. Per request it is one object: the query parameters are
 * parsed only when a policy reads them, and the upstream header editor is the object itself
 * (methods, not closures).
 */
class ExchangePolicyRequest implements PolicyRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly routeName: string;
  readonly apiName: string | undefined;
  readonly attributes = new Map<string, unknown>();
  private parameters: URLSearchParams | undefined = undefined;
  private parametersBefore = '';
  /** Names removed with `upstreamHeaders.remove` (lower case), in order. */
  removed: string[] | undefined = undefined;

  constructor(
    private readonly exchange: ExchangeState,
    private readonly rawQuery: string,
    private readonly forwarded: OutgoingHttpHeaders,
  ) {
    const { request } = exchange;
    this.method = exchange.method;
    this.path = exchange.path;
    this.headers = request.headers;
    this.routeName = exchange.route?.name ?? '';
    this.apiName = exchange.route?.apiName;
  }

  /** Read when a policy asks (the socket's peer address is a call into the runtime). */
  get remoteAddress(): string {
    return this.exchange.request.socket.remoteAddress ?? '';
  }

  get query(): URLSearchParams {
    if (this.parameters === undefined) {
      this.parameters = new URLSearchParams(this.rawQuery);
      this.parametersBefore = this.parameters.toString();
    }
    return this.parameters;
  }

  get upstreamHeaders(): PolicyRequest['upstreamHeaders'] {
    return this;
  }

  set(name: string, value: string): void {
    this.forwarded[name.toLowerCase()] = value;
  }

  remove(name: string): void {
    const lower = name.toLowerCase();
    delete this.forwarded[lower];
    (this.removed ??= []).push(lower);
  }

  /** The query as policies left it (`?a=b`, or ''), or undefined when none changed it. */
  changedQuery(): string | undefined {
    if (this.parameters === undefined) return undefined;
    const after = this.parameters.toString();
    if (after === this.parametersBefore) return undefined;
    return after ? `?${after}` : '';
  }
}

/** The policy request of an exchange; `query` is the raw query (`?a=b` or ''). */
export function createPolicyRequest(exchange: ExchangeState, query: string): PolicyRequest {
  return new ExchangePolicyRequest(exchange, query, exchange.upstreamHeaders);
}

/**
 * The query after the policies ran, when one changed it (an API key given as a query
 * parameter is removed): the upstream gets the policies' view. An untouched query keeps its
 * exact original encoding.
 */
export function changedQuery(request: PolicyRequest): string | undefined {
  return request instanceof ExchangePolicyRequest ? request.changedQuery() : undefined;
}

/**
 * The upstream fields policies removed (lower case), for a data path that relays the client's
 * field lines rather than `upstreamHeaders` alone (fast/forward-attempt.ts).
 */
export function removedFields(request: PolicyRequest): readonly string[] | undefined {
  return request instanceof ExchangePolicyRequest ? request.removed : undefined;
}

/**
 * Runs the route's policies in order. Each may answer the request itself (`respond`, e.g. a
 * CORS preflight) or reject it (`onRequest`); the first that does ends the chain.
 *
 * The chain stays synchronous while every policy answers synchronously (an API key found in
 * memory, a rate limit counted in memory): no promise, no microtask. It continues
 * asynchronously from the first policy that returns a promise (a JWKS fetch, a shared
 * rate-limit store).
 */
export function runPolicyChain(exchange: ExchangeState): ChainOutcome | Promise<ChainOutcome> {
  return runFrom(exchange, 0);
}

function runFrom(exchange: ExchangeState, first: number): ChainOutcome | Promise<ChainOutcome> {
  const policies = exchange.route!.policies;
  const request = exchange.policyRequest!;
  for (let index = first; index < policies.length; index++) {
    const policy = policies[index]!;
    const answer = policy.respond?.(request);
    if (answer)
      return { kind: 'respond', status: answer.status, headers: answer.headers, body: answer.body };
    const outcome = policy.onRequest(request);
    if (isPromise(outcome)) {
      // Promise.resolve: a native promise whatever thenable the policy returned.
      return Promise.resolve(outcome).then((rejection) =>
        rejection ? { kind: 'reject', rejection } : runFrom(exchange, index + 1),
      );
    }
    if (outcome) return { kind: 'reject', rejection: outcome };
  }
  return continueOutcome;
}

function isPromise(
  outcome: PolicyOutcome | Promise<PolicyOutcome>,
): outcome is Promise<PolicyOutcome> {
  return typeof (outcome as { then?: unknown } | undefined)?.then === 'function';
}
