import type { UpstreamPool } from '../../upstream/pool.js';
import type { Target } from '../../upstream/target.js';
import { canReplay, type UpstreamAttempt } from '../exchange.js';
import type { ForwardContext } from '../forward.js';
import { policyHeaders } from '../forward.js';
import {
  chooseTarget,
  connectCodes,
  failureKind,
  isRefusal,
  retryStatuses,
  shouldRetry,
  upstreamFailure,
} from '../upstream-choice.js';
import type { FastExchange } from './fast-exchange.js';
import type { BodySink } from './request-body.js';
import { removedFields } from '../policy-chain.js';
import { withoutFields } from './field-lines.js';
import { fieldLines } from './head-writer.js';
import { policyFieldLines } from './policy-lines.js';
import type { ResponseHead } from './response-head.js';
import type { ConnectionRequester } from './upstream-client.js';
import type { ResponseListener, UpstreamConnection } from './upstream-connection.js';

/**
 * forward.ts for the fast path: the same target choice, breaker, retries (bodiless idempotent
 * requests, after a connect error or a 502/503/504; once more on a new connection after a
 * stale one), passive health and error answers, over the target's raw keep-alive client
 * instead of undici.
 */
export function forwardFast(
  exchange: FastExchange,
  pool: UpstreamPool,
  context: ForwardContext,
  exclude?: Target,
): void {
  const target = chooseTarget({ exchange, pool, nowMs: context.clock.monotonic(), exclude });
  if (isRefusal(target)) {
    exchange.respondError(target.code, target.message);
    return;
  }
  exchange.target = target;
  exchange.upstreamStartedMs = performance.now();
  pool.acquire(target);
  const attempt = new FastAttempt(exchange, pool, context, target);
  exchange.upstreamRequest = attempt;
  pool.rawClientFor(target).acquire(attempt);
}

/** One attempt at one target: waits for a connection, sends, relays the answer. */
class FastAttempt implements ConnectionRequester, ResponseListener, BodySink, UpstreamAttempt {
  private connection: UpstreamConnection | undefined = undefined;
  private status = 0;
  /** Superseded by a retry, abandoned or finished: the rest of the answer is dropped. */
  private done = false;
  private abandoned = false;
  private released = false;
  private waitingForDrain = false;
  private readonly resumeUpstream = (): void => {
    this.waitingForDrain = false;
    if (!this.done) this.connection?.resume();
  };

  constructor(
    private readonly exchange: FastExchange,
    private readonly pool: UpstreamPool,
    private readonly context: ForwardContext,
    private readonly target: Target,
  ) {}

  onConnection(connection: UpstreamConnection): void {
    const client = this.pool.rawClientFor(this.target);
    if (this.abandoned) {
      client.release(connection);
      return;
    }
    this.connection = connection;
    const head = requestHead(this.exchange, this.target);
    if (head === undefined) {
      client.release(connection);
      this.connection = undefined;
      this.onFailure('EXO_INVALID_HEADER', false);
      return;
    }
    connection.begin({ head, bodiless: this.exchange.method === 'HEAD', listener: this });
    if (!this.exchange.hasBody) connection.requestEnded();
    else this.exchange.owner.startBody(this.exchange, this);
  }

  writeBody(data: Buffer): boolean {
    const connection = this.connection;
    if (!connection || this.abandoned) return true;
    if (this.exchange.head.framing.kind !== 'chunked') return connection.write(data);
    // The body was decoded (fast/chunked-decoder.ts) and is coded again chunk by chunk.
    const { socket } = connection;
    socket.cork();
    socket.write(`${data.length.toString(16)}\r\n`, 'latin1');
    socket.write(data);
    const more = socket.write('\r\n', 'latin1');
    socket.uncork();
    return more;
  }

  endBody(): void {
    if (!this.connection || this.abandoned) return;
    if (this.exchange.head.framing.kind === 'chunked') this.connection.write('0\r\n\r\n');
    this.connection.requestEnded();
  }

  onDrain(): void {
    this.exchange.owner.resumeBody(this.exchange);
  }

  destroy(): void {
    if (this.abandoned) return;
    this.abandoned = true;
    this.done = true;
    // Mid-message: the connection cannot be reused.
    this.connection?.destroy();
    this.finish(true, false);
  }

  onResponseHead(head: ResponseHead): void {
    const { exchange, pool } = this;
    this.status = head.status;
    exchange.upstreamMs = performance.now() - exchange.upstreamStartedMs;
    if (retryStatuses.has(head.status)) {
      this.context.onUpstreamError(pool.name, `status_${head.status}`);
      if (this.retryElsewhere()) {
        // The rest of this answer is read and dropped (the connection stays reusable), and
        // another target is tried at once.
        this.finish(false, true);
        this.done = true;
        exchange.retriesLeft--;
        forwardFast(exchange, pool, this.context, this.target);
        return;
      }
    }
    if (exchange.destroyed || exchange.answered) {
      this.done = true;
      this.finish(true, false);
      return;
    }
    const refused = exchange.refusedCodings(head);
    if (refused !== undefined) {
      // The answer is fine, only not for this client: the rest is read and dropped.
      this.done = true;
      this.finish(true, false);
      const message = `upstream ${pool.name} ${refused}`;
      exchange.respondError('EXO_GATEWAY_BAD_GATEWAY', message, policyHeaders(exchange, {}));
      return;
    }
    const route = exchange.route;
    const request = exchange.policyRequest;
    if (route === undefined || route.policies.length === 0 || request === undefined) {
      exchange.relayHead(head, undefined);
      return;
    }
    // Policies' fields as lines when they all offer them; else through a record.
    const lines = policyFieldLines(route.policies, request);
    if (lines !== undefined) exchange.relayHead(head, undefined, lines);
    else exchange.relayHead(head, policyHeaders(exchange, {}));
  }

  onReadHandled(): void {
    // The head leaves with the body bytes of the same read, or alone when none came.
    if (!this.done) this.exchange.flushHead();
  }

  onResponseData(data: Buffer, transient: boolean): boolean {
    if (this.done) return true;
    const { exchange } = this;
    if (exchange.write(data, transient)) return true;
    if (!exchange.destroyed && !this.waitingForDrain) {
      this.waitingForDrain = true;
      exchange.socket.once('drain', this.resumeUpstream);
    }
    return false;
  }

  onResponseEnd(): void {
    const connection = this.connection;
    this.connection = undefined;
    if (connection) this.pool.rawClientFor(this.target).release(connection);
    if (this.done) return;
    this.done = true;
    this.exchange.end();
    this.finish(!retryStatuses.has(this.status), this.status >= 500);
  }

  onFailure(code: string, responded: boolean, stale = false): void {
    this.connection = undefined;
    if (this.done) return;
    const { exchange, pool, context } = this;
    if (stale && !exchange.answered && !exchange.destroyed && canReplay(exchange)) {
      // A reused connection the upstream closed as the request went out (RFC 9112 §9.3.1): the
      // request was not processed, so it goes once more on a new connection to the same
      // target, neither using up a retry nor counting against the target's health (nginx
      // gives the try back for a cached connection). A new connection is never stale again.
      pool.rawClientFor(this.target).acquireFresh(this);
      return;
    }
    this.done = true;
    // A connection that closed before any byte of response (a reused keep-alive socket the
    // upstream closed meanwhile): the request was not processed, like a refused connection.
    const beforeConnect = connectCodes.has(code) || (code === 'ECONNRESET' && !responded);
    const clientGone = exchange.answered || exchange.destroyed;
    this.finish(clientGone, !clientGone);
    if (clientGone) return;
    context.onUpstreamError(pool.name, failureKind(code));
    if (exchange.headersSent) {
      exchange.abandon();
      return;
    }
    if (beforeConnect && this.retryElsewhere()) {
      exchange.retriesLeft--;
      forwardFast(exchange, pool, context, this.target);
      return;
    }
    const failure = upstreamFailure(code, pool);
    exchange.respondError(failure.code, failure.message, policyHeaders(exchange, {}));
  }

  private retryElsewhere(): boolean {
    const { exchange, pool, target } = this;
    return shouldRetry({ exchange, pool, failed: target, nowMs: this.context.clock.monotonic() });
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

/**
 * The upstream request head, or undefined when a field set by a policy could split it: the
 * client's field lines as received (hop-by-hop ones and those the gateway writes removed, by
 * the parser), less those policies removed or set, then Host (the target's authority, or the
 * client's with `preserveHost`), X-Forwarded-For (the client address appended to any list the
 * client sent), X-Forwarded-Proto and X-Forwarded-Host (the de-facto fields; RFC 7239 Forwarded
 * is their standard form), the W3C traceparent of this hop, and the fields policies set.
 */
function requestHead(exchange: FastExchange, target: Target): string | undefined {
  const { headers } = exchange;
  const edits = exchange.upstreamHeaders;
  const removed = exchange.policyRequest ? removedFields(exchange.policyRequest) : undefined;
  let replaced: string[] | undefined;
  for (const name in edits) (replaced ??= []).push(name);
  const dropped = replaced === undefined ? removed : removed ? [...removed, ...replaced] : replaced;
  let head = `${exchange.method} ${exchange.upstreamPath} HTTP/1.1\r\n`;
  head += dropped === undefined ? exchange.head.relay : withoutFields(exchange.head.relay, dropped);
  const host = exchange.route!.preserveHost && headers.host ? headers.host : target.authority;
  head += `host: ${host}\r\n`;
  if (!isIn(dropped, 'x-forwarded-for')) {
    const forwardedFor = headers['x-forwarded-for']?.toString();
    const client = exchange.socket.remoteAddress ?? '';
    head += `x-forwarded-for: ${forwardedFor ? `${forwardedFor}, ${client}` : client}\r\n`;
  }
  if (!isIn(dropped, 'x-forwarded-proto')) head += 'x-forwarded-proto: http\r\n';
  const forwardedHost = headers.host ?? headers['x-forwarded-host'];
  if (forwardedHost !== undefined && !isIn(dropped, 'x-forwarded-host'))
    head += `x-forwarded-host: ${forwardedHost.toString()}\r\n`;
  if (!isIn(dropped, 'traceparent')) head += `traceparent: ${exchange.traceparent}\r\n`;
  for (const name in edits) {
    // The gateway's Host stands, and no Expect goes upstream (node:http serves 100-continue).
    if (name === 'host' || name === 'expect') continue;
    const lines = fieldLines(name, edits[name]);
    if (lines === undefined) return undefined;
    head += lines;
  }
  if (exchange.head.framing.kind === 'chunked') head += 'transfer-encoding: chunked\r\n';
  return head + '\r\n';
}

function isIn(names: readonly string[] | undefined, name: string): boolean {
  return names !== undefined && names.includes(name);
}
