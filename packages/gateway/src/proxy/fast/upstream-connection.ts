import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { Target } from '../../upstream/target.js';
import { ChunkedDecoder } from './chunked-decoder.js';
import { parseResponseHead, type ResponseHead } from './response-head.js';

/** What one request on an upstream connection reports to (fast/forward-attempt.ts). */
export interface ResponseListener {
  onResponseHead(head: ResponseHead): void;
  /** The read that brought the head (and maybe body bytes) was handled. */
  onReadHandled(): void;
  /**
   * Returns false to pause reading from the upstream until `resume()`. `transient` bytes are
   * valid only during the call (they sit in the shared read buffer): copy them to keep them.
   */
  onResponseData(data: Buffer, transient: boolean): boolean;
  onResponseEnd(): void;
  /**
   * The exchange failed: `code` is a socket error code, 'ECONNRESET' for a connection closed
   * under the request, 'EXO_RESPONSE_TIMEOUT', or 'EXO_BAD_RESPONSE'. `responded` says whether
   * any byte of a response arrived. `stale` says the connection had carried earlier exchanges
   * and broke (reset, or closed by the upstream) before any byte of this one's response: the
   * upstream most likely closed it as idle while the request was on its way, and did not
   * process the request.
   */
  onFailure(code: string, responded: boolean, stale: boolean): void;
  /** The connection can take more request body bytes. */
  onDrain(): void;
}

export interface ConnectionSettings {
  readonly connectMs: number;
  readonly requestMs: number;
  readonly idleMs: number;
  readonly headBytesMax: number;
  readonly fieldsMax: number;
}

/**
 * One keep-alive HTTP/1.1 connection to an upstream target, carrying one request at a time (no
 * pipelining, like the undici pool it replaces on the fast path). It parses the response head
 * and delimits the body by its framing (RFC 9112 §6.3); bytes after the end of a response on a
 * connection that has no request out are a protocol error, and the connection is dropped.
 */
export class UpstreamConnection {
  readonly socket: Socket;
  /** The connection is open and may carry another request after this one. */
  reusable = false;
  connected = false;
  /** A response was read on this connection: it is a reused one for the next request. */
  served = false;
  /** Monotonic ms after which an idle connection is not used again (the upstream's hint). */
  idleUntilMs = 0;
  private listener: ResponseListener | undefined = undefined;
  private buffer: Buffer | undefined = undefined;
  private head: ResponseHead | undefined = undefined;
  private remaining = 0;
  private decoder: ChunkedDecoder | undefined = undefined;
  private bodiless = false;
  private responded = false;
  private waitingForHead = false;
  private requestSent = false;
  private headTimer: NodeJS.Timeout | undefined = undefined;
  private connectTimer: NodeJS.Timeout | undefined = undefined;
  private closed = false;
  /** How long the upstream lets this connection idle (from the last response's hint). */
  private keepAliveMs = 0;
  /** The last response's Keep-Alive value (null before the first response). */
  private lastHint: string | undefined | null = null;
  private lastHintLimitMs = 0;

  constructor(
    target: Target,
    private readonly settings: ConnectionSettings,
    private readonly onConnected: (connection: UpstreamConnection) => void,
    private readonly onClosed: (connection: UpstreamConnection, code: string) => void,
  ) {
    // Plain TCP reads go into one shared buffer (`onread`), bypassing the Readable stream
    // (no per-read allocation, push, 'data' event or read-ahead tick); each read is copied out
    // before anything keeps it. TLS sockets cannot read that way and use 'data'.
    this.socket =
      target.protocol === 'https:'
        ? connectTls({ host: target.hostname, port: target.port, servername: target.hostname })
        : connectTcp({
            host: target.hostname,
            port: target.port,
            onread: { buffer: readBuffer, callback: (bytes) => this.onRead(bytes) },
          });
    this.socket.setNoDelay(true);
    this.connectTimer = setTimeout(() => this.fail('EXO_CONNECT_TIMEOUT'), settings.connectMs);
    this.socket.once(target.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      clearTimeout(this.connectTimer);
      this.connected = true;
      this.reusable = true;
      this.onConnected(this);
    });
    if (target.protocol === 'https:')
      this.socket.on('data', (chunk: Buffer) => this.receive(chunk, false));
    this.socket.on('drain', () => this.listener?.onDrain());
    this.socket.on('error', (error: NodeJS.ErrnoException) => this.fail(error.code ?? 'EUNKNOWN'));
    this.socket.on('close', () => this.fail('ECONNRESET'));
  }

  /** Starts a request: `head` is the whole request head; the body follows through `write`. */
  begin(options: { head: string; bodiless: boolean; listener: ResponseListener }): void {
    this.listener = options.listener;
    this.bodiless = options.bodiless;
    this.responded = false;
    this.requestSent = false;
    this.head = undefined;
    this.socket.write(options.head, 'latin1');
  }

  /** Writes request body bytes; false when the socket's buffer is full (wait for onDrain). */
  write(data: Buffer | string): boolean {
    return this.socket.write(data);
  }

  /** The whole request is written: the wait for the response head starts (`requestMs`). */
  requestEnded(): void {
    this.requestSent = true;
    if (this.responded) return;
    this.waitingForHead = true;
    if (this.headTimer) this.headTimer.refresh();
    else this.headTimer = setTimeout(() => this.headTimedOut(), this.settings.requestMs).unref();
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** Drops the connection (the request was abandoned); no listener hears of it. */
  destroy(): void {
    this.listener = undefined;
    this.reusable = false;
    this.socket.destroy();
  }

  /** keepAliveLimitMs, remembered for the last hint (an upstream sends the same one each time). */
  private keepAliveLimit(hint: string | undefined): number {
    if (hint !== this.lastHint) {
      this.lastHint = hint;
      this.lastHintLimitMs = keepAliveLimitMs(hint, this.settings.idleMs);
    }
    return this.lastHintLimitMs;
  }

  private headTimedOut(): void {
    if (this.waitingForHead && !this.closed) this.fail('EXO_RESPONSE_TIMEOUT');
  }

  /** One plain TCP read of `bytes` bytes into `readBuffer`; false pauses reading. */
  private onRead(bytes: number): boolean {
    // The bytes stay in the shared buffer, which takes the next read: whatever keeps them
    // (a partial head, body bytes waiting in the client socket's write queue) copies them.
    this.receive(readBuffer.subarray(0, bytes), true);
    return !this.socket.isPaused();
  }

  private receive(chunk: Buffer, transient: boolean): void {
    const listener = this.listener;
    if (!listener) {
      // Bytes with no request out: the upstream broke the protocol; do not reuse.
      this.fail('EXO_BAD_RESPONSE');
      return;
    }
    this.responded = true;
    let data = chunk;
    if (this.buffer) {
      data = Buffer.concat([this.buffer, chunk]);
      transient = false;
    }
    this.buffer = undefined;
    let offset = 0;
    while (this.head === undefined) {
      const parsed = parseResponseHead(data, offset, {
        bodiless: this.bodiless,
        headBytesMax: this.settings.headBytesMax,
        fieldsMax: this.settings.fieldsMax,
      });
      if (parsed === undefined) {
        const rest = offset === 0 ? data : data.subarray(offset);
        this.buffer = transient ? Buffer.from(rest) : rest;
        return;
      }
      if (typeof parsed === 'string') return this.fail('EXO_BAD_RESPONSE');
      offset += parsed.headBytes;
      // 1xx answers (RFC 9110 §15.2) precede the final one; the fast path never asks for
      // 100-continue or an upgrade, so they are read and dropped.
      if (parsed.status < 200) continue;
      this.head = parsed;
      this.waitingForHead = false;
      this.reusable = this.reusable && parsed.keepAlive;
      this.remaining = parsed.bodyBytes;
      this.decoder = parsed.framing === 'chunked' ? new ChunkedDecoder() : undefined;
      this.keepAliveMs = this.keepAliveLimit(parsed.keepAliveHint);
      listener.onResponseHead(parsed);
      if (this.listener !== listener) return;
    }
    if (offset > 0) data = data.subarray(offset);
    this.relayBody(listener, data, transient);
    listener.onReadHandled();
  }

  private relayBody(listener: ResponseListener, data: Buffer, transient: boolean): void {
    const head = this.head!;
    let more = true;
    if (head.framing === 'none') {
      if (data.length > 0) return this.fail('EXO_BAD_RESPONSE');
      return this.complete(listener);
    }
    if (head.framing === 'close') {
      if (data.length > 0 && !listener.onResponseData(data, transient)) this.socket.pause();
      return;
    }
    if (head.framing === 'length') {
      if (data.length > this.remaining) return this.fail('EXO_BAD_RESPONSE');
      this.remaining -= data.length;
      if (data.length > 0) more = listener.onResponseData(data, transient);
      if (this.remaining === 0) return this.complete(listener);
      if (!more) this.socket.pause();
      return;
    }
    const decoder = this.decoder!;
    const end = decoder.feed(data, 0, (piece) => {
      if (!listener.onResponseData(piece, transient)) more = false;
    });
    if (end < 0 || (decoder.done && end < data.length)) return this.fail('EXO_BAD_RESPONSE');
    if (decoder.done) return this.complete(listener);
    if (!more) this.socket.pause();
  }

  private complete(listener: ResponseListener): void {
    this.listener = undefined;
    this.head = undefined;
    this.decoder = undefined;
    this.served = true;
    // A response that ended before its request did leaves the connection mid-message.
    if (!this.requestSent) this.reusable = false;
    this.idleUntilMs = performance.now() + this.keepAliveMs;
    listener.onResponseEnd();
  }

  private fail(code: string): void {
    const listener = this.listener;
    this.listener = undefined;
    this.reusable = false;
    this.waitingForHead = false;
    if (!this.closed) {
      this.closed = true;
      clearTimeout(this.connectTimer);
      clearTimeout(this.headTimer);
      this.socket.destroy();
      this.onClosed(this, code);
    }
    // A response read until the connection closes ends with the close.
    if (listener && code === 'ECONNRESET' && this.head?.framing === 'close') {
      listener.onResponseEnd();
      return;
    }
    const stale = this.served && !this.responded && staleCodes.has(code);
    listener?.onFailure(code, this.responded, stale);
  }
}

/** How a connection the upstream closed shows: reset or end of stream ('ECONNRESET'), EPIPE. */
const staleCodes: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE']);

/** Where every plain upstream connection reads (one read at a time: the event loop is single). */
const readBuffer = Buffer.allocUnsafe(64 * 1024);

/**
 * How long an idle connection may be reused: the upstream's `Keep-Alive: timeout=N` hint
 * (RFC 9112 Appendix C.2.2 keeps it informative) less a second for the race with its closing,
 * or `idleMs`, whichever is shorter.
 */
function keepAliveLimitMs(hint: string | undefined, idleMs: number): number {
  let limitMs = idleMs;
  if (hint === undefined) return limitMs;
  for (const match of hint.matchAll(/timeout\s*=\s*(\d+)/gi))
    limitMs = Math.min(limitMs, Number(match[1]) * 1000 - 1000);
  return limitMs;
}
