/**
 * MySQL Packets: every packet is a 3-byte little-endian payload length, a 1-byte sequence id
 * and the payload. A payload of 0xFFFFFF bytes or more is split into 0xFFFFFF-byte packets
 * followed by a shorter one (possibly empty) ("Sending More Than 16Mb").
 *
 * `PacketDecoder` turns a byte stream into whole (joined) payloads and refuses payloads larger
 * than max_allowed_packet as soon as a header announces them, before buffering their bytes.
 */
import { PACKET_PAYLOAD_MAX } from './constants.js';

export interface Packet {
  /** The sequence id of the last physical packet of this payload. */
  readonly sequenceId: number;
  readonly payload: Uint8Array;
}

export type DecodeEvent =
  | { readonly kind: 'packet'; readonly packet: Packet }
  | { readonly kind: 'too-large'; readonly payloadBytes: number; readonly sequenceId: number };

const HEADER_BYTES = 4;

export class PacketDecoder {
  private readonly maxPayloadBytes: number;
  /** Header bytes received so far when a header spans chunks. */
  private readonly header = new Uint8Array(HEADER_BYTES);
  private headerFilled = 0;
  /** The physical packet being read: its length, sequence id and the bytes so far. */
  private bodyLength = -1;
  private bodySequenceId = 0;
  private body: Uint8Array | undefined;
  private bodyFilled = 0;
  /** Earlier 0xFFFFFF-byte parts of a split payload. */
  private parts: Uint8Array[] = [];
  private partsBytes = 0;
  private failed = false;

  constructor(options: { maxPayloadBytes: number }) {
    this.maxPayloadBytes = options.maxPayloadBytes;
  }

  /** Feeds received bytes; returns the payloads completed by them, in order. */
  push(chunk: Uint8Array): DecodeEvent[] {
    const events: DecodeEvent[] = [];
    this.decode(chunk, events, false);
    return events;
  }

  /**
   * Feeds received bytes but stops right after the first completed payload, returning the
   * bytes that follow it unread. The Connection Phase needs this: after an SSLRequest the
   * client's next bytes are a TLS ClientHello, not MySQL packets.
   */
  pushUntilPacket(chunk: Uint8Array): { events: DecodeEvent[]; rest: Uint8Array } {
    const events: DecodeEvent[] = [];
    const offset = this.decode(chunk, events, true);
    return { events, rest: chunk.subarray(offset) };
  }

  /** Decodes from `chunk` into `events`; returns how many bytes were consumed. */
  private decode(chunk: Uint8Array, events: DecodeEvent[], stopAfterPacket: boolean): number {
    let offset = 0;
    while (offset < chunk.length && !this.failed) {
      if (stopAfterPacket && events.length > 0) break;
      if (this.bodyLength < 0) {
        // Fast path: a whole header in this chunk.
        if (this.headerFilled === 0 && chunk.length - offset >= HEADER_BYTES) {
          const length = chunk[offset]! | (chunk[offset + 1]! << 8) | (chunk[offset + 2]! << 16);
          this.startBody(length, chunk[offset + 3]!, events);
          offset += HEADER_BYTES;
        } else {
          const take = Math.min(HEADER_BYTES - this.headerFilled, chunk.length - offset);
          this.header.set(chunk.subarray(offset, offset + take), this.headerFilled);
          this.headerFilled += take;
          offset += take;
          if (this.headerFilled === HEADER_BYTES) {
            const h = this.header;
            this.headerFilled = 0;
            this.startBody(h[0]! | (h[1]! << 8) | (h[2]! << 16), h[3]!, events);
          }
        }
        if (this.failed) break;
        // The header is still incomplete: wait for the next chunk.
        if (this.bodyLength < 0) continue;
        if (this.bodyLength === 0) {
          this.finishBody(new Uint8Array(0), events);
          continue;
        }
        // Fast path: a whole body in this chunk is used without copying.
        if (chunk.length - offset >= this.bodyLength) {
          const body = chunk.subarray(offset, offset + this.bodyLength);
          offset += this.bodyLength;
          this.finishBody(body, events);
          continue;
        }
        this.body = new Uint8Array(this.bodyLength);
        this.bodyFilled = 0;
      }
      const body = this.body!;
      const take = Math.min(body.length - this.bodyFilled, chunk.length - offset);
      body.set(chunk.subarray(offset, offset + take), this.bodyFilled);
      this.bodyFilled += take;
      offset += take;
      if (this.bodyFilled === body.length) this.finishBody(body, events);
    }
    return offset;
  }

  private startBody(length: number, sequenceId: number, events: DecodeEvent[]): void {
    const total = this.partsBytes + length;
    if (total > this.maxPayloadBytes) {
      this.failed = true;
      this.parts = [];
      events.push({ kind: 'too-large', payloadBytes: total, sequenceId });
      return;
    }
    this.bodyLength = length;
    this.bodySequenceId = sequenceId;
  }

  private finishBody(body: Uint8Array, events: DecodeEvent[]): void {
    const length = this.bodyLength;
    this.bodyLength = -1;
    this.body = undefined;
    if (length === PACKET_PAYLOAD_MAX) {
      // A full-size packet: more of the same payload follows.
      this.parts.push(body);
      this.partsBytes += body.length;
      return;
    }
    let payload = body;
    if (this.parts.length > 0) {
      payload = new Uint8Array(this.partsBytes + body.length);
      let at = 0;
      for (const part of this.parts) {
        payload.set(part, at);
        at += part.length;
      }
      payload.set(body, at);
      this.parts = [];
      this.partsBytes = 0;
    }
    events.push({ kind: 'packet', packet: { sequenceId: this.bodySequenceId, payload } });
  }
}

/**
 * Frames one payload into physical packets starting at `sequenceId`, splitting at
 * 0xFFFFFF bytes. Returns the buffers to write and the next sequence id.
 */
export function framePayload(
  payload: Uint8Array,
  sequenceId: number,
): { buffers: Uint8Array[]; nextSequenceId: number } {
  const buffers: Uint8Array[] = [];
  let sequence = sequenceId & 0xff;
  let offset = 0;
  for (;;) {
    const length = Math.min(PACKET_PAYLOAD_MAX, payload.length - offset);
    const header = new Uint8Array(HEADER_BYTES);
    header[0] = length & 0xff;
    header[1] = (length >> 8) & 0xff;
    header[2] = (length >> 16) & 0xff;
    header[3] = sequence;
    buffers.push(header, payload.subarray(offset, offset + length));
    sequence = (sequence + 1) & 0xff;
    offset += length;
    // A payload ending exactly on a full packet is terminated by an empty packet.
    if (length < PACKET_PAYLOAD_MAX) break;
  }
  return { buffers, nextSequenceId: sequence };
}
