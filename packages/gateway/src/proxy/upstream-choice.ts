import type { GatewayErrorCode } from '../errors.js';
import type { UpstreamPool } from '../upstream/pool.js';
import type { Target } from '../upstream/target.js';
import { canRetry, type ExchangeState } from './exchange.js';

/**
 * What both data paths (node:http + undici in forward.ts, the raw path in fast/) share about an
 * upstream attempt: choosing the target, which failures mean the request never reached it, and
 * how a failure is told to the client and to metrics.
 */

/** Errors raised before a connection exists: the request never reached the upstream. */
export const connectCodes: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EXO_CONNECT_TIMEOUT',
]);

/** Statuses worth another target for an idempotent request (RFC 9110 §15.6.3-5). */
export const retryStatuses: ReadonlySet<number> = new Set([502, 503, 504]);

export interface Refusal {
  readonly code: GatewayErrorCode;
  readonly message: string;
}

/**
 * A target of `pool` for this exchange (balancing, health, `exclude` after a failure), or why
 * there is none: no healthy target, or the circuit is open.
 */
export function chooseTarget(options: {
  exchange: ExchangeState;
  pool: UpstreamPool;
  nowMs: number;
  exclude: Target | undefined;
}): Target | Refusal {
  const { exchange, pool, nowMs, exclude } = options;
  const key = pool.config.loadBalancing === 'consistent-hash' ? hashKey(exchange) : '';
  const target = pool.balancer.pick({ nowMs, hashKey: key, exclude });
  if (!target)
    return {
      code: 'EXO_GATEWAY_UPSTREAM_UNAVAILABLE',
      message: `upstream ${pool.name} has no healthy target`,
    };
  if (pool.breaker && !pool.breaker.allow(nowMs))
    return {
      code: 'EXO_GATEWAY_CIRCUIT_OPEN',
      message: `the circuit of upstream ${pool.name} is open`,
    };
  return target;
}

/**
 * Whether a failed attempt at `failed` is worth another: the request can be replayed and
 * another target is there to take it. With no other target, the client gets this attempt's
 * own outcome (the upstream's 502/503/504 answer, or a 502 naming the connection error), as
 * nginx gives when its `proxy_next_upstream` runs out of servers, never a 503 "no healthy
 * target" that hides what the upstream said.
 */
export function shouldRetry(options: {
  exchange: ExchangeState;
  pool: UpstreamPool;
  failed: Target;
  nowMs: number;
}): boolean {
  const { exchange, pool, failed, nowMs } = options;
  return canRetry(exchange) && pool.hasTargetBesides(failed, nowMs);
}

export function isRefusal(choice: Target | Refusal): choice is Refusal {
  return 'code' in choice;
}

/** The metrics kind of an upstream failure code. */
export function failureKind(code: string): string {
  return code === 'EXO_RESPONSE_TIMEOUT' || code === 'EXO_CONNECT_TIMEOUT'
    ? 'timeout'
    : code.toLowerCase();
}

/** The client's error for an upstream failure code (timeouts → 504, anything else → 502). */
export function upstreamFailure(code: string, pool: UpstreamPool): Refusal {
  const { timeouts } = pool.config;
  if (code === 'EXO_RESPONSE_TIMEOUT')
    return {
      code: 'EXO_GATEWAY_UPSTREAM_TIMEOUT',
      message: `upstream ${pool.name} did not answer within ${timeouts.requestMs} ms`,
    };
  if (code === 'EXO_CONNECT_TIMEOUT')
    return {
      code: 'EXO_GATEWAY_UPSTREAM_TIMEOUT',
      message: `upstream ${pool.name} did not accept a connection within ${timeouts.connectMs} ms`,
    };
  return { code: 'EXO_GATEWAY_BAD_GATEWAY', message: `upstream ${pool.name} failed: ${code}` };
}

/** The consistent-hash key of an exchange: a header, the client address or the path. */
export function hashKey(exchange: ExchangeState): string {
  const hashOn = exchange.route!.hashOn;
  if (hashOn === 'ip') return exchange.request.socket.remoteAddress ?? '';
  if (hashOn === 'path') return exchange.path;
  const value = exchange.request.headers[hashOn];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}
