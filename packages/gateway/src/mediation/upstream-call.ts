import type { Readable } from 'node:stream';
import type { Clock } from '@exosphere/common';
import type { Dispatcher } from 'undici';
import { GatewayErrors } from '../errors.js';
import { endToEndHeaders } from '../proxy/headers.js';
import { closedCodes, hadReadBefore } from '../upstream/connector.js';
import type { UpstreamPool } from '../upstream/pool.js';
import type { Target } from '../upstream/target.js';

export interface UpstreamCallOptions {
  readonly pool: UpstreamPool;
  readonly clock: Clock;
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[]>>;
  /** A buffer can be replayed on a retry; a stream cannot. */
  readonly body: Buffer | Readable | null;
  /** The Host to send instead of the target's (a route with `preserveHost`). */
  readonly host?: string | undefined;
  /** Key for consistent hashing. */
  readonly hashKey: string;
  readonly signal?: AbortSignal | undefined;
  readonly onUpstreamError?: ((upstream: string, kind: string) => void) | undefined;
  /** Told about each target tried (for the access log). */
  readonly onAttempt?: ((target: Target) => void) | undefined;
}

export interface UpstreamAnswer {
  readonly status: number;
  /** End-to-end fields only (hop-by-hop removed), names in lower case. */
  readonly headers: Record<string, string | string[]>;
  /** Must be read or destroyed: the target is released when it ends or closes. */
  readonly body: Readable;
}

/** RFC 9110 §9.2.2: methods whose repetition has the same intended effect. */
const idempotent = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
/** Statuses worth another target for an idempotent request (RFC 9110 §15.6.3-5). */
const retryStatuses = new Set([502, 503, 504]);
const connectCodes = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Sends one request to a configured upstream for the mediation engine and for policies (the
 * same balancing, circuit breaker, passive health, timeouts and retries as the streaming proxy
 * in proxy/forward.ts, but answering with a promise, since mediated responses may be buffered
 * and transformed before the client sees them). A buffered body makes a request replayable,
 * so mediated idempotent requests with a body are retried too; a streamed one is not.
 */
export async function callUpstream(options: UpstreamCallOptions): Promise<UpstreamAnswer> {
  const { pool, clock } = options;
  let retriesLeft = pool.config.retries.count;
  const replayable =
    idempotent.has(options.method) && (options.body === null || Buffer.isBuffer(options.body));
  let exclude: Target | undefined;
  for (;;) {
    const nowMs = clock.monotonic();
    const target = pool.balancer.pick({ nowMs, hashKey: options.hashKey, exclude });
    if (!target)
      throw GatewayErrors.create(
        'EXO_GATEWAY_UPSTREAM_UNAVAILABLE',
        `upstream ${pool.name} has no healthy target`,
      );
    if (pool.breaker && !pool.breaker.allow(nowMs))
      throw GatewayErrors.create(
        'EXO_GATEWAY_CIRCUIT_OPEN',
        `the circuit of upstream ${pool.name} is open`,
      );
    options.onAttempt?.(target);
    const release = releaser(pool, target, clock);
    pool.acquire(target);
    let answer: Dispatcher.ResponseData;
    try {
      const request: Dispatcher.RequestOptions & { servername?: string } = {
        path: options.path,
        method: options.method as Dispatcher.HttpMethod,
        headers: { ...options.headers, host: options.host ?? target.authority },
        body: options.body,
        signal: options.signal ?? null,
      };
      // TLS: the certificate is checked against the target's name, never the client's Host.
      if (target.protocol === 'https:') request.servername = target.hostname;
      answer = await send({ pool, target, request, replayable, signal: options.signal });
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'EUNKNOWN';
      const aborted = options.signal?.aborted === true;
      release(aborted, !aborted);
      if (aborted) throw error;
      const timeout = code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT';
      options.onUpstreamError?.(pool.name, timeout ? 'timeout' : code.toLowerCase());
      // With no other target, the client gets this failure rather than "no healthy target".
      const retry =
        replayable && retriesLeft > 0 && pool.hasTargetBesides(target, clock.monotonic());
      if (connectCodes.has(code) && retry) {
        retriesLeft--;
        exclude = target;
        continue;
      }
      throw upstreamFailure(pool, code);
    }
    const status = answer.statusCode;
    if (retryStatuses.has(status)) {
      options.onUpstreamError?.(pool.name, `status_${status}`);
      if (replayable && retriesLeft > 0 && pool.hasTargetBesides(target, clock.monotonic())) {
        retriesLeft--;
        exclude = target;
        // Reading the rest keeps the connection reusable.
        await answer.body.dump().catch(() => undefined);
        release(false, true);
        continue;
      }
    }
    const success = !retryStatuses.has(status);
    answer.body.once('end', () => release(success, status >= 500));
    answer.body.once('close', () => release(success, status >= 500));
    return {
      status,
      headers: endToEndHeaders(answer.headers) as Record<string, string | string[]>,
      body: answer.body,
    };
  }
}

/**
 * One request to `target`. A replayable one goes once more, on a new connection, when its
 * pooled connection turns out closed by the upstream before any answer (as proxy/forward.ts
 * does): neither a retry nor a failure of the target.
 */
async function send(options: {
  pool: UpstreamPool;
  target: Target;
  request: Dispatcher.RequestOptions;
  replayable: boolean;
  signal: AbortSignal | undefined;
}): Promise<Dispatcher.ResponseData> {
  const { pool, target, request } = options;
  try {
    return await pool.clientFor(target).request(request);
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    const stale = options.replayable && closedCodes.has(code) && hadReadBefore(error as Error);
    if (!stale || options.signal?.aborted === true) throw error;
    return pool.requestFresh(target, request);
  }
}

/** Passive health, breaker and in-flight accounting: exactly once per attempt. */
function releaser(
  pool: UpstreamPool,
  target: Target,
  clock: Clock,
): (success: boolean, breakerFailure: boolean) => void {
  let released = false;
  return (success, breakerFailure) => {
    if (released) return;
    released = true;
    const endMs = clock.monotonic();
    pool.recordOutcome(target, success, endMs);
    pool.breaker?.record(!breakerFailure, endMs);
    pool.release(target);
  };
}

function upstreamFailure(pool: UpstreamPool, code: string): Error {
  const { timeouts } = pool.config;
  if (code === 'UND_ERR_HEADERS_TIMEOUT')
    return GatewayErrors.create(
      'EXO_GATEWAY_UPSTREAM_TIMEOUT',
      `upstream ${pool.name} did not answer within ${timeouts.requestMs} ms`,
    );
  if (code === 'UND_ERR_CONNECT_TIMEOUT')
    return GatewayErrors.create(
      'EXO_GATEWAY_UPSTREAM_TIMEOUT',
      `upstream ${pool.name} did not accept a connection within ${timeouts.connectMs} ms`,
    );
  const name = code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED' ? 'ECONNRESET' : code;
  return GatewayErrors.create('EXO_GATEWAY_BAD_GATEWAY', `upstream ${pool.name} failed: ${name}`);
}
