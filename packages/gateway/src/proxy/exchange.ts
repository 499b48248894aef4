import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { PolicyRequest } from '../policies/policy.js';
import type { Target } from '../upstream/target.js';
import type { CompiledRoute } from './runtime.js';

/** The attempt in flight upstream, as far as the rest of the data plane needs it. */
export interface UpstreamAttempt {
  /** Abandons the attempt (the client left, or its body broke a limit). */
  destroy(error?: Error): void;
}

/** One client request on its way through the gateway: the only per-request state object. */
export interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly method: string;
  /** Path as received (normalised), without the query. */
  readonly path: string;
  readonly startedMs: number;
  readonly traceId: string;
  route: CompiledRoute | undefined;
  /** Path and query sent upstream. */
  upstreamPath: string;
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
  /** Called once when the response to the client ends (or the client goes away). */
  readonly onComplete: (exchange: Exchange) => void;
}

/** RFC 9110 §9.2.2: methods whose repetition has the same intended effect. */
const idempotent = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/** Only bodiless idempotent requests are retried: a streamed body cannot be replayed. */
export function canRetry(exchange: Exchange): boolean {
  return exchange.retriesLeft > 0 && !exchange.hasBody && idempotent.has(exchange.method);
}
