import type {
  IncomingHttpHeaders,
  IncomingMessage,
  OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import type { PolicyRequest } from '../policies/policy.js';
import type { Target } from '../upstream/target.js';
import type { CompiledRoute } from './runtime.js';

/** The attempt in flight upstream, as far as the rest of the data plane needs it. */
export interface UpstreamAttempt {
  /** Abandons the attempt (the client left, or its body broke a limit). */
  destroy(error?: Error): void;
}

/** What the data plane reads of a client request, on either path (node:http or fast/). */
export interface RequestView {
  readonly headers: IncomingHttpHeaders;
  readonly socket: Socket;
}

/** What completion (metrics, access log, analytics) reads of the response to the client. */
export interface ResponseView {
  readonly statusCode: number;
  readonly headersSent: boolean;
  readonly writableFinished: boolean;
  readonly destroyed: boolean;
  getHeader(name: string): number | string | string[] | undefined;
}

/**
 * One client request on its way through the gateway, as both data paths share it: routing,
 * the policy chain, balancing and retries, and completion read only this.
 */
export interface ExchangeState {
  readonly request: RequestView;
  readonly response: ResponseView;
  readonly method: string;
  /** Path as received (normalised), without the query. */
  readonly path: string;
  readonly startedMs: number;
  readonly traceId: string;
  route: CompiledRoute | undefined;
  /** Path and query sent upstream. */
  upstreamPath: string;
  /**
   * Request fields for the upstream: on the node:http path every field sent; on the fast path
   * only those policies set (the client's own lines are relayed as received, fast/README.md).
   */
  upstreamHeaders: OutgoingHttpHeaders;
  hasBody: boolean;
  retriesLeft: number;
  target: Target | undefined;
  upstreamRequest: UpstreamAttempt | undefined;
  upstreamStartedMs: number;
  upstreamMs: number;
  policyRequest: PolicyRequest | undefined;
  /** Set for a body without Content-Length: counted while it streams. */
  bodyBytesMax: number | undefined;
  /** The gateway answered the client itself (an error); later upstream events are ignored. */
  answered: boolean;
  /** The client response ended or closed, and `onComplete` ran. */
  completed: boolean;
}

/** One client request on the node:http path: the only per-request state object. */
export interface Exchange extends ExchangeState {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  /** Called once when the response to the client ends (or the client goes away). */
  readonly onComplete: (exchange: Exchange) => void;
}

/** RFC 9110 §9.2.2: methods whose repetition has the same intended effect. */
const idempotent = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/** Only bodiless idempotent requests are sent again: a streamed body cannot be replayed. */
export function canReplay(exchange: ExchangeState): boolean {
  return !exchange.hasBody && idempotent.has(exchange.method);
}

/** Whether a failed request may go to another target: replayable, with retries left. */
export function canRetry(exchange: ExchangeState): boolean {
  return exchange.retriesLeft > 0 && canReplay(exchange);
}
