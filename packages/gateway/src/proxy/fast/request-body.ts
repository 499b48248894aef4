import { ChunkedDecoder } from './chunked-decoder.js';
import type { BodyFraming } from './request-head.js';

/** Where request body bytes go once the upstream request is under way (forward-attempt.ts). */
export interface BodySink {
  /** False when the upstream cannot take more now; reading resumes after its drain. */
  writeBody(data: Buffer): boolean;
  endBody(): void;
}

/**
 * The body of one request on the fast path, as the client connection feeds it: delimited by
 * Content-Length or decoded from chunked (RFC 9112 §6.3, §7.1), passed to the sink without
 * copies, and read only while the sink takes it (the connection pauses while `blocked`).
 */
export class RequestBody {
  private remaining: number;
  private readonly decoder: ChunkedDecoder | undefined;
  private sink: BodySink | undefined = undefined;
  /** The whole body was read (or there is none). */
  done: boolean;
  /** Decoded bytes of a chunked body so far. */
  received = 0;
  /** The sink cannot take more now; the connection stops reading. */
  blocked = false;
  /** Set for a body without Content-Length: counted while it streams. */
  bytesMax: number | undefined = undefined;

  constructor(
    framing: BodyFraming,
    /** A chunked body crossed `bytesMax`; nothing more is read. */
    private readonly onTooLarge: (bytesMax: number) => void,
  ) {
    this.done = framing.kind === 'none';
    this.remaining = framing.kind === 'length' ? framing.bytes : 0;
    this.decoder = framing.kind === 'chunked' ? new ChunkedDecoder() : undefined;
  }

  /** Whether a sink was given: the body is being (or was) forwarded. */
  get started(): boolean {
    return this.sink !== undefined;
  }

  get wanted(): boolean {
    return this.sink !== undefined && !this.done && !this.blocked;
  }

  /** Body bytes go to `sink` from now on. */
  start(sink: BodySink): void {
    this.sink = sink;
  }

  /**
   * Feeds bytes from `buffer` at `offset` to the sink; returns the offset after what it took,
   * or -1 when the chunked coding is invalid.
   */
  consume(buffer: Buffer, offset: number): number {
    const sink = this.sink!;
    if (this.decoder === undefined) {
      const take = Math.min(this.remaining, buffer.length - offset);
      this.remaining -= take;
      if (take > 0 && !sink.writeBody(buffer.subarray(offset, offset + take))) this.blocked = true;
      if (this.remaining === 0) this.finish(sink);
      return offset + take;
    }
    const end = this.decoder.feed(buffer, offset, (data) => {
      this.received += data.length;
      if (!sink.writeBody(data)) this.blocked = true;
    });
    if (end < 0) return -1;
    if (this.bytesMax !== undefined && this.received > this.bytesMax) {
      this.done = true;
      this.onTooLarge(this.bytesMax);
      return end;
    }
    if (this.decoder.done) this.finish(sink);
    return end;
  }

  private finish(sink: BodySink): void {
    this.done = true;
    sink.endBody();
  }
}
