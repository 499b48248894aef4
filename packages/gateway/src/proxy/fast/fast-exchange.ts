import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { GatewayErrors, type GatewayErrorCode } from '../../errors.js';
import type { PolicyRequest } from '../../policies/policy.js';
import type { Target } from '../../upstream/target.js';
import type { ExchangeState, RequestView, ResponseView, UpstreamAttempt } from '../exchange.js';
import type { CompiledRoute } from '../runtime.js';
import { currentDate, fieldLines, statusLine, type FieldValue } from './head-writer.js';
import type { RequestHead } from './request-head.js';
import { RequestBody, type BodySink } from './request-body.js';
import type { ResponseFraming, ResponseHead } from './response-head.js';
import { withoutFields } from './field-lines.js';
import type { PolicyLines } from './policy-lines.js';
import { relayedCodings } from '../transfer-codings.js';

/** What an exchange needs of its client connection (fast/client-connection.ts). */
export interface ExchangeOwner {
  readonly socket: Socket;
  /** The response ended (or the exchange was abandoned): the next request may start. */
  exchangeDone(exchange: FastExchange): void;
  /** The upstream request is under way: body bytes go to `sink` from now on. */
  startBody(exchange: FastExchange, sink: BodySink): void;
  /** The upstream drained: reading the request body goes on. */
  resumeBody(exchange: FastExchange): void;
}

/**
 * One request on the fast path: the state both data paths share (`ExchangeState`, read by the
 * policy chain, balancing, metrics, access log and analytics), the request body's framing, and
 * the writer of the response to the client. It is its own `request` and `response` view, so
 * one object serves the request.
 */
export class FastExchange implements ExchangeState, RequestView, ResponseView {
  readonly headers: IncomingHttpHeaders;
  readonly method: string;
  readonly startedMs = performance.now();
  /** The request target's query (`?…` or ''), or undefined when the target is not a path. */
  query: string | undefined = undefined;
  route: CompiledRoute | undefined = undefined;
  upstreamPath = '';
  upstreamHeaders: OutgoingHttpHeaders = {};
  hasBody: boolean;
  retriesLeft = 0;
  target: Target | undefined = undefined;
  upstreamRequest: UpstreamAttempt | undefined = undefined;
  upstreamStartedMs = 0;
  upstreamMs = -1;
  policyRequest: PolicyRequest | undefined = undefined;
  answered = false;
  completed = false;
  // ResponseView
  statusCode = 200;
  headersSent = false;
  writableFinished = false;
  destroyed = false;
  private contentLength: number | undefined = undefined;
  private pendingHead: string | undefined = undefined;
  private chunkedResponse = false;
  /** The Transfer-Encoding of a chunked response, when the upstream applied other codings. */
  private transferCodings: string | undefined = undefined;
  /** The response has no body (HEAD, 204, 304): body bytes are not written. */
  private bodiless = false;
  /** The connection closes after this response (the client asked, or framing requires it). */
  closeAfter: boolean;
  /** The request body, as the client connection feeds it. */
  readonly body: RequestBody;
  /** Metrics, access log and analytics, once the exchange is served by the fast path. */
  onComplete: (exchange: ExchangeState) => void = ignore;

  constructor(
    readonly owner: ExchangeOwner,
    readonly head: RequestHead,
    readonly path: string,
    readonly traceId: string,
    /** The traceparent sent upstream (this hop's span). */
    readonly traceparent: string,
  ) {
    this.headers = head.headers;
    this.method = head.method;
    this.closeAfter = !head.keepAlive;
    this.hasBody = head.framing.kind !== 'none';
    this.body = new RequestBody(head.framing, (bytesMax) => this.bodyTooLarge(bytesMax));
  }

  /** `limits.bodyBytesMax` for a body without Content-Length (see ExchangeState). */
  get bodyBytesMax(): number | undefined {
    return this.body.bytesMax;
  }

  set bodyBytesMax(bytesMax: number | undefined) {
    this.body.bytesMax = bytesMax;
  }

  get request(): RequestView {
    return this;
  }

  get response(): ResponseView {
    return this;
  }

  get socket(): Socket {
    return this.owner.socket;
  }

  getHeader(name: string): number | undefined {
    return name === 'content-length' ? this.contentLength : undefined;
  }

  /** 413 and close, like body-limit.ts on the node:http path: the rest is not read. */
  private bodyTooLarge(bytesMax: number): void {
    if (this.answered) return;
    this.answered = true;
    this.respondError('EXO_GATEWAY_BODY_TOO_LARGE', `request body exceeds ${bytesMax} bytes`, {
      connection: 'close',
    });
    this.upstreamRequest?.destroy();
  }

  /**
   * Writes the head of the gateway's own answer. `framing` is 'length' for the gateway's own
   * answers; `fields` are checked for CR, LF and NUL.
   */
  writeHead(status: number, statusText: string, fields: FieldList, framing: ResponseFraming): void {
    if (this.headersSent || this.destroyed) return;
    const bodied = this.startHead(status, framing);
    let head = statusLine(status, statusText);
    let hasDate = false;
    for (let index = 0; index + 1 < fields.length; index += 2) {
      const name = fields[index] as string;
      const value = fields[index + 1];
      if (name === 'date') hasDate = true;
      else if (name === 'connection') continue;
      else if (name === 'content-length') {
        // RFC 9112 §6.3 item 3: with Transfer-Encoding, Content-Length is not the length.
        if (bodied) continue;
        this.contentLength = Number(value);
      }
      const line = fieldLines(name, value);
      if (line === undefined) {
        this.abandon();
        return;
      }
      head += line;
    }
    this.endHead(status, head, hasDate, bodied);
  }

  /**
   * Writes the head of an upstream's answer: its relayed field lines (validated by the parser,
   * hop-by-hop ones removed), then the fields policies set — `policyLines` as given
   * (fast/policy-lines.ts), or `extra` (lower-case names) checked for CR, LF and NUL — which
   * replace the upstream's fields of the same names.
   * A body without a length goes chunked to an HTTP/1.1 client and until close to an HTTP/1.0
   * one (RFC 9112 §6.1, §9.3).
   */
  relayHead(
    upstream: ResponseHead,
    extra: Readonly<Record<string, FieldValue>> | undefined,
    policyLines?: PolicyLines,
  ): void {
    if (this.headersSent || this.destroyed) return;
    const { status } = upstream;
    const bodied = this.startHead(status, upstream.framing);
    if (upstream.framing === 'length') this.contentLength = upstream.bodyBytes;
    let relayed = upstream.relay;
    let names: string[] | undefined;
    for (const name in extra) (names ??= []).push(name);
    // A policy's field replaces the upstream's of the same name (as on the node:http path).
    if (names !== undefined) relayed = withoutFields(relayed, names);
    if (policyLines !== undefined && policyLines.lines !== '')
      relayed = withoutFields(relayed, policyLines.names) + policyLines.lines;
    let head = statusLine(status, upstream.statusText) + relayed;
    for (const name in extra) {
      const line = fieldLines(name, extra[name]);
      if (line === undefined) {
        this.abandon();
        return;
      }
      head += line;
    }
    this.endHead(status, head, upstream.hasDate, bodied);
  }

  /**
   * Why the upstream's answer cannot reach this client as it is coded, or undefined; notes
   * the Transfer-Encoding a relayed head then carries (../transfer-codings.ts).
   */
  refusedCodings(upstream: ResponseHead): string | undefined {
    if (upstream.transferEncoding === undefined || this.isBodiless(upstream.status)) return;
    const codings = relayedCodings(upstream.transferEncoding, this.head.versionMinor);
    if (codings.kind === 'refuse') return codings.reason;
    if (codings.kind === 'keep') this.transferCodings = codings.field;
    return undefined;
  }

  /** RFC 9110 §9.3.2, §15.3.5, §15.4.5: no body follows these, whatever the fields say. */
  private isBodiless(status: number): boolean {
    return this.method === 'HEAD' || status === 204 || status === 304 || status < 200;
  }

  /** Whether a body follows whose length the head does not give. */
  private startHead(status: number, framing: ResponseFraming): boolean {
    this.bodiless = this.isBodiless(status);
    return !this.bodiless && (framing === 'chunked' || framing === 'close');
  }

  private endHead(status: number, fields: string, hasDate: boolean, bodied: boolean): void {
    let head = fields;
    if (!hasDate) head += `date: ${currentDate()}\r\n`;
    // A body nobody reads (the gateway answered itself) cannot be skipped safely: close.
    if (!this.body.done && !this.body.started) this.closeAfter = true;
    if (bodied && this.head.versionMinor === 1) {
      this.chunkedResponse = true;
      const codings = this.transferCodings;
      head +=
        codings === undefined
          ? 'transfer-encoding: chunked\r\n'
          : `transfer-encoding: ${codings}\r\n`;
    } else if (bodied) this.closeAfter = true;
    if (this.closeAfter) head += 'connection: close\r\n';
    else if (this.head.versionMinor === 0) head += 'connection: keep-alive\r\n';
    this.statusCode = status;
    this.headersSent = true;
    // The head waits for the body bytes that come with it, to leave in one write (one system
    // call, as node:http's ServerResponse does with cork): the gateway's own answers end at
    // once, and a relayed head is flushed when the upstream read that brought it is handled
    // (`flushHead` from fast/forward-attempt.ts), with its first body bytes if any came.
    this.pendingHead = head + '\r\n';
  }

  /** Writes the head now if it still waits for body bytes. */
  flushHead(): void {
    const head = this.pendingHead;
    if (head === undefined) return;
    this.pendingHead = undefined;
    if (!this.destroyed) this.owner.socket.write(head, 'latin1');
  }

  /** `data` behind the head that waits for it, as one buffer (a copy of the body bytes). */
  private withHead(data: Buffer | string): Buffer | string {
    const head = this.pendingHead;
    if (head === undefined) return data;
    this.pendingHead = undefined;
    const body = typeof data === 'string' ? Buffer.from(data) : data;
    // latin1: one byte per character.
    const headBytes = head.length;
    const joined = Buffer.allocUnsafe(headBytes + body.length);
    joined.write(head, 0, 'latin1');
    body.copy(joined, headBytes);
    return joined;
  }

  /**
   * Writes body bytes; false when the client's socket buffer is full (wait for drain).
   * `transient` bytes are valid only during the call: the socket gets a copy (joined with a
   * waiting head, or alone), since it keeps what it could not send at once.
   */
  write(data: Buffer, transient = false): boolean {
    if (this.destroyed || this.bodiless || data.length === 0) return true;
    const { socket } = this.owner;
    if (!this.chunkedResponse) {
      if (this.pendingHead !== undefined) return socket.write(this.withHead(data));
      return socket.write(transient ? Buffer.from(data) : data);
    }
    socket.cork();
    this.flushHead();
    socket.write(`${data.length.toString(16)}\r\n`, 'latin1');
    socket.write(transient ? Buffer.from(data) : data);
    const more = socket.write('\r\n', 'latin1');
    socket.uncork();
    return more;
  }

  end(data?: string): void {
    if (this.destroyed || this.writableFinished) return;
    const { socket } = this.owner;
    if (data !== undefined && !this.chunkedResponse && !this.bodiless)
      socket.write(this.withHead(data));
    this.flushHead();
    if (this.chunkedResponse) socket.write('0\r\n\r\n', 'latin1');
    this.writableFinished = true;
    this.complete();
  }

  /** A JSON error `{code, message}` as respond.ts writes it, or a cut-off message if too late. */
  respondError(
    code: GatewayErrorCode | { status: number; code: string },
    message: string,
    extraHeaders?: Readonly<Record<string, string | string[]>>,
  ): void {
    if (this.headersSent || this.destroyed) {
      this.abandon();
      return;
    }
    const status = typeof code === 'string' ? GatewayErrors[code].status : code.status;
    const name = typeof code === 'string' ? code : code.code;
    const body = JSON.stringify({ code: name, message });
    const fields: FieldList = [];
    for (const field in extraHeaders) fields.push(field.toLowerCase(), extraHeaders[field]);
    if (extraHeaders?.connection === 'close') this.closeAfter = true;
    fields.push('content-type', 'application/json; charset=utf-8');
    fields.push('content-length', Buffer.byteLength(body));
    this.writeHead(status, '', fields, 'length');
    this.end(body);
  }

  /** An answer of the gateway itself (a policy's `respond`, e.g. a CORS preflight). */
  respond(status: number, headers: Readonly<Record<string, string>>, body: string): void {
    const fields: FieldList = [];
    for (const name in headers) fields.push(name.toLowerCase(), headers[name]);
    fields.push('content-length', Buffer.byteLength(body));
    this.writeHead(status, '', fields, 'length');
    this.end(body);
  }

  /** Cuts the exchange short: the client connection closes (nothing honest is left to send). */
  abandon(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.upstreamRequest?.destroy();
    this.owner.socket.destroy();
    this.complete();
  }

  private complete(): void {
    if (this.completed) return;
    this.completed = true;
    this.onComplete(this);
    this.owner.exchangeDone(this);
  }
}

/** `[name, value, …]` with lower-case names. */
export type FieldList = Array<string | FieldValue>;

function ignore(): void {}
