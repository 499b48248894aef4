/**
 * A streaming decoder of the chunked transfer coding (RFC 9112 §7.1), for request bodies from
 * clients and response bodies from upstreams alike. It is fed the bytes as they arrive, hands
 * the data of each chunk over as slices of those bytes (no copy), and stops exactly at the end
 * of the message, so that what follows (a pipelined request, the next response on a keep-alive
 * connection) stays for the caller.
 *
 * Chunk extensions (§7.1.1) are skipped; trailer fields (§7.1.2) are read and dropped, as a
 * proxy may do with fields it does not know to be safe to forward.
 */

/** Hex digits of a chunk size: 15 hex digits stay below 2^53 (a larger size is refused). */
const sizeDigitsMax = 15;
/** A chunk-size line with its extensions, and each trailer line, is bounded. */
const lineBytesMax = 4096;
/** Trailer section bytes, bounded like a head. */
const trailerBytesMax = 16 * 1024;

const enum State {
  Size,
  Extension,
  SizeLineEnd,
  Data,
  DataCr,
  DataLf,
  TrailerLine,
  TrailerLineEnd,
  Done,
}

export class ChunkedDecoder {
  private state = State.Size;
  private size = 0;
  private digits = 0;
  private remaining = 0;
  private lineBytes = 0;
  private trailerBytes = 0;
  /** Why the coding is invalid, once it is; the message cannot be framed any more. */
  fault: string | undefined = undefined;

  get done(): boolean {
    return this.state === State.Done;
  }

  /**
   * Consumes bytes of `buffer` from `offset`, calling `onData` with each piece of chunk data,
   * and returns the offset where it stopped: the end of the buffer, or the first byte after the
   * message when it ended. On invalid input it sets `fault` and returns -1.
   */
  feed(buffer: Buffer, offset: number, onData: (data: Buffer) => void): number {
    let index = offset;
    const length = buffer.length;
    while (index < length && this.state !== State.Done) {
      if (this.state === State.Data) {
        const take = Math.min(this.remaining, length - index);
        onData(buffer.subarray(index, index + take));
        index += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = State.DataCr;
        continue;
      }
      const byte = buffer[index++]!;
      if (!this.step(byte)) return -1;
    }
    return index;
  }

  private step(byte: number): boolean {
    switch (this.state) {
      case State.Size: {
        const value = hexValue(byte);
        if (value >= 0) {
          if (++this.digits > sizeDigitsMax) return this.fail('a chunk size too large');
          this.size = this.size * 16 + value;
          return true;
        }
        if (this.digits === 0) return this.fail('a chunk size that is not hexadecimal');
        if (byte === 13) this.state = State.SizeLineEnd;
        else if (byte === 59 /* ; */ || byte === 32 || byte === 9) this.state = State.Extension;
        else return this.fail('a chunk size that is not hexadecimal');
        return true;
      }
      case State.Extension:
        if (++this.lineBytes > lineBytesMax) return this.fail('a chunk extension too long');
        if (byte === 13) this.state = State.SizeLineEnd;
        else if (byte === 10) return this.fail('a bare LF in a chunk size line');
        return true;
      case State.SizeLineEnd:
        if (byte !== 10) return this.fail('a chunk size line without CRLF');
        this.lineBytes = 0;
        this.digits = 0;
        if (this.size === 0) {
          this.state = State.TrailerLine;
          return true;
        }
        this.remaining = this.size;
        this.size = 0;
        this.state = State.Data;
        return true;
      case State.DataCr:
        if (byte !== 13) return this.fail('chunk data longer than its size');
        this.state = State.DataLf;
        return true;
      case State.DataLf:
        if (byte !== 10) return this.fail('chunk data not followed by CRLF');
        this.state = State.Size;
        return true;
      case State.TrailerLine:
        if (++this.trailerBytes > trailerBytesMax) return this.fail('a trailer section too large');
        if (byte === 13) this.state = State.TrailerLineEnd;
        else if (byte === 10) return this.fail('a bare LF in the trailer section');
        else this.lineBytes++;
        return true;
      case State.TrailerLineEnd:
        if (byte !== 10) return this.fail('a trailer line without CRLF');
        // An empty line ends the message; any other line was a trailer field.
        if (this.lineBytes === 0) this.state = State.Done;
        this.lineBytes = 0;
        if (this.state !== State.Done) this.state = State.TrailerLine;
        return true;
      default:
        return true;
    }
  }

  private fail(reason: string): false {
    this.fault = reason;
    return false;
  }
}

function hexValue(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48;
  const lower = byte | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}
