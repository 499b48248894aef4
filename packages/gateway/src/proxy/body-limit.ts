import type { Exchange } from './exchange.js';
import { respondError } from './respond.js';

/**
 * Counts a body sent without Content-Length (chunked, RFC 9112 §7.1) while it streams upstream
 * and cuts it off when it crosses the limit: the upstream request is dropped and the client gets
 * a 413 with `Connection: close`, since the rest of its body will not be read.
 */
export function countBody(exchange: Exchange, bodyBytesMax: number): void {
  const { request } = exchange;
  // Paused first, so that this listener does not start the flow before undici (which resumes
  // the body when it starts sending it) listens too: no chunk may go past it unsent.
  request.pause();
  let received = 0;
  const count = (chunk: Buffer): void => {
    received += chunk.length;
    if (received <= bodyBytesMax) return;
    request.off('data', count);
    exchange.answered = true;
    respondError(
      exchange.response,
      'EXO_GATEWAY_BODY_TOO_LARGE',
      `request body exceeds ${bodyBytesMax} bytes`,
      {
        connection: 'close',
      },
    );
    exchange.upstreamRequest?.destroy();
  };
  request.on('data', count);
}
