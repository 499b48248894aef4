import type { Socket } from 'node:net';
import type { ExchangeOwner, FastExchange } from './fast-exchange.js';
import type { BodySink } from './request-body.js';
import { malformedAnswer } from './head-writer.js';
import type { HandoverReason } from './fast-handler.js';
import { parseRequestHead, type HeadLimits, type RequestHead } from './request-head.js';

export interface ClientConnectionContext {
  readonly limits: HeadLimits;
  /**
   * Idle sweeps so far (fast-server.ts counts them): a connection notes the count at each
   * sign of life, and the sweep closes those idle for `idleSweeps` sweeps. No timer is
   * refreshed per read or write, as a socket timeout would be.
   */
  readonly sweeps: number;
  /** A new exchange for a parsed head (fast/fast-handler.ts). */
  createExchange(owner: ExchangeOwner, head: RequestHead): FastExchange;
  /**
   * Runs the exchange (route, policies, forward), or returns why node:http must serve it (and
   * the rest of the connection), without any effect.
   */
  run(exchange: FastExchange): HandoverReason | undefined;
  /** Gives the socket to node:http; its unread bytes were put back on it. */
  handover(socket: Socket, reason: HandoverReason): void;
  /** Called when the connection closes or is handed over. */
  forget(connection: ClientConnection): void;
  /** An unexpected error while serving a connection (logged; the connection is dropped). */
  onInternalError(error: unknown): void;
}

/** How long a closing connection keeps reading (and dropping) what the client still sends. */
const lingerMs = 2000;

/**
 * One client connection on the fast path. Requests are served one at a time in the order they
 * arrive (RFC 9112 §9.3.2: pipelined requests are answered in order): the next head is parsed
 * only when the current response has ended and its request body was read. Bytes read ahead
 * are bounded (reading pauses), as is a body the upstream is slow to take (backpressure both
 * ways). HTTP/1.0 and `Connection: close` end the connection after the response (§9.6).
 *
 * What the fast path does not serve goes to node:http on the same socket, at a request
 * boundary with nothing in flight: the unread bytes are put back (`unshift`) and the socket is
 * emitted as a new connection of the node:http server, once.
 */
export class ClientConnection implements ExchangeOwner {
  private pending: Buffer | undefined = undefined;
  private exchange: FastExchange | undefined = undefined;
  private pumping = false;
  private closing = false;
  private handedOver = false;
  /** When the head being read began to arrive (`performance.now()`), 0 between heads. */
  private headStartedMs = 0;
  /** The sweep count when a byte last came or a response last ended. */
  private activeSweep: number;
  /**
   * `pending` lies in the shared read buffer (fast/shared-reads.ts), valid only until the read
   * is handled: whatever keeps it (the connection between reads, a body write the socket
   * queues, a handover) copies it first.
   */
  private pendingTransient = false;
  private readonly onData = (chunk: Buffer): void => {
    this.receive(chunk, false);
  };
  private readonly onClose = (): void => {
    this.closing = true;
    this.exchange?.abandon();
    this.context.forget(this);
  };
  private readonly onError = (): void => {
    this.socket.destroy();
  };

  /**
   * `sharedReads`: the socket reads into the shared buffer and its reads come to `onRead`
   * (fast/shared-reads.ts); otherwise they come as 'data' events.
   */
  constructor(
    readonly socket: Socket,
    private readonly context: ClientConnectionContext,
    sharedReads = false,
  ) {
    this.activeSweep = context.sweeps;
    socket.setNoDelay(true);
    if (!sharedReads) socket.on('data', this.onData);
    socket.on('close', this.onClose);
    socket.on('error', this.onError);
  }

  /** A read into the shared buffer (SharedReader); false stops reading until resumed. */
  onRead(data: Buffer): boolean {
    const { socket } = this;
    // Handed over: node:http reads the socket as a stream (when it does not read the handle
    // itself), so the bytes go on as a copy.
    if (this.handedOver) return socket.push(Buffer.from(data));
    this.receive(data, true);
    return !socket.isPaused();
  }

  private receive(chunk: Buffer, transient: boolean): void {
    if (this.closing) return;
    this.activeSweep = this.context.sweeps;
    // A head that trickles in (a byte now and then keeps the idle timeout away) is bounded in
    // time too, like node:http's headersTimeout.
    if (
      this.headStartedMs !== 0 &&
      performance.now() - this.headStartedMs > this.context.limits.headTimeoutMs
    ) {
      this.socket.destroy();
      return;
    }
    if (this.pending === undefined) {
      this.pending = chunk;
      this.pendingTransient = transient;
    } else this.pending = Buffer.concat([this.pending, chunk]);
    this.pump();
    if (this.pendingTransient) this.keepPending();
  }

  /** Copies `pending` out of the shared read buffer (it is about to be kept). */
  private keepPending(): Buffer | undefined {
    this.pendingTransient = false;
    if (this.pending !== undefined) this.pending = Buffer.from(this.pending);
    return this.pending;
  }

  /**
   * Closes the connection when no byte came and no response ended for `idleSweeps` sweeps
   * (node:http's keep-alive timeout). Only an idle connection times out; a request in flight
   * has upstream timeouts of its own.
   */
  sweep(idleSweeps: number): void {
    if (this.exchange === undefined && this.context.sweeps - this.activeSweep >= idleSweeps)
      this.socket.destroy();
  }

  startBody(exchange: FastExchange, sink: BodySink): void {
    if (exchange !== this.exchange) return;
    exchange.body.start(sink);
    this.pump();
  }

  resumeBody(exchange: FastExchange): void {
    if (exchange !== this.exchange || this.closing) return;
    exchange.body.blocked = false;
    this.socket.resume();
    this.pump();
  }

  exchangeDone(exchange: FastExchange): void {
    if (exchange !== this.exchange) return;
    this.exchange = undefined;
    this.activeSweep = this.context.sweeps;
    if (exchange.destroyed || this.closing) return;
    if (exchange.closeAfter || !exchange.body.done) {
      this.closeGracefully();
      return;
    }
    this.socket.resume();
    this.pump();
  }

  /** Ends the connection now (the gateway closes). */
  destroy(): void {
    this.socket.destroy();
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      this.pumpNow();
    } catch (error) {
      // A bug must not take the gateway down with every other connection: this one ends.
      this.context.onInternalError(error);
      this.socket.destroy();
    } finally {
      this.pumping = false;
    }
  }

  private pumpNow(): void {
    const { limits } = this.context;
    for (;;) {
      if (this.closing || this.handedOver || this.socket.destroyed) return;
      const exchange = this.exchange;
      if (exchange !== undefined) {
        // Body bytes go to a socket that may queue them.
        const buffer = this.pendingTransient ? this.keepPending() : this.pending;
        if (buffer !== undefined && exchange.body.wanted) {
          const end = exchange.body.consume(buffer, 0);
          // A 413 while the body was read closes the connection.
          if (this.closing || this.socket.destroyed) return;
          if (end < 0) {
            this.refuseBody(exchange);
            return;
          }
          this.pending = end < buffer.length ? buffer.subarray(end) : undefined;
          // The exchange may have ended while its body was read: go on with the next request.
          if (this.exchange !== exchange) continue;
        }
        const readAhead = this.pending?.length ?? 0;
        if (exchange.body.blocked || readAhead > limits.headBytesMax) this.socket.pause();
        return;
      }
      if (this.pending === undefined) return;
      const head = parseRequestHead(this.pending, 0, limits);
      if (head === undefined) {
        if (this.headStartedMs === 0) this.headStartedMs = performance.now();
        return;
      }
      this.headStartedMs = 0;
      if ('status' in head) {
        const message = head.status === 505 ? head.reason : `malformed request: ${head.reason}`;
        this.socket.write(malformedAnswer(head.status, message));
        this.closeGracefully();
        return;
      }
      if ('unusual' in head) {
        this.handover('unusual');
        return;
      }
      const started = this.pending;
      this.pending = head.headBytes < started.length ? started.subarray(head.headBytes) : undefined;
      const next = this.context.createExchange(this, head);
      this.exchange = next;
      const handover = this.context.run(next);
      if (handover !== undefined) {
        this.exchange = undefined;
        this.pending = started;
        this.handover(handover);
        return;
      }
    }
  }

  /** An invalid chunked body: the message cannot be framed, so the connection ends with a 400. */
  private refuseBody(exchange: FastExchange): void {
    exchange.answered = true;
    exchange.closeAfter = true;
    exchange.upstreamRequest?.destroy();
    exchange.respondError('EXO_GATEWAY_BAD_REQUEST', 'malformed request: invalid chunked body');
    this.closeGracefully();
  }

  private handover(reason: HandoverReason): void {
    this.handedOver = true;
    const { socket } = this;
    socket.off('data', this.onData);
    socket.off('close', this.onClose);
    socket.off('error', this.onError);
    socket.pause();
    const pending = this.pendingTransient ? this.keepPending() : this.pending;
    if (pending) socket.unshift(pending);
    this.pending = undefined;
    this.context.forget(this);
    this.context.handover(socket, reason);
    process.nextTick(() => socket.resume());
  }

  /**
   * Ends the connection after what was written, and keeps reading (dropping) for a while so the
   * client sees the answer rather than a reset (RFC 9112 §9.6's staged close).
   */
  private closeGracefully(): void {
    if (this.closing) return;
    this.closing = true;
    this.pending = undefined;
    const { socket } = this;
    socket.end();
    socket.resume();
    setTimeout(() => socket.destroy(), lingerMs).unref();
  }
}
