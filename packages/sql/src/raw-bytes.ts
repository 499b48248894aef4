/**
 * SQL text that is not valid UTF-8. A client may send bytes of a binary string inside a string
 * literal as they are (`mariadb-dump` writes a BLOB so: `'\0ÿ…'` with raw bytes 0x80–0xFF).
 * The statement is decoded with each byte that starts no valid UTF-8 sequence kept as a lone
 * surrogate U+DC80…U+DCFF, and a string stored into a binary column (or translated as a
 * binary literal) gets those bytes back; valid characters become their UTF-8 bytes.
 */

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');
const ESCAPE_BASE = 0xdc00;

/**
 * Decodes SQL text; bytes that are not UTF-8 become U+DC80…U+DCFF. NUL bytes that end the text
 * are not part of it: C clients may count a string's terminator in its length (`mariadb-slap`
 * sends every statement so), and MariaDB ends the statement there.
 */
export function decodeSqlText(bytes: Uint8Array): string {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end -= 1;
  const text = end === bytes.length ? bytes : bytes.subarray(0, end);
  try {
    return strict.decode(text);
  } catch {
    return decodeEscaped(text);
  }
}

function decodeEscaped(bytes: Uint8Array): string {
  let text = '';
  let start = 0;
  let index = 0;
  while (index < bytes.length) {
    const length = sequenceLength(bytes, index);
    if (length > 0) {
      index += length;
      continue;
    }
    text += lenient.decode(bytes.subarray(start, index));
    text += String.fromCharCode(ESCAPE_BASE + bytes[index]!);
    index += 1;
    start = index;
  }
  return text + lenient.decode(bytes.subarray(start));
}

/** The length of the valid UTF-8 sequence at `index`, 0 when there is none. */
function sequenceLength(bytes: Uint8Array, index: number): number {
  const first = bytes[index]!;
  if (first < 0x80) return 1;
  const length = first >= 0xc2 && first <= 0xdf ? 2 : first >= 0xe0 && first <= 0xef ? 3 : 4;
  if (first < 0xc2 || first > 0xf4 || index + length > bytes.length) return 0;
  for (let next = 1; next < length; next += 1) if ((bytes[index + next]! & 0xc0) !== 0x80) return 0;
  const second = bytes[index + 1]!;
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
  if (first === 0xe0 && second < 0xa0) return 0;
  if (first === 0xed && second >= 0xa0) return 0;
  if (first === 0xf0 && second < 0x90) return 0;
  if (first === 0xf4 && second >= 0x90) return 0;
  return length;
}

/** Whether the text holds raw bytes kept by `decodeSqlText`. */
export function hasRawBytes(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0xdc80 && code <= 0xdcff && !isLowHalf(text, index)) return true;
  }
  return false;
}

/** A low surrogate that completes the high surrogate before it (an ordinary character). */
function isLowHalf(text: string, index: number): boolean {
  const before = index > 0 ? text.charCodeAt(index - 1) : 0;
  return before >= 0xd800 && before <= 0xdbff;
}

/** The bytes of a string for a binary value: UTF-8, with the raw bytes given back. */
export function binaryBytes(text: string): Uint8Array {
  if (!hasRawBytes(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let start = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0xdc80 || code > 0xdcff || isLowHalf(text, index)) continue;
    parts.push(Buffer.from(text.slice(start, index), 'utf8'), Buffer.of(code - ESCAPE_BASE));
    start = index + 1;
  }
  parts.push(Buffer.from(text.slice(start), 'utf8'));
  return Buffer.concat(parts);
}
