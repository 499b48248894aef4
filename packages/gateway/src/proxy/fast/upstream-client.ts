import type { Target } from '../../upstream/target.js';
import { UpstreamConnection, type ConnectionSettings } from './upstream-connection.js';

/** An upstream attempt waiting for a connection (fast/forward-attempt.ts). */
export interface ConnectionRequester {
  /** A connected connection for this request; an abandoned requester hands it back at once. */
  onConnection(connection: UpstreamConnection): void;
  onFailure(code: string, responded: boolean): void;
}

/** How often idle connections past their keep-alive limit are closed. */
const sweepIntervalMs = 1000;

/**
 * The fast path's keep-alive client for one target: at most `socketsMax` connections (open or
 * connecting), one request each at a time, idle ones reused last-in first-out (the warmest
 * socket) until the upstream's keep-alive hint runs out, and requests beyond the limit waiting
 * in order. It sits beside the target's undici Pool (which the node:http path and mediation
 * use), so a target may see up to twice `socketsMax` connections when both paths are busy.
 */
export class RawUpstreamClient {
  private readonly idle: UpstreamConnection[] = [];
  private readonly waiting: ConnectionRequester[] = [];
  /** Waiting requesters that take only a new connection (retries after a stale one). */
  private readonly freshOnly = new Set<ConnectionRequester>();
  private open = 0;
  private connecting = 0;
  private closing = false;
  private sweeper: NodeJS.Timeout | undefined = undefined;
  private readonly onConnected = (connection: UpstreamConnection): void => {
    this.connecting--;
    this.release(connection);
  };
  private readonly onClosed = (connection: UpstreamConnection, code: string): void => {
    this.open--;
    if (!connection.connected) {
      this.connecting--;
      // The connection was opened for the oldest waiting request: it learns why it failed.
      const requester = this.waiting.shift();
      if (requester) this.freshOnly.delete(requester);
      requester?.onFailure(code, false);
    } else {
      const index = this.idle.indexOf(connection);
      if (index >= 0) this.idle.splice(index, 1);
    }
    this.openForWaiting();
  };

  constructor(
    private readonly target: Target,
    private readonly settings: ConnectionSettings,
    private readonly socketsMax: number,
  ) {}

  /** Hands `requester` a connection now, or once one is free or connected. */
  acquire(requester: ConnectionRequester): void {
    const nowMs = performance.now();
    for (let connection = this.idle.pop(); connection; connection = this.idle.pop()) {
      if (connection.reusable && connection.idleUntilMs > nowMs) {
        requester.onConnection(connection);
        return;
      }
      connection.destroy();
    }
    if (this.closing) {
      requester.onFailure('ECONNRESET', false);
      return;
    }
    this.waiting.push(requester);
    this.openForWaiting();
  }

  /**
   * Hands `requester` a new connection, never one that carried a request before: the retry of
   * a request whose reused connection turned out closed (nginx retries such a request likewise).
   * It goes first in line; at the connection limit an idle connection is closed to make room.
   */
  acquireFresh(requester: ConnectionRequester): void {
    if (this.closing) {
      requester.onFailure('ECONNRESET', false);
      return;
    }
    this.waiting.unshift(requester);
    this.freshOnly.add(requester);
    if (this.open >= this.socketsMax) this.idle.shift()?.destroy();
    this.openForWaiting();
  }

  /** Gives back a connection whose request ended; one that cannot carry another is closed. */
  release(connection: UpstreamConnection): void {
    if (!connection.reusable || this.closing) {
      connection.destroy();
      return;
    }
    // A used connection goes to the first requester that takes one (a fresh-only one does not).
    const index =
      connection.served && this.freshOnly.size > 0
        ? this.waiting.findIndex((requester) => !this.freshOnly.has(requester))
        : 0;
    const next = index >= 0 ? this.waiting[index] : undefined;
    if (next) {
      this.waiting.splice(index, 1);
      this.freshOnly.delete(next);
      next.onConnection(connection);
      return;
    }
    // Only fresh-only requesters wait, with no connection on its way for them: make room.
    if (this.freshOnly.size > this.connecting && this.open >= this.socketsMax) {
      connection.destroy();
      return;
    }
    this.idle.push(connection);
    this.sweeper ??= setInterval(() => this.sweep(), sweepIntervalMs).unref();
  }

  /** Closes idle connections now and every other one when its request ends. */
  close(): void {
    this.closing = true;
    for (const connection of this.idle.splice(0)) connection.destroy();
    this.freshOnly.clear();
    for (const requester of this.waiting.splice(0)) requester.onFailure('ECONNRESET', false);
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private openForWaiting(): void {
    while (!this.closing && this.waiting.length > this.connecting && this.open < this.socketsMax) {
      this.open++;
      this.connecting++;
      new UpstreamConnection(this.target, this.settings, this.onConnected, this.onClosed);
    }
  }

  private sweep(): void {
    const nowMs = performance.now();
    for (const connection of [...this.idle])
      if (!connection.reusable || connection.idleUntilMs <= nowMs) connection.destroy();
    if (this.idle.length === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }
}
