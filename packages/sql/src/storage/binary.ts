/**
 * Little-endian binary writer and reader shared by the wire protocol, the row codec and the
 * prepare log. The writer grows its buffer geometrically; the reader checks every length
 * against the bytes left, so malformed input fails with `BinaryError` and never reads past
 * the end or allocates more than the input holds.
 */
export class BinaryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BinaryError';
  }
}

const INITIAL_BYTES = 256;
/** Text up to this many characters is tried as ASCII first (`string`). */
const SHORT_TEXT_MAX = 48;

export class BinaryWriter {
  private buffer: Buffer;
  private offset = 0;

  constructor(initialBytes = INITIAL_BYTES) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  get length(): number {
    return this.offset;
  }

  private ensure(bytes: number): void {
    const needed = this.offset + bytes;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buffer.copy(next, 0, 0, this.offset);
    this.buffer = next;
  }

  u8(value: number): void {
    this.ensure(1);
    this.buffer[this.offset++] = value;
  }

  u32(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32LE(value, this.offset);
    this.offset += 4;
  }

  i32(value: number): void {
    this.ensure(4);
    this.buffer.writeInt32LE(value, this.offset);
    this.offset += 4;
  }

  f64(value: number): void {
    this.ensure(8);
    this.buffer.writeDoubleLE(value, this.offset);
    this.offset += 8;
  }

  i64(value: bigint): void {
    this.ensure(8);
    this.buffer.writeBigInt64LE(value, this.offset);
    this.offset += 8;
  }

  /** A safe integer as int64 without going through bigint (the common case). */
  int(value: number): void {
    this.ensure(8);
    const low = value % 0x1_0000_0000;
    const high = (value - low) / 0x1_0000_0000;
    this.buffer.writeUInt32LE(low >>> 0, this.offset);
    this.buffer.writeInt32LE(low < 0 ? high - 1 : high, this.offset + 4);
    this.offset += 8;
  }

  /** u32 byte length, then UTF-8. */
  string(value: string): void {
    // Short ASCII text (most values: numbers as text, dates, codes) is copied by a loop, which
    // costs a quarter of a `Buffer.write` call at these lengths; other text takes the call.
    const length = value.length;
    if (length <= SHORT_TEXT_MAX) {
      this.ensure(4 + length);
      const start = this.offset + 4;
      let index = 0;
      while (index < length) {
        const code = value.charCodeAt(index);
        if (code >= 0x80) break;
        this.buffer[start + index] = code;
        index += 1;
      }
      if (index === length) {
        this.buffer.writeUInt32LE(length, this.offset);
        this.offset = start + length;
        return;
      }
    }
    const maxBytes = value.length * 3;
    this.ensure(4 + maxBytes);
    const written = this.buffer.write(value, this.offset + 4, maxBytes, 'utf8');
    this.buffer.writeUInt32LE(written, this.offset);
    this.offset += 4 + written;
  }

  bytes(value: Uint8Array): void {
    this.ensure(4 + value.length);
    this.buffer.writeUInt32LE(value.length, this.offset);
    this.buffer.set(value, this.offset + 4);
    this.offset += 4 + value.length;
  }

  raw(value: Uint8Array): void {
    this.ensure(value.length);
    this.buffer.set(value, this.offset);
    this.offset += value.length;
  }

  /** Reserves four bytes to patch later (lengths known only after writing). */
  reserveU32(): number {
    this.ensure(4);
    const at = this.offset;
    this.offset += 4;
    return at;
  }

  patchU32(at: number, value: number): void {
    this.buffer.writeUInt32LE(value, at);
  }

  /** The bytes written so far (a view: copy before writing more if kept). */
  view(): Buffer {
    return this.buffer.subarray(0, this.offset);
  }
}

export class BinaryReader {
  private offset: number;
  private readonly end: number;

  constructor(
    private readonly buffer: Buffer,
    start = 0,
    end = buffer.length,
  ) {
    this.offset = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(bytes: number): void {
    if (bytes > this.end - this.offset) throw new BinaryError('Truncated message');
  }

  u8(): number {
    this.need(1);
    return this.buffer[this.offset++] ?? 0;
  }

  u32(): number {
    this.need(4);
    const value = this.buffer.readUInt32LE(this.offset);
    this.offset += 4;
    return value;
  }

  i32(): number {
    this.need(4);
    const value = this.buffer.readInt32LE(this.offset);
    this.offset += 4;
    return value;
  }

  f64(): number {
    this.need(8);
    const value = this.buffer.readDoubleLE(this.offset);
    this.offset += 8;
    return value;
  }

  /** int64 as a number when it is safe, otherwise a bigint (values.ts convention). */
  int(): number | bigint {
    this.need(8);
    const low = this.buffer.readUInt32LE(this.offset);
    const high = this.buffer.readInt32LE(this.offset + 4);
    if (high >= -0x20_0000 && high < 0x20_0000) {
      const value = high * 0x1_0000_0000 + low;
      if (value >= -Number.MAX_SAFE_INTEGER) {
        this.offset += 8;
        return value;
      }
    }
    const value = this.buffer.readBigInt64LE(this.offset);
    this.offset += 8;
    return value;
  }

  string(): string {
    const length = this.u32();
    this.need(length);
    const value = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** A copy, so the value outlives the frame buffer. */
  bytes(): Uint8Array {
    const length = this.u32();
    this.need(length);
    const value = new Uint8Array(length);
    value.set(this.buffer.subarray(this.offset, this.offset + length));
    this.offset += length;
    return value;
  }

  /** What `bytes` reads, as a view of the buffer (no copy: it lives as long as the frame). */
  bytesView(): Buffer {
    return this.raw(this.u32());
  }

  /** A view of `length` bytes (no copy). */
  raw(length: number): Buffer {
    this.need(length);
    const value = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** A count of items that each take at least `minBytes`, checked against what is left. */
  count(minBytes: number): number {
    const value = this.u32();
    if (value * minBytes > this.remaining) throw new BinaryError('Count exceeds message size');
    return value;
  }
}
