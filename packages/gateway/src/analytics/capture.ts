import type { Socket } from 'node:net';
import type { ExchangeState } from '../proxy/exchange.js';
import type { CallSlot } from './call-record.js';

/** Request attribute where the proxy leaves the code of a policy's rejection (for analytics). */
export const rejectionCodeAttribute = 'rejectionCode';

const bytesSeen = Symbol('exo.analytics.bytes');
type CountedSocket = Socket & { [bytesSeen]?: { read: number; written: number } };

/**
 * Copies what analytics needs from a completed exchange into a queue slot: field reads and
 * two socket counters, no allocation after a connection's first call, nothing derived (the
 * drain computes the operation and the error code).
 *
 * Bytes are the socket's counters since the previous call completed on the same connection:
 * HTTP/1.1 answers a connection's requests in order, so the difference is this exchange's head
 * and body (with pipelining, reads ahead of the next request count for the current one).
 */
export function captureCall(slot: CallSlot, exchange: ExchangeState, options: CaptureClock): void {
  const { request, response } = exchange;
  const socket = request.socket as CountedSocket | null;
  slot.timestampMs = options.wallMs;
  slot.route = exchange.route;
  slot.method = exchange.method;
  slot.path = exchange.path;
  const policyRequest = exchange.policyRequest;
  if (policyRequest) {
    slot.api = policyRequest.apiName;
    const application = policyRequest.attributes.get('application');
    slot.application = typeof application === 'string' ? application : undefined;
    const rejection = policyRequest.attributes.get(rejectionCodeAttribute);
    slot.rejectionCode = typeof rejection === 'string' ? rejection : undefined;
  }
  slot.status = response.statusCode;
  slot.headersSent = response.headersSent;
  slot.latencyMs = options.monotonicMs - exchange.startedMs;
  slot.upstreamLatencyMs = exchange.upstreamMs;
  slot.clientIp = socket?.remoteAddress ?? '';
  slot.traceId = exchange.traceId;
  if (socket) {
    const read = socket.bytesRead;
    const written = socket.bytesWritten;
    let seen = socket[bytesSeen];
    if (seen === undefined) {
      seen = { read: 0, written: 0 };
      socket[bytesSeen] = seen;
    }
    slot.requestBytes = read - seen.read;
    slot.responseBytes = written - seen.written;
    seen.read = read;
    seen.written = written;
  } else {
    slot.requestBytes = 0;
    slot.responseBytes = 0;
  }
}

export interface CaptureClock {
  /** Epoch milliseconds now. */
  readonly wallMs: number;
  /** `performance.now()` now, the clock of `exchange.startedMs`. */
  readonly monotonicMs: number;
}
