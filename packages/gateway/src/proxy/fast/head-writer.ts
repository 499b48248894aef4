import { STATUS_CODES } from 'node:http';

/**
 * Serialising message heads on the fast path. Field values from upstreams were validated by
 * the parser; values set by policies are checked here, since a CR or LF in one would let a
 * value inject fields or split the message (RFC 9110 §5.5).
 */
const unsafe = /[\r\n\0]/;

export type FieldValue = string | number | readonly string[] | undefined;

/** `name: value\r\n` for each value; false when a name or value could split the head. */
export function appendField(lines: string[], name: string, value: FieldValue): boolean {
  if (value === undefined) return true;
  if (unsafe.test(name)) return false;
  if (typeof value === 'object') {
    for (const item of value) {
      if (unsafe.test(item)) return false;
      lines.push(name, ': ', item, '\r\n');
    }
    return true;
  }
  const text = typeof value === 'number' ? String(value) : value;
  if (unsafe.test(text)) return false;
  lines.push(name, ': ', text, '\r\n');
  return true;
}

export function statusLine(status: number, statusText: string): string {
  return `HTTP/1.1 ${status} ${statusText || STATUS_CODES[status] || ''}\r\n`;
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
export function malformedAnswer(status: 400 | 431, message: string): string {
  const body = JSON.stringify({ code: 'EXO_GATEWAY_BAD_REQUEST', message });
  const text = status === 431 ? '431 Request Header Fields Too Large' : '400 Bad Request';
  return `HTTP/1.1 ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}
