/**
 * One client socket seen as a sequence of packets ("MySQL Packets"): incoming bytes are
 * decoded into payloads that the connection reads one at a time, and outgoing payloads are
 * framed with the running sequence id, buffered, and written in batches with backpressure.
 *
 * Sequence ids: each packet read sets the next id to send to its id + 1, so a reply always
 * continues the client's sequence, and a new command (id 0) resets it.
 */
import type { Socket } from 'node:net';
import { ER } from '../errors.js';
import { PACKET_PAYLOAD_MAX } from './constants.js';
import { framePayload, PacketDecoder, type Packet } from './packet-framing.js';
import { errPacket } from './response-packets.js';

/** Incoming packets waiting to be read before the socket is paused. */
const QUEUE_BYTES_MAX = 16 * 1024 * 1024;
/** Outgoing bytes buffered before they are handed to the socket. */
const OUTBOX_BYTES_FLUSH = 64 * 1024;
/** How long a closing connection may take to read the client's leftovers before it is cut. */
const LINGER_MS = 2000;

export class PacketChannel {
  private readonly socket: Socket;
  private readonly decoder: PacketDecoder;
  private readonly queue: Packet[] = [];
  private queueBytes = 0;
  private waiter: ((packet: Packet | undefined) => void) | undefined;
  private closed = false;
  private outbox: Uint8Array[] = [];
  private outboxBytes = 0;
  /** The sequence id of the next packet sent. */
  sequenceId = 0;

  constructor(socket: Socket, options: { maxPayloadBytes: number }) {
    this.socket = socket;
    this.decoder = new PacketDecoder({ maxPayloadBytes: options.maxPayloadBytes });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => this.markClosed());
    socket.on('end', () => this.markClosed());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    for (const event of this.decoder.push(chunk)) {
      if (event.kind === 'too-large') {
        this.sequenceId = (event.sequenceId + 1) & 0xff;
        this.refuseTooLarge();
        return;
      }
      this.queue.push(event.packet);
      this.queueBytes += event.packet.payload.length;
    }
    if (this.queueBytes > QUEUE_BYTES_MAX) this.socket.pause();
    this.wake();
  }

  /** ER_NET_PACKET_TOO_LARGE, then the connection ends (as MySQL does). */
  private refuseTooLarge(): void {
    this.outbox = [];
    this.outboxBytes = 0;
    const [errno, sqlState] = ER.NET_PACKET_TOO_LARGE;
    this.write(
      errPacket({
        errno,
        sqlState,
        message: "Got a packet bigger than 'max_allowed_packet' bytes",
      }),
    );
    void this.flush();
    this.end();
  }

  private wake(): void {
    const waiter = this.waiter;
    if (waiter === undefined) return;
    if (this.queue.length > 0) {
      this.waiter = undefined;
      waiter(this.take());
    } else if (this.closed) {
      this.waiter = undefined;
      waiter(undefined);
    }
  }

  private take(): Packet {
    const packet = this.queue.shift()!;
    this.queueBytes -= packet.payload.length;
    if (this.queueBytes <= QUEUE_BYTES_MAX / 2 && this.socket.isPaused()) this.socket.resume();
    this.sequenceId = (packet.sequenceId + 1) & 0xff;
    return packet;
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.queueBytes = 0;
    this.wake();
  }

  /** The next packet, or undefined once the connection is closed. */
  read(): Promise<Packet | undefined> {
    if (this.queue.length > 0) return Promise.resolve(this.take());
    if (this.closed) return Promise.resolve(undefined);
    if (this.waiter !== undefined)
      return Promise.reject(new Error('PacketChannel.read is already pending'));
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Frames and buffers one payload with the next sequence id. */
  write(payload: Uint8Array): void {
    if (payload.length < PACKET_PAYLOAD_MAX) {
      const header = new Uint8Array(4);
      header[0] = payload.length & 0xff;
      header[1] = (payload.length >> 8) & 0xff;
      header[2] = payload.length >> 16;
      header[3] = this.sequenceId;
      this.sequenceId = (this.sequenceId + 1) & 0xff;
      this.outbox.push(header, payload);
      this.outboxBytes += payload.length + 4;
    } else {
      const framed = framePayload(payload, this.sequenceId);
      this.sequenceId = framed.nextSequenceId;
      for (const buffer of framed.buffers) {
        this.outbox.push(buffer);
        this.outboxBytes += buffer.length;
      }
    }
  }

  /** True when enough output is buffered that the caller should flush before continuing. */
  get shouldFlush(): boolean {
    return this.outboxBytes >= OUTBOX_BYTES_FLUSH;
  }

  /** Hands the buffered output to the socket and waits while the socket is congested. */
  async flush(): Promise<void> {
    if (this.outbox.length === 0) return;
    const data = Buffer.concat(this.outbox, this.outboxBytes);
    this.outbox = [];
    this.outboxBytes = 0;
    if (this.socket.destroyed || !this.socket.writable) return;
    if (this.socket.write(data)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /**
   * Ends the connection: a FIN after the pending output, then a hard close if the client
   * has not closed its side in time. Reading continues meanwhile (and is discarded), so
   * the client receives the last packet instead of a reset.
   */
  end(): void {
    this.markClosed();
    if (this.socket.destroyed) return;
    this.socket.resume();
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), LINGER_MS);
    timer.unref();
    this.socket.once('close', () => clearTimeout(timer));
  }
}
