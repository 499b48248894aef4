import { connectionNamed } from '../headers.js';
import {
  endsInBareLf,
  hasToken,
  headEnd,
  isFieldValue,
  tokenCharacters,
  trimmedValue,
  withoutFields,
} from './field-lines.js';

/** How the body of an upstream response is delimited (RFC 9112 §6.3). */
export type ResponseFraming = 'none' | 'length' | 'chunked' | 'close';

export interface ResponseHead {
  readonly status: number;
  readonly statusText: string;
  /**
   * The end-to-end field lines to relay to the client, as received (`Name: value\r\n` each,
   * validated): hop-by-hop fields (RFC 9110 §7.6.1) and those Connection names are removed, and
   * Content-Length when a Transfer-Encoding frames the body.
   */
  readonly relay: string;
  /** The upstream sent a Date field (RFC 9110 §6.6.1). */
  readonly hasDate: boolean;
  /** The Keep-Alive field's value (a hint about the connection's idle timeout). */
  readonly keepAliveHint: string | undefined;
  readonly framing: ResponseFraming;
  /** The Transfer-Encoding value(s), joined; not relayed (hop-by-hop), see transfer-codings.ts. */
  readonly transferEncoding: string | undefined;
  /** Body bytes when `framing` is 'length', else 0. */
  readonly bodyBytes: number;
  /** The upstream keeps the connection open after this response (RFC 9112 §9.3). */
  readonly keepAlive: boolean;
  readonly headBytes: number;
}

/**
 * Parses an upstream response head at `offset`: undefined while incomplete, a string saying
 * why it is invalid, else the head and its framing. `bodiless` is true for the answer to a HEAD
 * request, which has no body whatever its fields say (§6.3 item 1).
 *
 * Field lines are validated as the request parser does (fast/field-lines.ts) but not taken
 * apart: they are relayed as received, so a head costs no string per field. Only the fields
 * that frame the message or concern this connection are read, found by their length and a
 * case-insensitive comparison.
 */
export function parseResponseHead(
  buffer: Buffer,
  offset: number,
  options: { bodiless: boolean; headBytesMax: number; fieldsMax: number },
): ResponseHead | string | undefined {
  const end = buffer.indexOf(headEnd, offset);
  if (end < 0) {
    if (buffer.length - offset > options.headBytesMax) return 'a response head that is too large';
    // Refused now rather than left waiting until `requestMs` for an end that never comes.
    return endsInBareLf(buffer, offset) ? 'a response line that ends in LF without CR' : undefined;
  }
  const headBytes = end + 4 - offset;
  if (headBytes > options.headBytesMax) return 'a response head that is too large';
  const text = buffer.toString('latin1', offset, end);
  let lineEnd = text.indexOf('\r\n');
  if (lineEnd < 0) lineEnd = text.length;
  const line = statusLineParts(text, lineEnd);
  if (line === undefined) return 'an invalid status line';
  const fields = relayFields(text, buffer, offset, lineEnd + 2, options.fieldsMax);
  if (typeof fields === 'string') return fields;
  const { status, versionMinor } = line;
  const { connection, transferEncoding, contentLength } = fields;
  let keepAlive =
    versionMinor === 1 ? !hasToken(connection, 'close') : hasToken(connection, 'keep-alive');
  let framing: ResponseFraming;
  let bodyBytes = 0;
  let { relay } = fields;
  if (transferEncoding !== undefined && contentLength !== undefined) {
    // §6.3 item 3: Transfer-Encoding overrides Content-Length, which is not relayed, and the
    // connection is not reused (§6.1).
    keepAlive = false;
    relay = withoutFields(relay, ['content-length']);
  }
  if (options.bodiless || status < 200 || status === 204 || status === 304) framing = 'none';
  else if (transferEncoding !== undefined) {
    // §6.3 item 3: chunked last delimits the body; any other coding reads until close.
    framing = hasFinalChunked(transferEncoding) ? 'chunked' : 'close';
    if (framing === 'close') keepAlive = false;
  } else if (contentLength !== undefined) {
    // §6.3 item 5: several differing or invalid values are an unrecoverable error.
    if (!/^\d{1,15}$/.test(contentLength)) return 'an invalid Content-Length';
    bodyBytes = Number(contentLength);
    framing = bodyBytes === 0 ? 'none' : 'length';
  } else {
    framing = 'close';
    keepAlive = false;
  }
  if (fields.named !== undefined) relay = withoutFields(relay, fields.named);
  return {
    status,
    statusText: line.statusText,
    relay,
    hasDate: fields.hasDate,
    keepAliveHint: fields.keepAliveHint,
    framing,
    transferEncoding,
    bodyBytes,
    keepAlive,
    headBytes,
  };
}

/** `HTTP/1.d SP 3DIGIT [SP reason]` (RFC 9112 §4) in `text[0, end)`, or undefined. */
function statusLineParts(
  text: string,
  end: number,
): { versionMinor: number; status: number; statusText: string } | undefined {
  if (end < 12 || !text.startsWith('HTTP/1.', 0) || text.charCodeAt(8) !== 32) return undefined;
  const minor = text.charCodeAt(7);
  if (minor !== 48 && minor !== 49) return undefined;
  let status = 0;
  for (let index = 9; index < 12; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return undefined;
    status = status * 10 + digit;
  }
  if (end > 12 && text.charCodeAt(12) !== 32) return undefined;
  if (!isFieldValue(text, 12, end)) return undefined;
  return {
    versionMinor: minor - 48,
    status,
    statusText: end > 13 ? text.slice(13, end) : '',
  };
}

interface RelayFields {
  relay: string;
  hasDate: boolean;
  keepAliveHint: string | undefined;
  connection: string | undefined;
  transferEncoding: string | undefined;
  /** The one value of the Content-Length lines ('' when they differ). */
  contentLength: string | undefined;
  /** Fields the Connection field names besides its options (removed from `relay`). */
  named: ReadonlySet<string> | undefined;
}

/**
 * Validates the field lines of `text` from `start` (RFC 9112 §5: token names, no whitespace
 * before the colon, no obs-fold, no control characters) and collects the relayed ones, with
 * the few values the proxy reads. Repeated lines of a list field are joined with ", " (RFC
 * 9110 §5.3).
 */
function relayFields(
  text: string,
  buffer: Uint8Array,
  base: number,
  start: number,
  fieldsMax: number,
): RelayFields | string {
  const found: RelayFields = {
    relay: '',
    hasDate: false,
    keepAliveHint: undefined,
    connection: undefined,
    transferEncoding: undefined,
    contentLength: undefined,
    named: undefined,
  };
  let relay = '';
  let runStart = start;
  let lineStart = start;
  let lines = 0;
  const end = text.length;
  while (lineStart < end) {
    if (++lines > fieldsMax) return 'a response head with too many fields';
    const first = buffer[base + lineStart];
    if (first === 32 || first === 9) return 'obsolete line folding';
    // One pass over the line's bytes (`text` holds the same ones from `base`, latin1): the
    // name's token characters up to the colon, then the value's up to CR LF (a CR or LF alone,
    // or another control character, is refused). Offsets are the text's.
    const colon = tokenEnd(buffer, base + lineStart, base + end) - base;
    if (colon === lineStart || buffer[base + colon] !== 58) return 'an invalid header name';
    const valueStop = valueEnd(buffer, base + colon + 1, base + end);
    if (valueStop < 0) return 'an invalid header value';
    const lineEnd = valueStop - base;
    const known = knownField(buffer, base + lineStart, colon - lineStart);
    if (known !== undefined) {
      if (known === 'date') found.hasDate = true;
      else {
        const value = trimmedValue(text, colon + 1, lineEnd) ?? '';
        if (known === 'content-length')
          found.contentLength =
            found.contentLength === undefined || found.contentLength === value ? value : '';
        else if (known === 'connection') found.connection = joined(found.connection, value);
        else if (known === 'keep-alive') found.keepAliveHint = joined(found.keepAliveHint, value);
        else if (known === 'transfer-encoding')
          found.transferEncoding = joined(found.transferEncoding, value);
        if (known !== 'content-length') {
          // Hop-by-hop: not relayed.
          if (runStart < lineStart) relay += text.slice(runStart, lineStart);
          runStart = lineEnd + 2;
        }
      }
    }
    lineStart = lineEnd + 2;
  }
  if (runStart < end) relay += `${text.slice(runStart)}\r\n`;
  found.relay = relay;
  found.named =
    found.connection === undefined ? undefined : connectionNamed({ connection: found.connection });
  return found;
}

/** Where the token starting at `from` ends (its first byte that is not a tchar). */
function tokenEnd(bytes: Uint8Array, from: number, end: number): number {
  let index = from;
  for (; index < end; index++) {
    const code = bytes[index]!;
    if (code >= 128 || tokenCharacters[code] === 0) break;
  }
  return index;
}

/**
 * Where the field value starting at `from` ends (its CR LF, or the end of the head), or -1
 * when it holds a control character other than HTAB (RFC 9110 §5.5), a lone CR included.
 */
function valueEnd(bytes: Uint8Array, from: number, end: number): number {
  for (let index = from; index < end; index++) {
    const code = bytes[index]!;
    if (code === 13) return index + 1 < end && bytes[index + 1] === 10 ? index : -1;
    if ((code < 32 && code !== 9) || code === 127) return -1;
  }
  return end;
}

/**
 * The fields a response proxy reads or drops (Content-Length, Date, and the hop-by-hop fields
 * of RFC 9110 §7.6.1 and §11.7), by the name at `text[from, from + length)`.
 */
function knownField(bytes: Uint8Array, from: number, length: number): string | undefined {
  switch (length) {
    case 2:
      return bytesNameIs(bytes, from, 'te') ? 'te' : undefined;
    case 4:
      return bytesNameIs(bytes, from, 'date') ? 'date' : undefined;
    case 7:
      if (bytesNameIs(bytes, from, 'trailer')) return 'trailer';
      return bytesNameIs(bytes, from, 'upgrade') ? 'upgrade' : undefined;
    case 10:
      if (bytesNameIs(bytes, from, 'connection')) return 'connection';
      return bytesNameIs(bytes, from, 'keep-alive') ? 'keep-alive' : undefined;
    case 14:
      return bytesNameIs(bytes, from, 'content-length') ? 'content-length' : undefined;
    case 16:
      return bytesNameIs(bytes, from, 'proxy-connection') ? 'proxy-connection' : undefined;
    case 17:
      return bytesNameIs(bytes, from, 'transfer-encoding') ? 'transfer-encoding' : undefined;
    case 18:
      return bytesNameIs(bytes, from, 'proxy-authenticate') ? 'proxy-authenticate' : undefined;
    case 19:
      return bytesNameIs(bytes, from, 'proxy-authorization') ? 'proxy-authorization' : undefined;
    default:
      return undefined;
  }
}

/** Whether `bytes` hold `name` (lower case) at `from`, ignoring ASCII case. */
function bytesNameIs(bytes: Uint8Array, from: number, name: string): boolean {
  for (let index = 0; index < name.length; index++) {
    const code = bytes[from + index]!;
    // Upper-case ASCII letters become lower case; nothing else changes.
    const lower = code >= 65 && code <= 90 ? code + 32 : code;
    if (lower !== name.charCodeAt(index)) return false;
  }
  return true;
}

function joined(previous: string | undefined, value: string): string {
  return previous === undefined ? value : `${previous}, ${value}`;
}

function hasFinalChunked(value: string): boolean {
  const text = value.toLowerCase();
  const last = text.slice(text.lastIndexOf(',') + 1).trim();
  return last === 'chunked';
}
