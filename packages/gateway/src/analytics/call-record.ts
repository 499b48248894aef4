/**
 * One proxied call as analytics keeps it. The proxy fills a reusable slot of the queue
 * (`CallSlot`) with what it knows at completion; the drain turns slots into records, off the
 * proxy path.
 */
export interface CallRecord {
  /** Completion time, epoch milliseconds. */
  readonly timestampMs: number;
  /** The route's name; "(unmatched)" when no route matched. */
  readonly route: string;
  /** The managed API (`name` or `name/version`), when the route belongs to one. */
  readonly api: string | undefined;
  /** Method and the route's path template, e.g. "GET /orders/{id}". */
  readonly operation: string;
  /** The authenticated consumer application, when a policy set one. */
  readonly application: string | undefined;
  /** The status sent to the client; 499 when the client left before any response. */
  readonly status: number;
  readonly latencyMs: number;
  /** Until the upstream's response headers; undefined when no upstream answered. */
  readonly upstreamLatencyMs: number | undefined;
  /** Bytes read from and written to the client for this exchange, head and body. */
  readonly requestBytes: number;
  readonly responseBytes: number;
  readonly clientIp: string;
  /** The gateway's error code when the gateway answered with an error itself. */
  readonly errorCode: string | undefined;
  readonly traceId: string;
}

/**
 * A queue slot: what the proxy captures per call, with no derived work. Slots are allocated
 * once and reused, so recording a call allocates nothing.
 */
export interface CallSlot {
  timestampMs: number;
  /** undefined: no route matched. */
  route: RouteRef | undefined;
  method: string;
  path: string;
  api: string | undefined;
  application: string | undefined;
  status: number;
  latencyMs: number;
  /** -1 when no upstream answered. */
  upstreamLatencyMs: number;
  requestBytes: number;
  responseBytes: number;
  clientIp: string;
  /** The code of a policy's rejection, when one rejected the call. */
  rejectionCode: string | undefined;
  headersSent: boolean;
  traceId: string;
}

/** What analytics needs of a compiled route: its name and path patterns (for the operation). */
export interface RouteRef {
  readonly name: string;
  readonly paths: readonly string[];
}

export function emptySlot(): CallSlot {
  return {
    timestampMs: 0,
    route: undefined,
    method: '',
    path: '',
    api: undefined,
    application: undefined,
    status: 0,
    latencyMs: 0,
    upstreamLatencyMs: -1,
    requestBytes: 0,
    responseBytes: 0,
    clientIp: '',
    rejectionCode: undefined,
    headersSent: false,
    traceId: '',
  };
}
