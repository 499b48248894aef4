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
  /**
   * The field lines as received (`Name: value\r\n` each, original case), without those whose
   * name is in `relayDrop`.
   */
  readonly relay: string;
  /** How many field lines carried Content-Length / Host (a repetition is a framing error). */
  readonly contentLengthLines: number;
  readonly hostLines: number;
}

/** Why a head is refused: the status to answer (400 or 431) and a reason for the message. */
export interface HeadFault {
  readonly status: 400 | 431 | 505;
  readonly reason: string;
}

/**
 * Parses the field lines of a request head, `text` from `start` (just after the start line's
 * CRLF) to its end (the head without its final empty line). Lines are found with indexOf
 * rather than split, so a head costs no array of lines. A CR or LF standing alone (RFC 9112
 * §2.2) is left inside a line, where the name's token rule or the value's control-character
 * rule refuses it, as the start-line rules do. Obs-fold (a line starting with whitespace) is
 * rejected as RFC 9112 §5.2 allows a server to; whitespace between the name and the colon is
 * rejected as §5.1 requires; values lose their leading and trailing whitespace.
 */
export function parseFieldLines(
  text: string,
  start: number,
  options: { fieldsMax: number; relayDrop: ReadonlySet<string> },
): ParsedFields | HeadFault {
  const drop = options.relayDrop;
  let relay = '';
  /** Where the run of relayed lines not yet appended to `relay` starts. */
  let runStart = start;
  const headers = Object.create(null) as Record<string, string | string[]>;
  let lines = 0;
  let contentLengthLines = 0;
  let hostLines = 0;
  let lineStart = start;
  const end = text.length;
  while (lineStart < end) {
    if (++lines > options.fieldsMax)
      return { status: 431, reason: `more than ${options.fieldsMax} header fields` };
    let lineEnd = text.indexOf('\r\n', lineStart);
    if (lineEnd < 0) lineEnd = end;
    const first = text.charCodeAt(lineStart);
    if (first === 32 || first === 9) return { status: 400, reason: 'obsolete line folding' };
    const colon = text.indexOf(':', lineStart);
    if (colon <= lineStart || colon > lineEnd)
      return { status: 400, reason: 'a header line without a name' };
    if (!isToken(text, lineStart, colon)) return { status: 400, reason: 'an invalid header name' };
    const name =
      commonName(text, lineStart, colon - lineStart) ?? text.slice(lineStart, colon).toLowerCase();
    const value = trimmedValue(text, colon + 1, lineEnd);
    if (value === undefined) return { status: 400, reason: 'an invalid header value' };
    if (drop.has(name)) {
      if (runStart < lineStart) relay += text.slice(runStart, lineStart);
      runStart = lineEnd + 2;
    }
    lineStart = lineEnd + 2;
    if (name === 'content-length') contentLengthLines++;
    else if (name === 'host') hostLines++;
    const existing = headers[name];
    if (existing === undefined) headers[name] = name === 'set-cookie' ? [value] : value;
    else if (Array.isArray(existing)) existing.push(value);
    else if (firstWins.has(name)) continue;
    else headers[name] = `${existing}${name === 'cookie' ? '; ' : ', '}${value}`;
  }
  if (runStart < end) relay += `${text.slice(runStart)}\r\n`;
  return { headers, relay, contentLengthLines, hostLines };
}

/**
 * Common request field names by length. A name found here is the literal (an internalized
 * string), so storing it in the header record needs no new string nor a lookup in the
 * engine's string table; others are sliced and lower-cased.
 */
const commonNames: ReadonlyArray<readonly string[] | undefined> = (() => {
  const names = [
    'host',
    'date',
    'range',
    'accept',
    'cookie',
    'origin',
    'pragma',
    'apikey',
    'referer',
    'upgrade',
    'x-api-key',
    'user-agent',
    'connection',
    'keep-alive',
    'traceparent',
    'tracestate',
    'content-type',
    'x-request-id',
    'authorization',
    'cache-control',
    'if-none-match',
    'content-length',
    'accept-encoding',
    'accept-language',
    'x-forwarded-for',
    'x-forwarded-host',
    'transfer-encoding',
    'x-forwarded-proto',
    'if-modified-since',
  ];
  const byLength: string[][] = [];
  for (const name of names) (byLength[name.length] ??= []).push(name);
  return byLength;
})();

/** The common name (lower case) at `text[from, from + length)`, ignoring case, if it is one. */
function commonName(text: string, from: number, length: number): string | undefined {
  const candidates = commonNames[length];
  if (candidates === undefined) return undefined;
  for (const name of candidates) if (nameIs(text, from, name)) return name;
  return undefined;
}

/**
 * `lines` (`Name: value\r\n` each, as relayed) without the fields named in `names` (lower
 * case), compared without regard to case (RFC 9110 §5.1).
 */
export function withoutFields(lines: string, names: Iterable<string>): string {
  let kept = '';
  let runStart = 0;
  let lineStart = 0;
  while (lineStart < lines.length) {
    const lineEnd = lines.indexOf('\r\n', lineStart);
    const colon = lines.indexOf(':', lineStart);
    for (const name of names) {
      if (colon - lineStart === name.length && nameIs(lines, lineStart, name)) {
        if (runStart < lineStart) kept += lines.slice(runStart, lineStart);
        runStart = lineEnd + 2;
        break;
      }
    }
    lineStart = lineEnd + 2;
  }
  return runStart === 0 ? lines : kept + lines.slice(runStart);
}

/** Whether `text` holds `name` (lower case) at `from`, ignoring ASCII case. */
export function nameIs(text: string, from: number, name: string): boolean {
  for (let index = 0; index < name.length; index++) {
    const code = text.charCodeAt(from + index);
    // Upper-case ASCII letters become lower case; nothing else changes.
    const lower = code >= 65 && code <= 90 ? code + 32 : code;
    if (lower !== name.charCodeAt(index)) return false;
  }
  return true;
}

/** tchar (RFC 9110 §5.6.2) by character code, for codes below 128. */
export const tokenCharacters = new Uint8Array(128);
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
export function trimmedValue(text: string, from: number, to: number): string | undefined {
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

/** Whether `text[from, to)` holds no control character other than HTAB (RFC 9110 §5.5). */
export function isFieldValue(text: string, from: number, to: number): boolean {
  for (let index = from; index < to; index++) {
    const code = text.charCodeAt(index);
    if ((code < 32 && code !== 9) || code === 127) return false;
  }
  return true;
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

const bareLfEnd = Buffer.from('\n\n', 'latin1');
const lfCrLfEnd = Buffer.from('\n\r\n', 'latin1');

/**
 * Whether the bytes from `start` (where no CRLF CRLF was found) already hold the end of a head
 * whose lines end in a bare LF (RFC 9112 §2.2 lets a recipient accept it; this parser refuses
 * it): such a head never shows CRLF CRLF, so waiting for more would leave it unanswered.
 */
export function endsInBareLf(buffer: Buffer, start: number): boolean {
  return buffer.indexOf(bareLfEnd, start) >= 0 || buffer.indexOf(lfCrLfEnd, start) >= 0;
}
