import type { Socket } from 'node:net';
import { buildConnector } from 'undici';

/** undici's and the socket's codes for a connection closed under a request. */
export const closedCodes: ReadonlySet<string> = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/** An error raised by an upstream socket, with what the socket had read when it failed. */
interface ReadCountedError extends Error {
  /** Set by undici on its SocketError ("other side closed", "closed"). */
  socket?: { bytesRead?: number };
  /** Set by `countingConnector` on errors the socket itself raised (a reset, EPIPE). */
  socketBytesRead?: number;
}

/**
 * undici's connector (a `connectMs` bound on the TCP and TLS handshakes, as its default one),
 * whose sockets note on each error they raise how many bytes they had read. With undici's own
 * socket errors, which carry the socket's counters, that tells a request that failed on a
 * connection that had carried earlier answers from one that failed on a new connection
 * (`hadReadBefore`), which undici's handler does not learn otherwise.
 */
export function countingConnector(connectMs: number): buildConnector.connector {
  const connect = buildConnector({ timeout: connectMs });
  return (options, callback) => {
    connect(options, (...args) => {
      const socket = args[1];
      if (socket) socket.prependListener('error', noteBytesRead);
      callback(...args);
    });
  };
}

function noteBytesRead(this: Socket, error: ReadCountedError): void {
  error.socketBytesRead ??= this.bytesRead;
}

/**
 * Whether the connection that raised `error` had read bytes before it failed: for a request
 * that got no response head, bytes of earlier answers (or, rarely, the start of a head that
 * never ended).
 */
export function hadReadBefore(error: Error): boolean {
  const counted = error as ReadCountedError;
  return (counted.socket?.bytesRead ?? counted.socketBytesRead ?? 0) > 0;
}
