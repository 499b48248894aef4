import { connectionNamed, hopByHop } from '../headers.js';
import {
  hasToken,
  endsInBareLf,
  headEnd,
  isFault,
  parseFieldLines,
  tokenPattern,
  withoutFields,
  type HeadFault,
} from './field-lines.js';

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
  /**
   * The field lines to relay upstream as received (`Name: value\r\n` each, validated), without
   * the hop-by-hop fields (RFC 9110 §7.6.1), those Connection names, and those the gateway
   * writes itself (`gatewayFields`).
   */
  readonly relay: string;
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

/**
 * Request fields the gateway writes itself on the way upstream (fast/forward-attempt.ts): Host
 * (the target's, or the client's with `preserveHost`), the X-Forwarded-* fields, the
 * traceparent of its own span, and no Expect (node:http serves 100-continue).
 */
export const gatewayFields: ReadonlySet<string> = new Set([
  'host',
  'expect',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'traceparent',
]);

const notRelayed: ReadonlySet<string> = new Set([...hopByHop, ...gatewayFields]);

const noBody: BodyFraming = { kind: 'none' };
const chunked: BodyFraming = { kind: 'chunked' };
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
  const end = buffer.indexOf(headEnd, start);
  if (end < 0) {
    if (buffer.length - offset > limits.headBytesMax)
      return { status: 431, reason: `the request head exceeds ${limits.headBytesMax} bytes` };
    // Refused now rather than left waiting for the head timeout with no answer.
    if (endsInBareLf(buffer, start))
      return { status: 400, reason: 'a line that ends in LF without CR' };
    return undefined;
  }
  const headBytes = end + 4 - offset;
  if (headBytes > limits.headBytesMax)
    return { status: 431, reason: `the request head exceeds ${limits.headBytesMax} bytes` };
  const text = buffer.toString('latin1', start, end);
  const lineEnd = text.indexOf('\r\n');
  const line = splitRequestLine(text, lineEnd < 0 ? text.length : lineEnd);
  if (line === undefined) return { status: 400, reason: 'an invalid request line' };
  const { method, target, major, minor } = line;
  if (!tokenPattern.test(method)) return { status: 400, reason: 'an invalid method' };
  if (invalidTarget.test(target)) return { status: 400, reason: 'an invalid request target' };
  // RFC 9110 §2.5: another major version is not served (505, as nginx answers); a higher
  // minor version of HTTP/1 is served as HTTP/1.1, the highest this server implements.
  if (major !== 49 /* 1 */)
    return {
      status: 505,
      reason: `HTTP/${String.fromCharCode(major)}.${String.fromCharCode(minor)} is not supported`,
    };
  const versionMinor = minor === 48 /* 0 */ ? 0 : 1;
  const fields = parseFieldLines(text, lineEnd < 0 ? text.length : lineEnd + 2, {
    fieldsMax: limits.fieldsMax,
    relayDrop: notRelayed,
  });
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
  const named = connectionNamed(headers);
  const relay = named === undefined ? fields.relay : withoutFields(fields.relay, named);
  return { method, target, versionMinor, headers, relay, framing, keepAlive, headBytes };
}

/**
 * `method SP request-target SP HTTP/d.d` (RFC 9112 §3) in `text[0, end)`, split at its two
 * spaces, with the version's digits as character codes; undefined when it has another shape.
 */
function splitRequestLine(
  text: string,
  end: number,
): { method: string; target: string; major: number; minor: number } | undefined {
  const firstSpace = text.indexOf(' ');
  if (firstSpace <= 0 || firstSpace >= end) return undefined;
  const secondSpace = text.indexOf(' ', firstSpace + 1);
  // The version is exactly "HTTP/d.d": the line ends 9 characters after the second space.
  if (secondSpace <= firstSpace + 1 || secondSpace + 9 !== end) return undefined;
  if (!text.startsWith('HTTP/', secondSpace + 1) || text.charCodeAt(secondSpace + 7) !== 46)
    return undefined;
  const major = text.charCodeAt(secondSpace + 6);
  const minor = text.charCodeAt(secondSpace + 8);
  if (major < 48 || major > 57 || minor < 48 || minor > 57) return undefined;
  return {
    method: text.slice(0, firstSpace),
    target: text.slice(firstSpace + 1, secondSpace),
    major,
    minor,
  };
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
