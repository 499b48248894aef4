/**
 * Leaf wire protocol framing. A frame is: u32 length of what follows, u32 request id, u8 op,
 * payload. Requests carry the op of the call; responses carry `Op.Ok` or `Op.Error` and the
 * id of the request they answer, in any order (many requests are in flight per connection).
 */
import { BinaryError } from '../storage/binary.js';

export const FRAME_HEADER_BYTES = 9;
export const FRAME_BYTES_MAX = 256 * 1024 * 1024;

export const Op = {
  Info: 1,
  CreatePartition: 2,
  DropPartition: 3,
  Exec: 4,
  Insert: 5,
  Prepare: 6,
  Commit: 7,
  Rollback: 8,
  InDoubt: 9,
  Load: 10,
  Savepoint: 20,
  RollbackToSavepoint: 21,
  CreateBroadcast: 11,
  DropBroadcast: 12,
  ExportBroadcastRows: 40,
  /**
   * Interrupts the request whose id the frame carries (KILL QUERY, statement timeouts). It has
   * no answer of its own: the interrupted request answers ER_QUERY_INTERRUPTED (1317).
   */
  Cancel: 13,
  FreezePartition: 14,
  ReadPartitionChunk: 15,
  ThawPartition: 16,
  ReceivePartitionChunk: 17,
  InstallPartition: 18,
  LockWaits: 22,
  FailLockWait: 23,
  Ok: 0x80,
  Error: 0x81,
} as const;
export type Op = (typeof Op)[keyof typeof Op];

export interface Frame {
  readonly id: number;
  readonly op: number;
  readonly payload: Buffer;
}

/** A frame's payload, whole or in pieces that the frame joins (one copy of each). */
export type Payload = Uint8Array | readonly Uint8Array[];

export function payloadLength(payload: Payload): number {
  if (payload instanceof Uint8Array) return payload.length;
  let length = 0;
  for (const part of payload) length += part.length;
  return length;
}

export function encodeFrame(id: number, op: number, payload: Payload): Buffer {
  const length = payloadLength(payload);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length);
  frame.writeUInt32LE(5 + length, 0);
  frame.writeUInt32LE(id, 4);
  frame[8] = op;
  if (payload instanceof Uint8Array) frame.set(payload, FRAME_HEADER_BYTES);
  else {
    let offset = FRAME_HEADER_BYTES;
    for (const part of payload) {
      frame.set(part, offset);
      offset += part.length;
    }
  }
  return frame;
}

/**
 * Splits a byte stream into frames. Chunks are kept in a list and joined once a whole frame
 * has arrived, so a large frame costs one copy. A frame over `frameBytesMax` or shorter than
 * its header is a protocol error: the connection cannot be resynchronised.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly frameBytesMax = FRAME_BYTES_MAX) {}

  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      if (this.buffered < 4) break;
      const head = this.peek(4);
      const length = head.readUInt32LE(0);
      if (length < 5) throw new BinaryError(`Frame length ${length} is shorter than its header`);
      if (length > this.frameBytesMax) {
        throw new BinaryError(
          `Frame of ${length} bytes exceeds the limit of ${this.frameBytesMax} bytes`,
        );
      }
      if (this.buffered < 4 + length) break;
      const frame = this.take(4 + length);
      frames.push({
        id: frame.readUInt32LE(4),
        op: frame[8] ?? 0,
        payload: frame.subarray(FRAME_HEADER_BYTES),
      });
    }
    return frames;
  }

  private peek(bytes: number): Buffer {
    const first = this.chunks[0] as Buffer;
    if (first.length >= bytes) return first;
    const joined = Buffer.concat(this.chunks);
    this.chunks = [joined];
    return joined;
  }

  private take(bytes: number): Buffer {
    const joined =
      this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    const frame = joined.subarray(0, bytes);
    const rest = joined.subarray(bytes);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return frame;
  }
}
