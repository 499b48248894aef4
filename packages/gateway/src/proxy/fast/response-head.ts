import { fieldValue, hasToken, headEnd, isFault, parseFieldLines } from './field-lines.js';

/** How the body of an upstream response is delimited (RFC 9112 §6.3). */
export type ResponseFraming = 'none' | 'length' | 'chunked' | 'close';

export interface ResponseHead {
  readonly status: number;
  readonly statusText: string;
  /** `[name, value, …]`, names lower-case, every field line in order. */
  readonly flat: string[];
  readonly framing: ResponseFraming;
  /** Body bytes when `framing` is 'length'. */
  readonly bodyBytes: number;
  /** The upstream keeps the connection open after this response (RFC 9112 §9.3). */
  readonly keepAlive: boolean;
  readonly headBytes: number;
}

const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: ([^\r\n]*))?$/;

/**
 * Parses an upstream response head at `offset`: undefined while incomplete, a string saying
 * why it is invalid, else the head and its framing. `bodiless` is true for the answer to a HEAD
 * request, which has no body whatever its fields say (§6.3 item 1).
 */
export function parseResponseHead(
  buffer: Buffer,
  offset: number,
  options: { bodiless: boolean; headBytesMax: number; fieldsMax: number },
): ResponseHead | string | undefined {
  const end = buffer.indexOf(headEnd, offset);
  if (end < 0)
    return buffer.length - offset > options.headBytesMax
      ? 'a response head that is too large'
      : undefined;
  const headBytes = end + 4 - offset;
  if (headBytes > options.headBytesMax) return 'a response head that is too large';
  const text = buffer.toString('latin1', offset, end);
  const lineEnd = text.indexOf('\r\n');
  const match = statusLine.exec(lineEnd < 0 ? text : text.slice(0, lineEnd));
  if (!match) return 'an invalid status line';
  const fields = parseFieldLines(text, lineEnd < 0 ? text.length : lineEnd + 2, {
    fieldsMax: options.fieldsMax,
    record: false,
  });
  if (isFault(fields)) return fields.reason;
  const status = Number(match[2]);
  const versionMinor = match[1] === '1' ? 1 : 0;
  const { flat } = fields;
  const connection = fieldValue(flat, 'connection');
  let keepAlive =
    versionMinor === 1 ? !hasToken(connection, 'close') : hasToken(connection, 'keep-alive');
  let framing: ResponseFraming;
  let bodyBytes = 0;
  const transferEncoding = fieldValue(flat, 'transfer-encoding');
  const contentLength =
    fields.contentLengthLines > 0 ? fieldValue(flat, 'content-length') : undefined;
  if (options.bodiless || status < 200 || status === 204 || status === 304) framing = 'none';
  else if (transferEncoding !== undefined) {
    // §6.3 item 3: chunked last delimits the body; any other coding reads until close, and
    // Content-Length beside it is ignored (and the connection not reused, §6.1).
    framing = hasFinalChunked(transferEncoding) ? 'chunked' : 'close';
    if (framing === 'close' || contentLength !== undefined) keepAlive = false;
  } else if (contentLength !== undefined) {
    // §6.3 item 5: several differing or invalid values are an unrecoverable error.
    const length = fields.contentLengthLines === 1 ? contentLength : sameValues(flat);
    if (!/^\d{1,15}$/.test(length)) return 'an invalid Content-Length';
    bodyBytes = Number(length);
    framing = bodyBytes === 0 ? 'none' : 'length';
  } else {
    framing = 'close';
    keepAlive = false;
  }
  return {
    status,
    statusText: match[3] ?? '',
    flat,
    framing,
    bodyBytes,
    keepAlive,
    headBytes,
  };
}

/** The one value of repeated Content-Length lines when they all agree, else ''. */
function sameValues(flat: readonly string[]): string {
  let value: string | undefined;
  for (let index = 0; index + 1 < flat.length; index += 2) {
    if (flat[index] !== 'content-length') continue;
    if (value !== undefined && value !== flat[index + 1]) return '';
    value = flat[index + 1];
  }
  return value ?? '';
}

function hasFinalChunked(value: string): boolean {
  const text = value.toLowerCase();
  const last = text.slice(text.lastIndexOf(',') + 1).trim();
  return last === 'chunked';
}
