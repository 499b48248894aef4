import { STATUS_CODES } from 'node:http';

/**
 * Serialising message heads on the fast path. Field values from upstreams were validated by
 * the parser; values set by policies are checked here, since a CR or LF in one would let a
 * value inject fields or split the message (RFC 9110 §5.5).
 */
function unsafe(text: string): boolean {
  // A loop rather than a regular expression: values are short, and this runs per field.
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 13 || code === 10 || code === 0) return true;
  }
  return false;
}

export type FieldValue = string | number | readonly string[] | undefined;

/** `name: value\r\n` for each value ('' for none); undefined when one could split the head. */
export function fieldLines(name: string, value: FieldValue): string | undefined {
  if (value === undefined) return '';
  if (unsafe(name)) return undefined;
  if (typeof value === 'object') {
    let lines = '';
    for (const item of value) {
      if (unsafe(item)) return undefined;
      lines += `${name}: ${item}\r\n`;
    }
    return lines;
  }
  const text = typeof value === 'number' ? String(value) : value;
  if (unsafe(text)) return undefined;
  return `${name}: ${text}\r\n`;
}

/** Status lines by status code, built once each. */
const statusLines = new Map<number, string>();

/** `HTTP/1.1 <status> <reason>\r\n`, with the standard reason when `statusText` is empty. */
export function statusLine(status: number, statusText: string): string {
  if (statusText !== '' && statusText !== STATUS_CODES[status])
    return `HTTP/1.1 ${status} ${statusText}\r\n`;
  let line = statusLines.get(status);
  if (line === undefined) {
    line = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n`;
    if (statusLines.size < 1000) statusLines.set(status, line);
  }
  return line;
}

let dateText = '';
let dateSecond = -1;

/** The Date field (RFC 9110 §6.6.1), formatted at most once a second. */
export function currentDate(): string {
  const nowMs = Date.now();
  const second = Math.floor(nowMs / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(nowMs).toUTCString();
  }
  return dateText;
}

/** A complete error answer for a head the fast path refuses, closing the connection. */
export function malformedAnswer(status: 400 | 431 | 505, message: string): string {
  const code = status === 505 ? 'EXO_GATEWAY_HTTP_VERSION' : 'EXO_GATEWAY_BAD_REQUEST';
  const body = JSON.stringify({ code, message });
  const text = `${status} ${STATUS_CODES[status]}`;
  return `HTTP/1.1 ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}
