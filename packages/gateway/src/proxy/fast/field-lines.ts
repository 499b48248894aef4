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
 * Parses the field lines `lines[1..]` (line 0 is the start line), the head split at CRLF. A CR
 * or LF standing alone (RFC 9112 §2.2) is left inside a line, where the name's token rule or
 * the value's control-character rule refuses it, as the start-line rules do. Obs-fold (a line starting with
 * whitespace) is rejected as RFC 9112 §5.2 allows a server to; whitespace between the name and
 * the colon is rejected as §5.1 requires; values lose their leading and trailing whitespace.
 */
export function parseFieldLines(
  lines: readonly string[],
  fieldsMax: number,
): ParsedFields | HeadFault {
  if (lines.length - 1 > fieldsMax)
    return { status: 431, reason: `more than ${fieldsMax} header fields` };
  const headers = Object.create(null) as Record<string, string | string[]>;
  const flat: string[] = [];
  let contentLengthLines = 0;
  let hostLines = 0;
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index]!;
    const first = line.charCodeAt(0);
    if (first === 32 || first === 9) return { status: 400, reason: 'obsolete line folding' };
    const colon = line.indexOf(':');
    if (colon <= 0) return { status: 400, reason: 'a header line without a name' };
    const name = line.slice(0, colon).toLowerCase();
    if (!tokenPattern.test(name)) return { status: 400, reason: 'an invalid header name' };
    const value = trimWhitespace(line, colon + 1);
    if (hasControl(value)) return { status: 400, reason: 'an invalid header value' };
    flat.push(name, value);
    if (name === 'content-length') contentLengthLines++;
    else if (name === 'host') hostLines++;
    const existing = headers[name];
    if (existing === undefined) headers[name] = name === 'set-cookie' ? [value] : value;
    else if (Array.isArray(existing)) existing.push(value);
    else if (firstWins.has(name)) continue;
    else headers[name] = `${existing}${name === 'cookie' ? '; ' : ', '}${value}`;
  }
  return { headers, flat, contentLengthLines, hostLines };
}

export function isFault(value: object): value is HeadFault {
  return 'status' in value && 'reason' in value;
}

/** OWS (SP / HTAB) removed from both ends of `line` from `start` (RFC 9112 §5.1). */
function trimWhitespace(line: string, start: number): string {
  let from = start;
  let to = line.length;
  while (from < to && isWhitespace(line.charCodeAt(from))) from++;
  while (to > from && isWhitespace(line.charCodeAt(to - 1))) to--;
  return line.slice(from, to);
}

/** Control characters other than HTAB are invalid in a field value (RFC 9110 §5.5). */
function hasControl(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if ((code < 32 && code !== 9) || code === 127) return true;
  }
  return false;
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9;
}

/** Whether a comma-separated field value (Connection, Transfer-Encoding) holds `token`. */
export function hasToken(value: string | string[] | undefined, token: string): boolean {
  if (value === undefined) return false;
  const text = (Array.isArray(value) ? value.join(',') : value).toLowerCase();
  if (text === token) return true;
  for (const part of text.split(',')) if (part.trim() === token) return true;
  return false;
}
