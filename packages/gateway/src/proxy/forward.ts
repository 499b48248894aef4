import type { OutgoingHttpHeaders } from 'node:http';
import type { Clock } from '@exosphere/common';
import type { Dispatcher } from 'undici';
import type { UpstreamPool } from '../upstream/pool.js';
import type { Target } from '../upstream/target.js';
import { closedCodes, hadReadBefore } from '../upstream/connector.js';
import { canReplay, type Exchange, type ExchangeState, type UpstreamAttempt } from './exchange.js';
import { endToEndRawHeaders, headerRecord } from './headers.js';
import { respondError } from './respond.js';
import { relayedCodings } from './transfer-codings.js';
import { countBody } from './body-limit.js';
import {
  chooseTarget,
  connectCodes,
  failureKind,
  isRefusal,
  retryStatuses,
  shouldRetry,
  upstreamFailure,
} from './upstream-choice.js';

export interface ForwardContext {
  readonly clock: Clock;
  /** Counts an upstream failure by kind (connect, timeout, reset, status). */
  readonly onUpstreamError: (upstream: string, kind: string) => void;
}

/** undici's error codes in the gateway's vocabulary (metrics kinds and error mapping). */
const undiciCodes: Readonly<Record<string, string>> = {
  UND_ERR_CONNECT_TIMEOUT: 'EXO_CONNECT_TIMEOUT',
  UND_ERR_HEADERS_TIMEOUT: 'EXO_RESPONSE_TIMEOUT',
  // The connection closed under the request ("other side closed").
  UND_ERR_SOCKET: 'ECONNRESET',
  UND_ERR_CLOSED: 'ECONNRESET',
};

/**
 * Sends the exchange to a target of the route's upstream and streams the answer back: pick a
 * target, connect within `connectMs`, expect response headers within `requestMs`, retry a
 * bodiless idempotent request on another target after a connect error or a 502/503/504 (and
 * once on a new connection to the same target when a pooled one turns out closed), and feed
 * every outcome to passive health and the circuit breaker.
 *
 * The client is the target's undici Pool (upstream/pool.ts), driven through `dispatch` with
 * this module's handler: the request body is the client's IncomingMessage itself, and response
 * chunks are written straight to the client's ServerResponse with backpressure (undici's
 * parser pauses until the response drains). No Readable, promise or timer per request.
 */
export function forward(
  exchange: Exchange,
  pool: UpstreamPool,
  context: ForwardContext,
  exclude?: Target,
): void {
  const nowMs = context.clock.monotonic();
  const target = chooseTarget({ exchange, pool, nowMs, exclude });
  if (isRefusal(target)) {
    respondError(exchange.response, target.code, target.message);
    return;
  }
  const route = exchange.route!;
  const headers = exchange.upstreamHeaders;
  headers.host =
    route.preserveHost && exchange.request.headers.host
      ? exchange.request.headers.host
      : target.authority;
  // The gateway's server already answered `Expect: 100-continue`; undici refuses the field.
  if (headers.expect !== undefined) delete headers.expect;
  exchange.target = target;
  exchange.upstreamStartedMs = performance.now();
  pool.acquire(target);
  const options: Dispatcher.DispatchOptions & { servername?: string } = {
    path: exchange.upstreamPath,
    method: exchange.method as Dispatcher.HttpMethod,
    headers: headers as Record<string, string | string[]>,
    body: exchange.hasBody ? exchange.request : null,
  };
  // TLS: the certificate is checked against the target's name, never the client's Host.
  if (target.protocol === 'https:') options.servername = target.hostname;
  // Counting listens before undici does (see body-limit.ts).
  if (exchange.hasBody && exchange.bodyBytesMax !== undefined)
    countBody(exchange, exchange.bodyBytesMax);
  const attempt = new Attempt(exchange, pool, context, target, options);
  exchange.upstreamRequest = attempt;
  // A dispatch that cannot start (invalid header from a policy, closed pool) reports through
  // onError, like any other failure.
  pool.clientFor(target).dispatch(options, attempt);
}

/**
 * One attempt at one target: undici's dispatch handler, and the abort handle the exchange keeps
 * (`exchange.upstreamRequest`). Methods, not closures, so an attempt is one allocation.
 */
class Attempt implements Dispatcher.DispatchHandlers, UpstreamAttempt {
  private abort: ((error?: Error) => void) | undefined = undefined;
  private cancelled: Error | undefined = undefined;
  private resume: (() => void) | undefined = undefined;
  private status = 0;
  /** The response was relayed to the client (headers written). */
  private relaying = false;
  /** Superseded by a retry, or finished: later events are ignored. */
  private done = false;
  private released = false;
  /** Sent again on a new connection after a stale one: never a second time. */
  private fresh = false;

  constructor(
    private readonly exchange: Exchange,
    private readonly pool: UpstreamPool,
    private readonly context: ForwardContext,
    private readonly target: Target,
    private readonly options: Dispatcher.DispatchOptions,
  ) {}

  destroy(error?: Error): void {
    const reason = error ?? new Error('EXO_ABANDONED');
    if (this.abort) this.abort(reason);
    else this.cancelled = reason;
  }

  onConnect(abort: (error?: Error) => void): void {
    if (this.cancelled) abort(this.cancelled);
    else this.abort = abort;
  }

  onHeaders(status: number, raw: Buffer[], resume: () => void, statusText: string): boolean {
    if (status < 200 || this.done) return true;
    const { exchange, pool } = this;
    this.status = status;
    exchange.upstreamMs = performance.now() - exchange.upstreamStartedMs;
    if (retryStatuses.has(status)) {
      this.context.onUpstreamError(pool.name, `status_${status}`);
      if (this.retryElsewhere()) {
        // Let undici read the rest of this answer (the connection stays reusable) and try
        // another target at once.
        this.finish(false, true);
        this.done = true;
        exchange.retriesLeft--;
        forward(exchange, pool, this.context, this.target);
        return true;
      }
    }
    const { response } = exchange;
    if (response.destroyed) {
      // The client left: read the rest of the answer so the connection stays reusable.
      this.done = true;
      this.finish(true, false);
      return true;
    }
    const relayed = endToEndRawHeaders(raw);
    const codings = bodiless(exchange.method, status)
      ? undefined
      : relayedCodings(rawField(raw, 'transfer-encoding'), exchange.request.httpVersionMinor);
    if (codings?.kind === 'refuse') {
      // The answer is fine, only not for this client: undici reads the rest, which is dropped.
      this.done = true;
      this.finish(true, false);
      const message = `upstream ${pool.name} ${codings.reason}`;
      respondError(response, 'EXO_GATEWAY_BAD_GATEWAY', message, policyHeaders(exchange, {}));
      return true;
    }
    // node:http chunks the body itself when the field ends in chunked.
    if (codings?.kind === 'keep') relayed.push('transfer-encoding', codings.field);
    const route = exchange.route;
    this.relaying = true;
    this.resume = resume;
    if (route && route.policies.length > 0 && exchange.policyRequest)
      response.writeHead(status, statusText, policyHeaders(exchange, headerRecord(relayed)));
    else response.writeHead(status, statusText, relayed);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.done) return true;
    const { response } = this.exchange;
    if (response.write(chunk)) return true;
    // A destroyed response never drains; its 'close' abandons this attempt.
    if (!response.destroyed) response.once('drain', this.resume!);
    return false;
  }

  onComplete(): void {
    if (this.done) return;
    this.done = true;
    this.exchange.response.end();
    const { status } = this;
    this.finish(!retryStatuses.has(status), status >= 500);
  }

  onError(error: Error & { code?: string }): void {
    if (this.done) return;
    const { exchange, pool, context } = this;
    const { response } = exchange;
    const raw = error.code ?? 'EUNKNOWN';
    const code = undiciCodes[raw] ?? raw;
    if (this.isStale(raw, error) && !exchange.answered && !response.destroyed) {
      // A pooled connection the upstream closed as the request went out (RFC 9112 §9.3.1):
      // the request was not processed, so it goes once more on a new connection to the same
      // target, neither using up a retry nor counting against the target's health (nginx
      // gives the try back for a cached connection).
      this.fresh = true;
      this.abort = undefined;
      pool.dispatchFresh(this.target, this.options, this);
      return;
    }
    this.done = true;
    // A connection that closed before any byte of response (typically a reused keep-alive
    // socket the upstream closed meanwhile): the request was not processed, like a refused
    // connection.
    const beforeConnect =
      connectCodes.has(code) || (code === 'ECONNRESET' && this.status === 0 && !this.relaying);
    const clientGone = exchange.answered || (response.destroyed && !response.writableFinished);
    this.finish(clientGone, !clientGone);
    if (clientGone) return;
    context.onUpstreamError(pool.name, failureKind(code));
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (beforeConnect && this.retryElsewhere()) {
      exchange.retriesLeft--;
      forward(exchange, pool, context, this.target);
      return;
    }
    const failure = upstreamFailure(code, pool);
    respondError(response, failure.code, failure.message, policyHeaders(exchange, {}));
  }

  private retryElsewhere(): boolean {
    const { exchange, pool, target } = this;
    return shouldRetry({ exchange, pool, failed: target, nowMs: this.context.clock.monotonic() });
  }

  /**
   * A replayable request that failed on a reused connection closed under it (reset, or end of
   * stream) before any byte of answer, and was not sent again yet. A connection that had read
   * bytes before this request is taken as reused (connector.ts).
   */
  private isStale(code: string, error: Error): boolean {
    return (
      !this.fresh &&
      closedCodes.has(code) &&
      this.status === 0 &&
      !this.relaying &&
      canReplay(this.exchange) &&
      hadReadBefore(error)
    );
  }

  /** Passive health, breaker and in-flight accounting: exactly once per attempt. */
  private finish(success: boolean, breakerFailure: boolean): void {
    if (this.released) return;
    this.released = true;
    const { pool, target } = this;
    const endMs = this.context.clock.monotonic();
    pool.recordOutcome(target, success, endMs);
    pool.breaker?.record(!breakerFailure, endMs);
    pool.release(target);
  }
}

/** RFC 9110 §9.3.2, §15.3.5, §15.4.5: no body follows these, whatever the fields say. */
function bodiless(method: string, status: number): boolean {
  return method === 'HEAD' || status === 204 || status === 304;
}

/** A field of undici's raw response head (`[name, value, …]` as bytes), values joined. */
function rawField(raw: readonly Buffer[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const field = raw[i]!;
    if (field.length !== name.length || field.toString('latin1').toLowerCase() !== name) continue;
    const text = raw[i + 1]!.toString('latin1');
    value = value === undefined ? text : `${value}, ${text}`;
  }
  return value;
}

/** Lets each policy add its response headers (CORS, RateLimit-*), in chain order. */
export function policyHeaders(
  exchange: ExchangeState,
  headers: OutgoingHttpHeaders,
): Record<string, string | string[]> {
  const route = exchange.route;
  const target = headers as Record<string, string | string[]>;
  if (!route || route.policies.length === 0 || !exchange.policyRequest) return target;
  for (const policy of route.policies) policy.onResponseHeaders?.(exchange.policyRequest, target);
  return target;
}
