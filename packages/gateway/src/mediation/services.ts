import type { Readable } from 'node:stream';
import type { Clock } from '@exosphere/common';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { GatewayErrors } from '../errors.js';
import type { ServiceAnswer, ServiceCall } from '../policies/policy.js';
import { endToEndHeaders } from '../proxy/headers.js';
import type { UpstreamPool } from '../upstream/pool.js';
import { BodyTooLargeError, readBody } from './body.js';
import { MediationErrors } from './mediation-errors.js';
import { callUpstream } from './upstream-call.js';

/**
 * The client for calls to plain URLs (an enrichment source outside the configuration): bounded
 * connections, and idle sockets close soon, since such calls are occasional.
 */
const urlAgent = new Agent({
  connections: 64,
  keepAliveTimeout: 4000,
  connect: { timeout: 10_000 },
});

export interface ServiceCallerOptions {
  readonly upstreams: ReadonlyMap<string, UpstreamPool>;
  readonly clock: Clock;
  /** Aborted when the client goes away: its policies' calls stop too. */
  readonly signal: AbortSignal;
}

/**
 * Calls made by policies: to a configured upstream (its balancing, health, breaker and
 * retries) or to a URL. `timeoutMs` bounds the whole call, body included, and the answer's body
 * is read up to `responseBytesMax`. Failures are ExoErrors (a timeout is
 * EXO_GATEWAY_UPSTREAM_TIMEOUT) for the policy to turn into its own failure or to ignore.
 */
export function createServiceCaller(
  options: ServiceCallerOptions,
): (call: ServiceCall) => Promise<ServiceAnswer> {
  return async function callService(call) {
    const controller = new AbortController();
    const onParentAbort = (): void => controller.abort();
    options.signal.addEventListener('abort', onParentAbort, { once: true });
    let timedOut = false;
    const timer = options.clock.setTimer(call.timeoutMs, () => {
      timedOut = true;
      controller.abort();
    });
    const name = call.upstream ?? call.url ?? '';
    try {
      const answer = await send(call, options, controller.signal);
      const body = await readBody(answer.body, call.responseBytesMax);
      return { status: answer.status, headers: answer.headers, body };
    } catch (error) {
      if (timedOut)
        throw GatewayErrors.create(
          'EXO_GATEWAY_UPSTREAM_TIMEOUT',
          `${name} did not answer within ${call.timeoutMs} ms`,
        );
      if (error instanceof BodyTooLargeError)
        throw MediationErrors.create(
          'EXO_GATEWAY_UPSTREAM_BODY_TOO_LARGE',
          `the answer of ${name} exceeds ${call.responseBytesMax} bytes`,
        );
      if (typeof (error as { status?: unknown }).status === 'number') throw error;
      const code = (error as { code?: string }).code ?? 'EUNKNOWN';
      throw GatewayErrors.create('EXO_GATEWAY_BAD_GATEWAY', `${name} failed: ${code}`);
    } finally {
      timer.cancel();
      options.signal.removeEventListener('abort', onParentAbort);
    }
  };
}

async function send(
  call: ServiceCall,
  options: ServiceCallerOptions,
  signal: AbortSignal,
): Promise<{
  status: number;
  headers: Record<string, string | string[]>;
  body: Readable;
}> {
  const body = call.body ?? null;
  if (call.upstream !== undefined) {
    const pool = options.upstreams.get(call.upstream);
    // Validation checked the name against the configuration; a miss here is a bug.
    if (!pool) throw new Error(`invariant violated: upstream ${call.upstream} is not configured`);
    return callUpstream({
      pool,
      clock: options.clock,
      method: call.method,
      path: call.path,
      headers: call.headers,
      body,
      hashKey: call.path,
      signal,
    });
  }
  const answer = await undiciRequest(call.url!, {
    dispatcher: urlAgent,
    method: call.method as Dispatcher.HttpMethod,
    headers: call.headers,
    body,
    signal,
  });
  return {
    status: answer.statusCode,
    headers: endToEndHeaders(answer.headers) as Record<string, string | string[]>,
    body: answer.body,
  };
}
