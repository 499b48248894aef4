import { hasToken, isFault, parseFieldLines, tokenPattern, type HeadFault } from './field-lines.js';

export interface HeadLimits {
  /** Bytes of a request head, request line to the empty line included (431 beyond). */
  readonly headBytesMax: number;
  /** Header field lines of one request (431 beyond). */
  readonly fieldsMax: number;
  /** How long a head may take to arrive once it started; the connection closes beyond. */
  readonly headTimeoutMs: number;
}

/** How the body of a request is delimited (RFC 9112 §6.3). */
export type BodyFraming =
  | { readonly kind: 'none' }
  | { readonly kind: 'length'; readonly bytes: number }
  | { readonly kind: 'chunked' };

export interface RequestHead {
  readonly method: string;
  readonly target: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  readonly versionMinor: number;
  readonly headers: Record<string, string | string[]>;
  readonly framing: BodyFraming;
  /** The connection stays open after this exchange (RFC 9112 §9.3). */
  readonly keepAlive: boolean;
  /** Bytes of the head in the buffer, from `offset` through the empty line. */
  readonly headBytes: number;
}

/** A request the fast path leaves to node:http: it is valid but uses what only node:http does. */
export interface Unusual {
  readonly unusual: string;
}

export type HeadOutcome = RequestHead | HeadFault | Unusual | undefined;

const noBody: BodyFraming = { kind: 'none' };
const chunked: BodyFraming = { kind: 'chunked' };
const requestLine = /^([^ ]+) ([^ ]+) HTTP\/(\d)\.(\d)$/;
/** A request target holds visible ASCII only (RFC 9112 §3.2, RFC 3986 §2). */
const invalidTarget = /[^\x21-\x7e]/;
/** Empty lines a server skips before a request line (RFC 9112 §2.2), bounded. */
const leadingEmptyLinesMax = 8;

/**
 * Parses the request head at `offset` of `buffer`: undefined while it is incomplete, a fault
 * (400/431) for a malformed or oversized head, `unusual` for what the fast path hands over,
 * else the request with its body framing. The message framing follows RFC 9112 §6.3, and every
 * ambiguity that request smuggling relies on is a 400: Transfer-Encoding with Content-Length
 * (§6.1 allows rejecting it), Transfer-Encoding in HTTP/1.0 (§6.1), a final coding other than
 * chunked (§6.3 item 4), several or invalid Content-Length values (§6.3 item 5).
 */
export function parseRequestHead(buffer: Buffer, offset: number, limits: HeadLimits): HeadOutcome {
  let start = offset;
  for (let skipped = 0; skipped < leadingEmptyLinesMax; skipped++) {
    if (buffer[start] !== 13 || buffer[start + 1] !== 10) break;
    start += 2;
  }
  const end = buffer.indexOf('\r\n\r\n', start, 'latin1');
  if (end < 0) {
    if (buffer.length - offset > limits.headBytesMax)
      return { status: 431, reason: `the request head exceeds ${limits.headBytesMax} bytes` };
    return undefined;
  }
  const headBytes = end + 4 - offset;
  if (headBytes > limits.headBytesMax)
    return { status: 431, reason: `the request head exceeds ${limits.headBytesMax} bytes` };
  const lines = buffer.toString('latin1', start, end).split('\r\n');
  const match = requestLine.exec(lines[0]!);
  if (!match) return { status: 400, reason: 'an invalid request line' };
  const method = match[1]!;
  const target = match[2]!;
  if (!tokenPattern.test(method)) return { status: 400, reason: 'an invalid method' };
  if (invalidTarget.test(target)) return { status: 400, reason: 'an invalid request target' };
  if (match[3] !== '1' || (match[4] !== '0' && match[4] !== '1'))
    return { unusual: 'an HTTP version other than 1.0 and 1.1' };
  const versionMinor = match[4] === '1' ? 1 : 0;
  const fields = parseFieldLines(lines, limits.fieldsMax);
  if (isFault(fields)) return fields;
  const { headers } = fields;
  // §3.2: an HTTP/1.1 request has exactly one Host; any request has at most one.
  if (fields.hostLines > 1 || (versionMinor === 1 && fields.hostLines === 0))
    return { status: 400, reason: 'a request needs exactly one Host header' };
  const framing = bodyFraming(headers, versionMinor, fields.contentLengthLines);
  if ('status' in framing || 'unusual' in framing) return framing;
  const connection = headers.connection;
  const keepAlive =
    versionMinor === 1 ? !hasToken(connection, 'close') : hasToken(connection, 'keep-alive');
  return { method, target, versionMinor, headers, framing, keepAlive, headBytes };
}

function bodyFraming(
  headers: Record<string, string | string[]>,
  versionMinor: number,
  contentLengthLines: number,
): BodyFraming | HeadFault | Unusual {
  const transferEncoding = headers['transfer-encoding'];
  const contentLength = headers['content-length'];
  if (transferEncoding !== undefined) {
    if (contentLength !== undefined)
      return { status: 400, reason: 'both Transfer-Encoding and Content-Length' };
    if (versionMinor === 0) return { status: 400, reason: 'Transfer-Encoding in HTTP/1.0' };
    const codings = (
      Array.isArray(transferEncoding) ? transferEncoding.join(',') : transferEncoding
    )
      .toLowerCase()
      .split(',')
      .map((coding) => coding.trim());
    if (codings[codings.length - 1] !== 'chunked')
      return { status: 400, reason: 'a Transfer-Encoding that does not end with chunked' };
    if (codings.length > 1) return { unusual: 'a transfer coding other than chunked' };
    return chunked;
  }
  if (contentLength === undefined) return noBody;
  if (contentLengthLines > 1) return { status: 400, reason: 'several Content-Length headers' };
  const text = Array.isArray(contentLength) ? '' : contentLength;
  if (!/^\d{1,15}$/.test(text)) return { status: 400, reason: 'an invalid Content-Length' };
  const bytes = Number(text);
  return bytes === 0 ? noBody : { kind: 'length', bytes };
}
