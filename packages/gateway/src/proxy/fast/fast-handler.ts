import type { Logger } from '@exosphere/common';
import { rejectionCodeAttribute } from '../../analytics/capture.js';
import { applyRewrite } from '../../routing/rewrite.js';
import type { ExchangeState } from '../exchange.js';
import { policyHeaders, type ForwardContext } from '../forward.js';
import {
  changedQuery,
  createPolicyRequest,
  runPolicyChain,
  type ChainOutcome,
} from '../policy-chain.js';
import { hostName, parseRequestTarget } from '../request-target.js';
import type { Runtime } from '../runtime.js';
import { nextTraceContext } from '../traceparent.js';
import type { ExchangeOwner } from './fast-exchange.js';
import { FastExchange } from './fast-exchange.js';
import { forwardFast } from './forward-attempt.js';
import type { RequestHead } from './request-head.js';

export interface FastHandlerOptions extends ForwardContext {
  /** The runtime at this instant; read once per request. */
  readonly runtime: () => Runtime;
  readonly logger: Logger;
  /** Called once when the response to the client ends (or the client goes away). */
  readonly onComplete: (exchange: ExchangeState) => void;
  /** Paths answered by the node:http handler before routing (API management's token endpoint). */
  readonly ownsPath: (path: string) => boolean;
  /** Counts a connection handed to node:http. */
  readonly onHandover?: ((reason: HandoverReason) => void) | undefined;
}

/** Why a connection went to node:http (the label of `exo_gateway_fast_handovers_total`). */
export type HandoverReason = 'upgrade' | 'expect' | 'token-endpoint' | 'mediation' | 'unusual';

/**
 * handler.ts for the fast path: the same route table, rewrites, forwarding headers,
 * traceparent and policy chain, answering through the exchange's own writer. Requests that
 * need node:http (WebSocket and other upgrades, `Expect: 100-continue`, a mediated route, API
 * management's token endpoint) are handed over before anything happened for them.
 */
export function createFastHandler(options: FastHandlerOptions): {
  createExchange(owner: ExchangeOwner, head: RequestHead): FastExchange;
  run(exchange: FastExchange): HandoverReason | undefined;
} {
  return {
    createExchange(owner, head) {
      const target = parseRequestTarget(head.target);
      // RFC 9112 §3.2.2: an absolute-form target's authority replaces the Host field, for
      // routing and for the Host and X-Forwarded-Host sent upstream.
      if (target?.authority !== undefined) head.headers.host = target.authority;
      const trace = nextTraceContext(head.headers.traceparent);
      const exchange = new FastExchange(
        owner,
        head,
        target?.path ?? '/',
        trace.traceId,
        trace.traceparent,
      );
      exchange.query = target?.query;
      return exchange;
    },
    run(exchange) {
      return runExchange(exchange, options);
    },
  };
}

function runExchange(
  exchange: FastExchange,
  options: FastHandlerOptions,
): HandoverReason | undefined {
  const { head, headers } = exchange;
  // RFC 9110 §7.8 and §10.1.1: both change how the connection goes on, which node:http does.
  if (headers.upgrade !== undefined) return 'upgrade';
  if (headers.expect !== undefined) return 'expect';
  const question = head.target.indexOf('?');
  if (options.ownsPath(question < 0 ? head.target : head.target.slice(0, question)))
    return 'token-endpoint';
  const runtime = options.runtime();
  // The target was parsed with the head (createExchange); undefined: not a path.
  const query = exchange.query;
  const match =
    query !== undefined
      ? runtime.table.find(hostName(headers.host), exchange.path, exchange.method, headers)
      : undefined;
  // Mediation may buffer bodies and call several upstreams: mediation/engine.ts does it.
  if (match?.route.mediation) return 'mediation';
  exchange.onComplete = options.onComplete;
  if (query === undefined) {
    exchange.respondError('EXO_GATEWAY_BAD_REQUEST', 'the request target is not a path');
    return undefined;
  }
  if (!match) {
    exchange.respondError(
      'EXO_GATEWAY_NO_ROUTE',
      `no route for ${exchange.method} ${exchange.path}`,
    );
    return undefined;
  }
  const route = match.route;
  exchange.route = route;
  const { framing } = head;
  if (framing.kind === 'length' && framing.bytes > runtime.bodyBytesMax) {
    // The rest of the body is not read: the connection closes (RFC 9110 §15.5.14).
    exchange.respondError(
      'EXO_GATEWAY_BODY_TOO_LARGE',
      `request body of ${framing.bytes} bytes exceeds ${runtime.bodyBytesMax}`,
      { connection: 'close' },
    );
    return undefined;
  }
  if (framing.kind === 'chunked') exchange.bodyBytesMax = runtime.bodyBytesMax;
  const rewrittenPath = applyRewrite(route.rewrite, exchange.path, match);
  exchange.upstreamPath = rewrittenPath + query;
  // The client's own field lines go upstream as received (head.relay); `upstreamHeaders` holds
  // only what policies set (fast/forward-attempt.ts writes the head).
  exchange.retriesLeft = route.upstream.config.retries.count;
  if (route.policies.length === 0) {
    forwardFast(exchange, route.upstream, options);
    return undefined;
  }
  exchange.policyRequest = createPolicyRequest(exchange, query);
  let outcome: ChainOutcome | Promise<ChainOutcome>;
  try {
    outcome = runPolicyChain(exchange);
  } catch (error) {
    policyFailed(exchange, options, error);
    return undefined;
  }
  // A chain that went asynchronous (a JWKS fetch, a shared rate-limit store) finishes later;
  // the connection waits for this exchange like for any slow upstream.
  if (outcome instanceof Promise)
    outcome.then(
      (settled) => afterPolicies(exchange, settled, rewrittenPath, options),
      (error: unknown) => policyFailed(exchange, options, error),
    );
  else afterPolicies(exchange, outcome, rewrittenPath, options);
  return undefined;
}

function policyFailed(exchange: FastExchange, options: FastHandlerOptions, error: unknown): void {
  options.logger.error('policy failed', { route: exchange.route?.name, error });
  exchange.respondError('EXO_GATEWAY_INTERNAL', 'a policy of this route failed');
}

function afterPolicies(
  exchange: FastExchange,
  outcome: ChainOutcome,
  rewrittenPath: string,
  options: FastHandlerOptions,
): void {
  const policyRequest = exchange.policyRequest!;
  if (outcome.kind === 'continue') {
    const query = changedQuery(policyRequest);
    if (query !== undefined) exchange.upstreamPath = rewrittenPath + query;
    if (exchange.destroyed) return;
    forwardFast(exchange, exchange.route!.upstream, options);
    return;
  }
  if (outcome.kind === 'reject') {
    const { rejection } = outcome;
    policyRequest.attributes.set(rejectionCodeAttribute, rejection.code);
    exchange.respondError(
      rejection,
      rejection.message,
      policyHeaders(exchange, { ...rejection.headers }),
    );
    return;
  }
  exchange.respond(outcome.status, outcome.headers, outcome.body ?? '');
}
