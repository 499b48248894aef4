import type { IncomingMessage } from 'node:http';
import type { PolicyRejection, PolicyRequest } from '../policies/policy.js';
import type { Exchange } from './exchange.js';

export type ChainOutcome =
  | { readonly kind: 'continue' }
  | { readonly kind: 'reject'; readonly rejection: PolicyRejection }
  | {
      readonly kind: 'respond';
      readonly status: number;
      readonly headers: Record<string, string>;
      readonly body: string | undefined;
    };

export function createPolicyRequest(exchange: Exchange, query: string): PolicyRequest {
  const request: IncomingMessage = exchange.request;
  const headers = exchange.upstreamHeaders;
  return {
    method: exchange.method,
    path: exchange.path,
    query: new URLSearchParams(query),
    headers: request.headers,
    remoteAddress: request.socket.remoteAddress ?? '',
    routeName: exchange.route?.name ?? '',
    attributes: new Map(),
    upstreamHeaders: {
      set: (name, value) => {
        headers[name.toLowerCase()] = value;
      },
      remove: (name) => {
        delete headers[name.toLowerCase()];
      },
    },
  };
}

/**
 * Runs the route's policies in order. Each may answer the request itself (`respond`, e.g. a
 * CORS preflight) or reject it (`onRequest`); the first that does ends the chain.
 */
export async function runPolicyChain(exchange: Exchange): Promise<ChainOutcome> {
  const route = exchange.route!;
  const request = exchange.policyRequest!;
  for (const policy of route.policies) {
    const answer = policy.respond?.(request);
    if (answer)
      return { kind: 'respond', status: answer.status, headers: answer.headers, body: answer.body };
    const rejection = await policy.onRequest(request);
    if (rejection) return { kind: 'reject', rejection };
  }
  return { kind: 'continue' };
}
