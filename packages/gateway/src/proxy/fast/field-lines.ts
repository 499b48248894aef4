/**
 * Field lines of an HTTP/1.1 message head (RFC 9112 §5), shared by the request and response
 * parsers of the fast path. The head arrives as latin1 text (one char per byte, as node:http's
 * parser hands values over) without its final empty line.
 */

/** `token` (RFC 9110 §5.6.2): the only characters a field name or a method may have. */
export const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Fields whose repetition node:http drops (the first wins), so that policies see the same
 * `headers` object on both data paths (node's `IncomingMessage#headers` rules).
 */
const firstWins = new Set([
  'content-type',
  'content-length',
  'user-agent',
  'referer',
  'host',
  'authorization',
  'proxy-authorization',
  'if-modified-since',
  'if-unmodified-since',
  'from',
  'location',
  'max-forwards',
  'retry-after',
  'etag',
  'last-modified',
  'server',
  'age',
  'expires',
]);

export interface ParsedFields {
  /** Lower-case names, as node:http's `IncomingMessage#headers`. */
  readonly headers: Record<string, string | string[]>;
  /** `[name, value, …]` with lower-case names, every line in order (repeated ones too). */
  readonly flat: string[];
  /** How many field lines carried Content-Length / Host (a repetition is a framing error). */
  readonly contentLengthLines: number;
  readonly hostLines: number;
}

/** Why a head is refused: the status to answer (400 or 431) and a reason for the message. */
export interface HeadFault {
  readonly status: 400 | 431;
  readonly reason: string;
}

/**
 * Parses the field lines of `text` from `start` (just after the start line's CRLF) to its end
 * (the head without its final empty line). Lines are found with indexOf rather than split, so
 * a head costs no array of lines. A CR or LF standing alone (RFC 9112 §2.2) is left inside a
 * line, where the name's token rule or the value's control-character rule refuses it, as the
 * start-line rules do. Obs-fold (a line starting with whitespace) is rejected as RFC 9112 §5.2
 * allows a server to; whitespace between the name and the colon is rejected as §5.1 requires;
 * values lose their leading and trailing whitespace. `record: false` skips the `headers` record
 * (an upstream response head, whose few framing fields are read from `flat`).
 */
export function parseFieldLines(
  text: string,
  start: number,
  options: { fieldsMax: number; record: boolean },
): ParsedFields | HeadFault {
  const headers = options.record
    ? (Object.create(null) as Record<string, string | string[]>)
    : noRecord;
  const flat: string[] = [];
  let contentLengthLines = 0;
  let hostLines = 0;
  let lineStart = start;
  const end = text.length;
  while (lineStart < end) {
    if (flat.length >= options.fieldsMax * 2)
      return { status: 431, reason: `more than ${options.fieldsMax} header fields` };
    let lineEnd = text.indexOf('\r\n', lineStart);
    if (lineEnd < 0) lineEnd = end;
    const first = text.charCodeAt(lineStart);
    if (first === 32 || first === 9) return { status: 400, reason: 'obsolete line folding' };
    const colon = text.indexOf(':', lineStart);
    if (colon <= lineStart || colon > lineEnd)
      return { status: 400, reason: 'a header line without a name' };
    if (!isToken(text, lineStart, colon)) return { status: 400, reason: 'an invalid header name' };
    const name = text.slice(lineStart, colon).toLowerCase();
    const value = trimmedValue(text, colon + 1, lineEnd);
    if (value === undefined) return { status: 400, reason: 'an invalid header value' };
    lineStart = lineEnd + 2;
    flat.push(name, value);
    if (name === 'content-length') contentLengthLines++;
    else if (name === 'host') hostLines++;
    if (headers === noRecord) continue;
    const existing = headers[name];
    if (existing === undefined) headers[name] = name === 'set-cookie' ? [value] : value;
    else if (Array.isArray(existing)) existing.push(value);
    else if (firstWins.has(name)) continue;
    else headers[name] = `${existing}${name === 'cookie' ? '; ' : ', '}${value}`;
  }
  return { headers, flat, contentLengthLines, hostLines };
}

/** The `headers` of a head parsed without a record: always empty. */
const noRecord = Object.freeze(Object.create(null)) as Record<string, string | string[]>;

/** The value of `name` in a flat field list, repeated lines joined with ", " (RFC 9110 §5.3). */
export function fieldValue(flat: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let index = 0; index + 1 < flat.length; index += 2)
    if (flat[index] === name)
      value = value === undefined ? flat[index + 1] : `${value}, ${flat[index + 1]}`;
  return value;
}

/** tchar (RFC 9110 §5.6.2) by character code, for codes below 128. */
const tokenCharacters = new Uint8Array(128);
for (const character of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
  tokenCharacters[character.charCodeAt(0)] = 1;

/** Whether `text[from, to)` is a non-empty token. */
function isToken(text: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let index = from; index < to; index++) {
    const code = text.charCodeAt(index);
    if (code >= 128 || tokenCharacters[code] === 0) return false;
  }
  return true;
}

/**
 * `text[from, to)` without OWS (SP / HTAB) at either end (RFC 9112 §5.1), or undefined when it
 * holds a control character other than HTAB (RFC 9110 §5.5).
 */
function trimmedValue(text: string, from: number, to: number): string | undefined {
  let valueStart = from;
  let valueEnd = to;
  while (valueStart < valueEnd && isWhitespace(text.charCodeAt(valueStart))) valueStart++;
  while (valueEnd > valueStart && isWhitespace(text.charCodeAt(valueEnd - 1))) valueEnd--;
  for (let index = valueStart; index < valueEnd; index++) {
    const code = text.charCodeAt(index);
    if ((code < 32 && code !== 9) || code === 127) return undefined;
  }
  return text.slice(valueStart, valueEnd);
}

export function isFault(value: object): value is HeadFault {
  return 'status' in value && 'reason' in value;
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9;
}

/** Whether a comma-separated field value (Connection, Transfer-Encoding) holds `token`. */
export function hasToken(value: string | string[] | undefined, token: string): boolean {
  if (value === undefined) return false;
  const text = (Array.isArray(value) ? value.join(',') : value).toLowerCase();
  if (text === token) return true;
  // One value without a list (the usual `keep-alive` or `close`): no split needed.
  if (!text.includes(',')) return text.trim() === token;
  for (const part of text.split(',')) if (part.trim() === token) return true;
  return false;
}

/** The empty line that ends a message head (RFC 9112 §2.1), to search for in bytes. */
export const headEnd = Buffer.from('\r\n\r\n', 'latin1');
