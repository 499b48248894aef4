import { randomFillSync } from 'node:crypto';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/). §3.2: traceparent is
 * `version-traceid-parentid-flags` in lower-case hex; a trace id or parent id of all zeros is
 * invalid, and version ff is invalid. A proxy that takes part in the trace keeps the trace id
 * and flags and sends its own span id as the parent id; with no valid header it starts a trace.
 */
const pattern = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-|$)/;
const zeroTrace = '0'.repeat(32);
const zeroSpan = '0'.repeat(16);

/** Random bytes come from one pooled buffer refilled in bulk, not a syscall per request. */
const pool = Buffer.alloc(4096);
let offset = pool.length;

function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

export interface TraceContext {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceparent: string;
}

export function nextTraceContext(incoming: string | string[] | undefined): TraceContext {
  // §3.2: several traceparent fields make the context invalid.
  const value = typeof incoming === 'string' ? incoming.trim() : undefined;
  const match = value && value.length >= 55 ? pattern.exec(value) : null;
  // One conversion for both ids (the trace id is used only when a trace starts here).
  const random = randomHex(24);
  const spanId = nonZero(random.slice(0, 16), zeroSpan);
  if (
    match &&
    match[1] !== 'ff' &&
    match[2] !== zeroTrace &&
    match[3] !== zeroSpan &&
    (match[1] !== '00' || value?.length === 55)
  ) {
    const traceId = match[2]!;
    return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-${match[4]!}` };
  }
  const traceId = nonZero(random.slice(16), zeroTrace);
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

function nonZero(hex: string, zero: string): string {
  return hex === zero ? hex.slice(0, -1) + '1' : hex;
}
