/**
 * Builds packet payloads from the protocol's basic data types ("Basic Data Types":
 * int<n>, int<lenenc>, string<lenenc>, string<NUL>). The buffer grows by doubling.
 */

const utf8Encoder = new TextEncoder();

/** Below this length, Buffer.from is cheaper than TextEncoder (no typed-array setup). */
const SHORT_TEXT_CHARS = 64;

export function encodeUtf8(text: string): Uint8Array {
  return text.length < SHORT_TEXT_CHARS ? Buffer.from(text, 'utf8') : utf8Encoder.encode(text);
}

/** Bytes an int<lenenc> takes for `value`. */
export function lengthEncodedIntegerSize(value: number): number {
  if (value < 0xfb) return 1;
  if (value < 0x10000) return 3;
  if (value < 0x1000000) return 4;
  return 9;
}

export class PayloadWriter {
  private buffer: Buffer;
  private length = 0;

  constructor(initialBytes = 64) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  private reserve(count: number): number {
    const start = this.length;
    const needed = start + count;
    if (needed > this.buffer.length) {
      let size = this.buffer.length * 2;
      while (size < needed) size *= 2;
      const grown = Buffer.allocUnsafe(size);
      this.buffer.copy(grown, 0, 0, start);
      this.buffer = grown;
    }
    this.length = needed;
    return start;
  }

  uint8(value: number): this {
    const at = this.reserve(1);
    this.buffer[at] = value & 0xff;
    return this;
  }

  uint16(value: number): this {
    const at = this.reserve(2);
    this.buffer.writeUInt16LE(value & 0xffff, at);
    return this;
  }

  uint24(value: number): this {
    const at = this.reserve(3);
    this.buffer.writeUIntLE(value & 0xffffff, at, 3);
    return this;
  }

  uint32(value: number): this {
    const at = this.reserve(4);
    this.buffer.writeUInt32LE(value >>> 0, at);
    return this;
  }

  /** int<8> from a bigint, two's complement (signed and unsigned share the bytes). */
  int64(value: bigint): this {
    const at = this.reserve(8);
    this.buffer.writeBigUInt64LE(BigInt.asUintN(64, value), at);
    return this;
  }

  float32(value: number): this {
    const at = this.reserve(4);
    this.buffer.writeFloatLE(value, at);
    return this;
  }

  float64(value: number): this {
    const at = this.reserve(8);
    this.buffer.writeDoubleLE(value, at);
    return this;
  }

  /** int<lenenc> ("Length-Encoded Integer Type"). */
  lengthEncodedInteger(value: number | bigint): this {
    if (typeof value === 'number' && value >= 0 && value < 0x1000000) {
      const integer = Math.trunc(value);
      if (integer < 0xfb) return this.uint8(integer);
      if (integer < 0x10000) return this.uint8(0xfc).uint16(integer);
      return this.uint8(0xfd).uint24(integer);
    }
    const number = typeof value === 'bigint' ? value : BigInt(Math.max(0, Math.trunc(value)));
    if (number < 0x1000000n) return this.lengthEncodedInteger(Number(number));
    return this.uint8(0xfe).int64(number);
  }

  bytes(value: Uint8Array): this {
    const at = this.reserve(value.length);
    this.buffer.set(value, at);
    return this;
  }

  /** Writes UTF-8 text without a length prefix (string<fix> / string<EOF>). */
  text(value: string): this {
    return this.bytes(encodeUtf8(value));
  }

  lengthEncodedBytes(value: Uint8Array): this {
    return this.lengthEncodedInteger(value.length).bytes(value);
  }

  lengthEncodedString(value: string): this {
    // Encoded straight into the buffer: short strings (names, numbers) are the common case.
    const size = Buffer.byteLength(value, 'utf8');
    this.lengthEncodedInteger(size);
    const at = this.reserve(size);
    this.buffer.write(value, at, size, 'utf8');
    return this;
  }

  nulTerminatedString(value: string): this {
    return this.text(value).uint8(0);
  }

  zeros(count: number): this {
    const at = this.reserve(count);
    this.buffer.fill(0, at, this.length);
    return this;
  }

  /** The payload built so far (a view; the writer must not be reused afterwards). */
  finish(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}
