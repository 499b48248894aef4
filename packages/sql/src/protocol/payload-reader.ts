/**
 * Reads the basic data types of the protocol ("Basic Data Types": fixed-length integers,
 * length-encoded integers and strings, NUL-terminated strings) from one packet payload.
 * Every read is bounds-checked: a payload that ends early raises `MalformedPacketError`,
 * which the connection answers with an ERR packet instead of crashing.
 */

/** A client sent bytes that do not form the packet the protocol expects at this point. */
export class MalformedPacketError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedPacketError';
  }
}

const utf8Decoder = new TextDecoder('utf-8');
const strictUtf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8, replacing invalid sequences (names, SQL text). */
export function decodeUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

/** Decodes UTF-8, or returns undefined when the bytes are not valid UTF-8. */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8Decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

export class PayloadReader {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  offset: number;

  constructor(bytes: Uint8Array, offset = 0) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  private need(count: number, what: string): void {
    if (count < 0 || this.offset + count > this.bytes.length) {
      throw new MalformedPacketError(`Malformed packet: ${what} runs past the end of the packet`);
    }
  }

  uint8(what = 'int<1>'): number {
    this.need(1, what);
    const value = this.view.getUint8(this.offset);
    this.offset += 1;
    return value;
  }

  uint16(what = 'int<2>'): number {
    this.need(2, what);
    const value = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return value;
  }

  uint24(what = 'int<3>'): number {
    this.need(3, what);
    const value =
      this.view.getUint16(this.offset, true) | (this.view.getUint8(this.offset + 2) << 16);
    this.offset += 3;
    return value;
  }

  uint32(what = 'int<4>'): number {
    this.need(4, what);
    const value = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }

  int8(what = 'int<1>'): number {
    this.need(1, what);
    const value = this.view.getInt8(this.offset);
    this.offset += 1;
    return value;
  }

  int16(what = 'int<2>'): number {
    this.need(2, what);
    const value = this.view.getInt16(this.offset, true);
    this.offset += 2;
    return value;
  }

  int32(what = 'int<4>'): number {
    this.need(4, what);
    const value = this.view.getInt32(this.offset, true);
    this.offset += 4;
    return value;
  }

  int64(what = 'int<8>'): bigint {
    this.need(8, what);
    const value = this.view.getBigInt64(this.offset, true);
    this.offset += 8;
    return value;
  }

  uint64(what = 'int<8>'): bigint {
    this.need(8, what);
    const value = this.view.getBigUint64(this.offset, true);
    this.offset += 8;
    return value;
  }

  float32(what = 'float'): number {
    this.need(4, what);
    const value = this.view.getFloat32(this.offset, true);
    this.offset += 4;
    return value;
  }

  float64(what = 'double'): number {
    this.need(8, what);
    const value = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return value;
  }

  /** int<lenenc> ("Length-Encoded Integer Type"); 0xFB (NULL) and 0xFF are rejected here. */
  lengthEncodedInteger(what = 'int<lenenc>'): number {
    const first = this.uint8(what);
    if (first < 0xfb) return first;
    if (first === 0xfc) return this.uint16(what);
    if (first === 0xfd) return this.uint24(what);
    if (first === 0xfe) {
      const value = this.uint64(what);
      if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new MalformedPacketError(`Malformed packet: ${what} is too large`);
      }
      return Number(value);
    }
    throw new MalformedPacketError(
      `Malformed packet: invalid ${what} prefix 0x${first.toString(16)}`,
    );
  }

  bytesFixed(count: number, what = 'string<fix>'): Uint8Array {
    this.need(count, what);
    const value = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return value;
  }

  /** string<lenenc> as raw bytes. */
  lengthEncodedBytes(what = 'string<lenenc>'): Uint8Array {
    const length = this.lengthEncodedInteger(what);
    return this.bytesFixed(length, what);
  }

  lengthEncodedString(what = 'string<lenenc>'): string {
    return decodeUtf8(this.lengthEncodedBytes(what));
  }

  /** string<NUL> as raw bytes; a missing terminator is malformed. */
  nulTerminatedBytes(what = 'string<NUL>'): Uint8Array {
    const end = this.bytes.indexOf(0, this.offset);
    if (end < 0) throw new MalformedPacketError(`Malformed packet: ${what} is not terminated`);
    const value = this.bytes.subarray(this.offset, end);
    this.offset = end + 1;
    return value;
  }

  nulTerminatedString(what = 'string<NUL>'): string {
    return decodeUtf8(this.nulTerminatedBytes(what));
  }

  /** string<EOF>: the rest of the payload. */
  restBytes(): Uint8Array {
    const value = this.bytes.subarray(this.offset);
    this.offset = this.bytes.length;
    return value;
  }

  restString(): string {
    return decodeUtf8(this.restBytes());
  }
}
