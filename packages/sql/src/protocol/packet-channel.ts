/**
 * One client socket seen as a sequence of packets ("MySQL Packets"): incoming bytes are
 * decoded into payloads that the connection reads one at a time, and outgoing payloads are
 * framed with the running sequence id, buffered, and written in batches with backpressure.
 *
 * Sequence ids: each packet read sets the next id to send to its id + 1, so a reply always
 * continues the client's sequence, and a new command (id 0) resets it.
 *
 * The client's first packet is held apart: reading stops right after it, because it may be
 * an SSLRequest whose following bytes are a TLS ClientHello. The Connection Phase then calls
 * `continuePlain()` or `startTls()`, which hands the bytes read past the packet on.
 */
import type { Socket } from 'node:net';
import type { SecureContext, TLSSocket } from 'node:tls';
import { ER } from '../errors.js';
import { PACKET_PAYLOAD_MAX } from './constants.js';
import { framePayload, PacketDecoder, type Packet } from './packet-framing.js';
import { errPacket } from './response-packets.js';
import { upgradeToTls } from './tls.js';

/** Incoming packets waiting to be read before the socket is paused. */
const QUEUE_BYTES_MAX = 16 * 1024 * 1024;
/** Outgoing bytes buffered before they are handed to the socket. */
const OUTBOX_BYTES_FLUSH = 64 * 1024;
/**
 * Bytes kept after the first packet until the Connection Phase settles (a TLS ClientHello is
 * one 16 KiB record at most; a plain client sends nothing before it is answered).
 */
const HELD_BYTES_MAX = 64 * 1024;
/** How long a closing connection may take to read the client's leftovers before it is cut. */
const LINGER_MS = 2000;

export class PacketChannel {
  private socket: Socket;
  private readonly decoder: PacketDecoder;
  /** Until the first packet is settled: true while reading stops after it (see above). */
  private holding = true;
  private firstPacketRead = false;
  /** Bytes received after the first packet while holding. */
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private readonly onDataListener = (chunk: Buffer): void => this.onData(chunk);
  private readonly onCloseListener = (): void => this.markClosed();
  private readonly queue: Packet[] = [];
  private queueBytes = 0;
  private waiter: ((packet: Packet | undefined) => void) | undefined;
  private closed = false;
  private outbox: Uint8Array[] = [];
  private outboxBytes = 0;
  /** The sequence id of the next packet sent. */
  sequenceId = 0;

  private readonly onSocketError: (error: Error) => void;

  constructor(
    socket: Socket,
    options: { maxPayloadBytes: number; onSocketError?: (error: Error) => void },
  ) {
    this.socket = socket;
    this.onSocketError = options.onSocketError ?? (() => undefined);
    this.decoder = new PacketDecoder({ maxPayloadBytes: options.maxPayloadBytes });
    this.listen(socket);
  }

  private listen(socket: Socket): void {
    socket.on('data', this.onDataListener);
    socket.on('close', this.onCloseListener);
    socket.on('end', this.onCloseListener);
  }

  /** Reading resumes normally after the first packet (no TLS requested). */
  continuePlain(): void {
    if (!this.holding) return;
    this.holding = false;
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    for (const chunk of held) this.onData(chunk);
  }

  /**
   * Switches the connection to TLS after an SSLRequest (the first packet): the bytes held
   * after it are the start of the client's ClientHello and go to the TLS layer first.
   * Resolves with the TLS socket, which is read and written from then on; rejects (and
   * closes the connection) when the TLS handshake fails.
   */
  async startTls(context: SecureContext): Promise<TLSSocket> {
    if (!this.holding) throw new Error('TLS can start only right after the first packet');
    this.holding = false;
    const buffered = Buffer.concat(this.held);
    this.held = [];
    this.heldBytes = 0;
    // The client may have left already (its 'end' was seen while its first packet was read).
    if (this.closed) throw new Error('The client closed the connection before TLS started');
    const plain = this.socket;
    plain.off('data', this.onDataListener);
    plain.off('end', this.onCloseListener);
    let secure: TLSSocket;
    try {
      secure = await upgradeToTls({ socket: plain, buffered, context });
    } catch (error) {
      this.markClosed();
      throw error;
    }
    this.socket = secure;
    this.listen(secure);
    // A TLS error after the handshake (a bad record) ends this connection only.
    secure.on('error', (error: Error) => {
      this.onSocketError(error);
      secure.destroy();
    });
    if (secure.destroyed) this.markClosed();
    return secure;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private onData(chunk: Uint8Array): void {
    if (this.closed) return;
    let events;
    if (!this.holding) {
      events = this.decoder.push(chunk);
    } else if (this.firstPacketRead) {
      // Bytes past the first packet wait until the Connection Phase knows what they are.
      // The socket keeps flowing, so that a client leaving now is noticed ('end').
      this.hold(chunk);
      return;
    } else {
      const decoded = this.decoder.pushUntilPacket(chunk);
      events = decoded.events;
      if (events.some((event) => event.kind === 'packet')) {
        this.firstPacketRead = true;
        if (decoded.rest.length > 0) this.hold(decoded.rest);
      }
    }
    for (const event of events) {
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

  private hold(bytes: Uint8Array): void {
    this.held.push(bytes);
    this.heldBytes += bytes.length;
    if (this.heldBytes > HELD_BYTES_MAX) this.destroy();
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
    if (!this.holding && this.queueBytes <= QUEUE_BYTES_MAX / 2 && this.socket.isPaused())
      this.socket.resume();
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

  /** Closes the connection at once (server shutdown, handshake timeout). */
  destroy(): void {
    this.markClosed();
    this.socket.destroy();
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
