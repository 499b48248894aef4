import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@exosphere/common';
import type { Exchange } from './exchange.js';
import { forward, policyHeaders, type ForwardContext } from './forward.js';
import { upstreamRequestHeaders } from './headers.js';
import {
  changedQuery,
  createPolicyRequest,
  runPolicyChain,
  type ChainOutcome,
} from './policy-chain.js';
import { hostName, parseRequestTarget } from './request-target.js';
import { respondError } from './respond.js';
import { runMediation } from '../mediation/engine.js';
import { rejectionCodeAttribute } from '../analytics/capture.js';
import { applyRewrite } from '../routing/rewrite.js';
import type { Runtime } from './runtime.js';
import { nextTraceContext } from './traceparent.js';

export interface ProxyHandlerOptions extends ForwardContext {
  /** The runtime at this instant; read once per request. */
  readonly runtime: () => Runtime;
  readonly protocol: 'http' | 'https';
  readonly logger: Logger;
  /** Called once when the response to the client ends (or the client goes away). */
  readonly onComplete: (exchange: Exchange) => void;
}

const exchangeKey = Symbol('exchange');
type ExchangeCarrier = { [exchangeKey]?: Exchange };

/** The data plane's request handler: route, run policies, forward, and never throw. */
export function createProxyHandler(
  options: ProxyHandlerOptions,
): (request: IncomingMessage, response: ServerResponse) => void {
  return function handleProxyRequest(request, response) {
    const runtime = options.runtime();
    const trace = nextTraceContext(request.headers.traceparent);
    const target = parseRequestTarget(request.url ?? '/');
    // RFC 9112 §3.2.2: an absolute-form target's authority replaces the Host field, for
    // routing and for everything sent on.
    if (target?.authority !== undefined) request.headers.host = target.authority;
    const exchange: Exchange = {
      request,
      response,
      method: request.method ?? 'GET',
      path: target?.path ?? '/',
      startedMs: performance.now(),
      traceId: trace.traceId,
      route: undefined,
      upstreamPath: '',
      upstreamHeaders: {},
      hasBody: false,
      retriesLeft: 0,
      target: undefined,
      upstreamRequest: undefined,
      upstreamStartedMs: 0,
      upstreamMs: -1,
      policyRequest: undefined,
      bodyBytesMax: undefined,
      answered: false,
      completed: false,
      onComplete: options.onComplete,
    };
    // Module-level listeners (`this` is the emitter) that find the exchange on it: no closures
    // per request.
    (response as ExchangeCarrier)[exchangeKey] = exchange;
    (request as ExchangeCarrier)[exchangeKey] = exchange;
    response.on('finish', onResponseDone);
    response.on('close', onResponseDone);
    request.on('error', onRequestError);

    if (!target) {
      respondError(response, 'EXO_GATEWAY_BAD_REQUEST', 'the request target is not a path');
      return;
    }
    // node:http parses HTTP/0.9 and HTTP/2.0 request lines too; only HTTP/1 is served
    // (RFC 9110 §2.5), as on the fast path.
    if (request.httpVersionMajor !== 1) {
      const version = `HTTP/${request.httpVersion}`;
      respondError(response, 'EXO_GATEWAY_HTTP_VERSION', `${version} is not supported`, {
        connection: 'close',
      });
      return;
    }
    const { headers } = request;
    const match = runtime.table.find(
      hostName(headers.host),
      exchange.path,
      exchange.method,
      headers,
    );
    if (!match) {
      respondError(
        response,
        'EXO_GATEWAY_NO_ROUTE',
        `no route for ${exchange.method} ${exchange.path}`,
      );
      return;
    }
    const route = match.route;
    exchange.route = route;
    const declaredLength = headers['content-length'];
    exchange.hasBody =
      headers['transfer-encoding'] !== undefined ||
      (declaredLength !== undefined && declaredLength !== '0');
    if (exchange.hasBody && !limitBody(exchange, runtime.bodyBytesMax)) return;
    const rewrittenPath = applyRewrite(route.rewrite, exchange.path, match);
    exchange.upstreamPath = rewrittenPath + target.query;
    exchange.upstreamHeaders = upstreamRequestHeaders(headers, {
      clientAddress: request.socket.remoteAddress ?? '',
      protocol: options.protocol,
      traceparent: trace.traceparent,
    });
    exchange.retriesLeft = route.upstream.config.retries.count;
    if (route.policies.length === 0) {
      forward(exchange, route.upstream, options);
      return;
    }
    // A managed API's route names its API, so `per: api|subscription` limits and analytics see it.
    exchange.policyRequest = createPolicyRequest(exchange, target.query);
    const context: ChainContext = { exchange, runtime, rewrittenPath, options };
    let outcome: ChainOutcome | Promise<ChainOutcome>;
    try {
      outcome = runPolicyChain(exchange);
    } catch (error) {
      policyFailed(context, error);
      return;
    }
    if (outcome instanceof Promise)
      outcome.then(
        (settled) => afterPolicies(context, settled),
        (error: unknown) => policyFailed(context, error),
      );
    else afterPolicies(context, outcome);
  };
}

interface ChainContext {
  readonly exchange: Exchange;
  readonly runtime: Runtime;
  readonly rewrittenPath: string;
  readonly options: ProxyHandlerOptions;
}

function policyFailed(context: ChainContext, error: unknown): void {
  const { exchange, options } = context;
  options.logger.error('policy failed', { route: exchange.route?.name, error });
  respondError(exchange.response, 'EXO_GATEWAY_INTERNAL', 'a policy of this route failed');
}

/** Forwards (or mediates) after the chain let the request through, or answers for it. */
function afterPolicies(context: ChainContext, outcome: ChainOutcome): void {
  const { exchange, runtime, options } = context;
  const { response } = exchange;
  const policyRequest = exchange.policyRequest!;
  const route = exchange.route!;
  if (outcome.kind === 'continue') {
    const query = changedQuery(policyRequest);
    if (query !== undefined) exchange.upstreamPath = context.rewrittenPath + query;
    if (response.destroyed) return;
    if (route.mediation)
      runMediation({
        exchange,
        chain: route.mediation,
        upstreams: runtime.upstreams,
        bodyBytesMax: runtime.bodyBytesMax,
        clock: options.clock,
        logger: options.logger,
        onUpstreamError: options.onUpstreamError,
      });
    else forward(exchange, route.upstream, options);
    return;
  }
  if (outcome.kind === 'reject') {
    const { rejection } = outcome;
    // Analytics reports the rejection's own code (analytics/capture.ts).
    policyRequest.attributes.set(rejectionCodeAttribute, rejection.code);
    respondError(
      response,
      rejection,
      rejection.message,
      policyHeaders(exchange, { ...rejection.headers }),
    );
    return;
  }
  const body = outcome.body ?? '';
  response.writeHead(outcome.status, {
    ...outcome.headers,
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

/** 'finish' or 'close' of the client response, whichever comes first, completes the exchange. */
function onResponseDone(this: ServerResponse): void {
  const exchange = (this as ExchangeCarrier)[exchangeKey];
  if (!exchange || exchange.completed) return;
  exchange.completed = true;
  // A client that leaves early must not keep an upstream request (and its socket) busy.
  if (!this.writableFinished) exchange.upstreamRequest?.destroy();
  exchange.onComplete(exchange);
}

function onRequestError(this: IncomingMessage): void {
  (this as ExchangeCarrier)[exchangeKey]?.upstreamRequest?.destroy();
}

/**
 * Enforces `limits.bodyBytesMax` for a declared Content-Length at once; a chunked body is counted
 * while it streams (see body-limit.ts). The connection is closed after a 413 because the rest of
 * the body is not read (RFC 9110 §15.5.14).
 */
function limitBody(exchange: Exchange, bodyBytesMax: number): boolean {
  const declared = exchange.request.headers['content-length'];
  if (declared === undefined) {
    exchange.bodyBytesMax = bodyBytesMax;
    return true;
  }
  if (Number(declared) <= bodyBytesMax) return true;
  respondError(
    exchange.response,
    'EXO_GATEWAY_BODY_TOO_LARGE',
    `request body of ${declared} bytes exceeds ${bodyBytesMax}`,
    {
      connection: 'close',
    },
  );
  return false;
}
