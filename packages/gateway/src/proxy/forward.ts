import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Clock } from '@exosphere/common';
import type { GatewayErrorCode } from '../errors.js';
import type { UpstreamPool } from '../upstream/pool.js';
import type { Target } from '../upstream/target.js';
import { canRetry, type Exchange } from './exchange.js';
import { endToEndHeaders } from './headers.js';
import { respondError } from './respond.js';
import { countBody } from './body-limit.js';

export interface ForwardContext {
  readonly clock: Clock;
  /** Counts an upstream failure by kind (connect, timeout, reset, status). */
  readonly onUpstreamError: (upstream: string, kind: string) => void;
}

/** Errors raised before a connection exists: the request never reached the upstream. */
const connectCodes = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EXO_CONNECT_TIMEOUT',
]);
/** Statuses worth another target for an idempotent request (RFC 9110 §15.6.3-5). */
const retryStatuses = new Set([502, 503, 504]);

class UpstreamError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/**
 * Sends the exchange to a target of the route's upstream and streams the answer back: pick a
 * target, connect within `connectMs`, expect response headers within `requestMs`, retry a
 * bodiless idempotent request on another target after a connect error or a 502/503/504, and
 * feed every outcome to passive health and the circuit breaker.
 */
export function forward(
  exchange: Exchange,
  pool: UpstreamPool,
  context: ForwardContext,
  exclude?: Target,
): void {
  const nowMs = context.clock.monotonic();
  const key = pool.config.loadBalancing === 'consistent-hash' ? hashKey(exchange) : '';
  const target = pool.balancer.pick({ nowMs, hashKey: key, exclude });
  if (!target) {
    respondError(
      exchange.response,
      'EXO_GATEWAY_UPSTREAM_UNAVAILABLE',
      `upstream ${pool.name} has no healthy target`,
    );
    return;
  }
  if (pool.breaker && !pool.breaker.allow(nowMs)) {
    respondError(
      exchange.response,
      'EXO_GATEWAY_CIRCUIT_OPEN',
      `the circuit of upstream ${pool.name} is open`,
    );
    return;
  }
  const route = exchange.route!;
  const { timeouts } = pool.config;
  exchange.target = target;
  exchange.upstreamStartedMs = performance.now();
  pool.acquire(target);
  let released = false;
  const finish = (success: boolean, breakerFailure: boolean): void => {
    if (released) return;
    released = true;
    clearTimeout(responseTimer);
    const endMs = context.clock.monotonic();
    pool.recordOutcome(target, success, endMs);
    pool.breaker?.record(!breakerFailure, endMs);
    pool.release(target);
  };

  exchange.upstreamHeaders.host =
    route.preserveHost && exchange.request.headers.host
      ? exchange.request.headers.host
      : target.authority;
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send({
    agent: pool.agentFor(target),
    host: target.hostname,
    port: target.port,
    method: exchange.method,
    path: exchange.upstreamPath,
    headers: exchange.upstreamHeaders,
    setHost: false,
  });
  exchange.upstreamRequest = upstream;

  upstream.on('socket', (socket) => {
    if (!socket.connecting) return;
    const connectTimer = setTimeout(
      () => upstream.destroy(new UpstreamError('EXO_CONNECT_TIMEOUT')),
      timeouts.connectMs,
    );
    socket.once('connect', () => clearTimeout(connectTimer));
    socket.once('close', () => clearTimeout(connectTimer));
  });
  const responseTimer = setTimeout(
    () => upstream.destroy(new UpstreamError('EXO_RESPONSE_TIMEOUT')),
    timeouts.requestMs,
  );

  upstream.on('response', (upstreamResponse) => {
    clearTimeout(responseTimer);
    const status = upstreamResponse.statusCode ?? 502;
    exchange.upstreamMs = performance.now() - exchange.upstreamStartedMs;
    if (retryStatuses.has(status)) {
      context.onUpstreamError(pool.name, `status_${status}`);
      if (canRetry(exchange)) {
        upstreamResponse.resume();
        finish(false, true);
        exchange.retriesLeft--;
        forward(exchange, pool, context, target);
        return;
      }
    }
    const failed = retryStatuses.has(status);
    upstreamResponse.on('error', () => {
      finish(false, true);
      exchange.response.destroy();
    });
    upstreamResponse.on('end', () => finish(!failed, status >= 500));
    upstreamResponse.on('aborted', () => finish(false, true));
    relayResponse(exchange, upstreamResponse, status);
  });

  upstream.on('error', (error: NodeJS.ErrnoException) => {
    const code = error instanceof UpstreamError ? error.code : (error.code ?? 'EUNKNOWN');
    // A reused keep-alive socket that the upstream closed meanwhile fails with ECONNRESET before
    // any byte of response: the request was not processed, like a refused connection.
    const beforeConnect =
      connectCodes.has(code) ||
      (code === 'ECONNRESET' && upstream.reusedSocket && !exchange.response.headersSent);
    const clientGone =
      exchange.answered || (exchange.response.destroyed && !exchange.response.writableFinished);
    finish(clientGone, !clientGone);
    if (clientGone) return;
    context.onUpstreamError(
      pool.name,
      code === 'EXO_RESPONSE_TIMEOUT' || code === 'EXO_CONNECT_TIMEOUT'
        ? 'timeout'
        : code.toLowerCase(),
    );
    if (exchange.response.headersSent) {
      exchange.response.destroy();
      return;
    }
    if (beforeConnect && canRetry(exchange)) {
      exchange.retriesLeft--;
      forward(exchange, pool, context, target);
      return;
    }
    const [errorCode, message]: [GatewayErrorCode, string] =
      code === 'EXO_RESPONSE_TIMEOUT'
        ? [
            'EXO_GATEWAY_UPSTREAM_TIMEOUT',
            `upstream ${pool.name} did not answer within ${timeouts.requestMs} ms`,
          ]
        : code === 'EXO_CONNECT_TIMEOUT'
          ? [
              'EXO_GATEWAY_UPSTREAM_TIMEOUT',
              `upstream ${pool.name} did not accept a connection within ${timeouts.connectMs} ms`,
            ]
          : ['EXO_GATEWAY_BAD_GATEWAY', `upstream ${pool.name} failed: ${code}`];
    respondError(exchange.response, errorCode, message, policyHeaders(exchange, {}));
  });

  if (exchange.hasBody) {
    exchange.request.pipe(upstream);
    if (exchange.bodyBytesMax !== undefined) countBody(exchange, exchange.bodyBytesMax);
  } else upstream.end();
}

function relayResponse(
  exchange: Exchange,
  upstreamResponse: IncomingMessage,
  status: number,
): void {
  const headers = endToEndHeaders(upstreamResponse.headers);
  policyHeaders(exchange, headers);
  const { response } = exchange;
  if (response.destroyed) {
    upstreamResponse.resume();
    return;
  }
  response.writeHead(status, upstreamResponse.statusMessage, headers);
  upstreamResponse.pipe(response);
}

/** Lets each policy add its response headers (CORS, RateLimit-*), in chain order. */
export function policyHeaders(
  exchange: Exchange,
  headers: OutgoingHttpHeaders,
): Record<string, string | string[]> {
  const route = exchange.route;
  const target = headers as Record<string, string | string[]>;
  if (!route || route.policies.length === 0 || !exchange.policyRequest) return target;
  for (const policy of route.policies) policy.onResponseHeaders?.(exchange.policyRequest, target);
  return target;
}

function hashKey(exchange: Exchange): string {
  const hashOn = exchange.route!.hashOn;
  if (hashOn === 'ip') return exchange.request.socket.remoteAddress ?? '';
  if (hashOn === 'path') return exchange.path;
  const value = exchange.request.headers[hashOn];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}
