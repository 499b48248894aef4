/**
 * A minimal MySQL client that switches to TLS by hand (Protocol::SSLRequest), for what real
 * drivers do not let a test choose: the SSLRequest and the first bytes of the ClientHello in
 * one write, garbage instead of a ClientHello, and caching_sha2_password full authentication.
 */
import { createHash } from 'node:crypto';
import { connect as connectTcp, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { framePayload, PacketDecoder, type Packet } from '../../src/protocol/index.js';
import { RAW_CLIENT_FLAGS } from './raw-client.js';

export const CLIENT_SSL = 0x800;

/** Reads whole packets from any stream. */
export class PacketReader {
  private readonly decoder = new PacketDecoder({ maxPayloadBytes: 1 << 24 });
  private readonly queue: Packet[] = [];
  private wake: (() => void) | undefined;
  closed = false;

  constructor(stream: NodeJS.ReadableStream & NodeJS.EventEmitter) {
    stream.on('data', (chunk: Buffer) => this.push(chunk));
    stream.on('close', () => this.close());
    stream.on('end', () => this.close());
    stream.on('error', () => this.close());
  }

  private push(chunk: Buffer): void {
    for (const event of this.decoder.push(chunk))
      if (event.kind === 'packet') this.queue.push(event.packet);
    this.wake?.();
  }

  private close(): void {
    this.closed = true;
    this.wake?.();
  }

  async read(timeoutMs = 5000): Promise<Packet> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a packet');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    return this.queue.shift()!;
  }
}

export interface Greeting {
  readonly capabilities: number;
  readonly nonce: Buffer;
}

/** Reads Protocol::HandshakeV10's capability flags and nonce. */
export function parseGreeting(packet: Packet): Greeting {
  const payload = Buffer.from(packet.payload);
  const versionEnd = payload.indexOf(0, 1);
  let at = versionEnd + 1 + 4;
  const part1 = payload.subarray(at, at + 8);
  at += 9;
  const low = payload.readUInt16LE(at);
  at += 2 + 1 + 2;
  const high = payload.readUInt16LE(at);
  at += 2 + 1 + 10;
  const part2 = payload.subarray(at, at + 12);
  return { capabilities: (low | (high << 16)) >>> 0, nonce: Buffer.concat([part1, part2]) };
}

/** Protocol::SSLRequest: capabilities, max packet size, character set, 23 zero bytes. */
export function sslRequestPayload(flags = RAW_CLIENT_FLAGS | CLIENT_SSL): Buffer {
  const payload = Buffer.alloc(32);
  payload.writeUInt32LE(flags >>> 0, 0);
  payload.writeUInt32LE(1 << 24, 4);
  payload[8] = 45;
  return payload;
}

export function frame(payload: Uint8Array, sequenceId: number): Buffer {
  return Buffer.concat(framePayload(payload, sequenceId).buffers);
}

/** Connects and reads the greeting; the socket's later bytes are not read yet. */
export async function openPlain(port: number): Promise<{ socket: Socket; greeting: Greeting }> {
  const socket = connectTcp({ port, host: '127.0.0.1' });
  socket.setNoDelay(true);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const greeting = await new Promise<Packet>((resolve, reject) => {
    const decoder = new PacketDecoder({ maxPayloadBytes: 1 << 20 });
    const onData = (chunk: Buffer): void => {
      const event = decoder.push(chunk)[0];
      if (event?.kind !== 'packet') return;
      socket.off('data', onData);
      socket.pause();
      resolve(event.packet);
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('closed before the greeting')));
  });
  return { socket, greeting: parseGreeting(greeting) };
}

/**
 * A stream over `socket` whose first write is preceded by `prefix` in the same socket write,
 * and cut after `firstBytes` bytes (the rest follows in a later write): the SSLRequest and
 * the start of the ClientHello then reach the server together.
 */
function coalescingStream(socket: Socket, prefix: Buffer, firstBytes: number): Duplex {
  let first = true;
  const stream = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      if (!first) {
        socket.write(chunk, callback);
        return;
      }
      first = false;
      socket.write(Buffer.concat([prefix, chunk.subarray(0, firstBytes)]));
      const rest = chunk.subarray(firstBytes);
      if (rest.length === 0) callback();
      else setTimeout(() => socket.write(rest, callback), 20);
    },
    read() {
      socket.resume();
    },
    final(callback) {
      socket.end();
      callback();
    },
  });
  socket.on('data', (chunk: Buffer) => {
    if (!stream.push(chunk)) socket.pause();
  });
  socket.on('end', () => stream.push(null));
  socket.on('close', () => stream.destroy());
  return stream;
}

export interface TlsSession {
  readonly tls: TLSSocket;
  readonly reader: PacketReader;
  readonly greeting: Greeting;
  /** The sequence id of the client's next packet (HandshakeResponse41 is 2 after TLS). */
  sequenceId: number;
  send(payload: Uint8Array): void;
  /** Closes the TLS session and the TCP connection under it. */
  close(): void;
}

/**
 * Opens a connection and switches it to TLS. With `coalesce`, the SSLRequest and the first
 * `firstBytes` bytes of the ClientHello go in one TCP write.
 */
export async function openTls(
  port: number,
  options: { ca: string; coalesce: boolean; firstBytes?: number },
): Promise<TlsSession> {
  const { socket, greeting } = await openPlain(port);
  const request = frame(sslRequestPayload(), 1);
  let transport: Socket | Duplex = socket;
  if (options.coalesce) {
    transport = coalescingStream(socket, request, options.firstBytes ?? 10);
  } else {
    socket.write(request);
  }
  const tls = connectTls({ socket: transport, ca: options.ca, servername: 'localhost' });
  tls.on('error', () => undefined);
  const reader = new PacketReader(tls);
  await new Promise<void>((resolve, reject) => {
    tls.once('secureConnect', resolve);
    tls.once('error', reject);
  });
  const session: TlsSession = {
    tls,
    reader,
    greeting,
    sequenceId: 2,
    send(payload) {
      tls.write(frame(payload, session.sequenceId));
      session.sequenceId = (session.sequenceId + 1) & 0xff;
    },
    close() {
      tls.destroy();
      socket.destroy();
    },
  };
  return session;
}

function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** caching_sha2_password's scramble: SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + nonce). */
export function sha2Scramble(password: string, nonce: Uint8Array): Buffer {
  const stage1 = sha256(Buffer.from(password));
  const mask = sha256(sha256(stage1), nonce);
  return Buffer.from(stage1.map((byte, index) => byte ^ mask[index]!));
}

/** Protocol::HandshakeResponse41 naming `plugin` with `authResponse`. */
export function handshakeResponse(options: {
  user: string;
  authResponse: Uint8Array;
  plugin: string;
  flags?: number;
}): Buffer {
  const flags = options.flags ?? RAW_CLIENT_FLAGS | CLIENT_SSL;
  return Buffer.concat([
    sslRequestPayload(flags),
    Buffer.from(options.user + '\0'),
    Buffer.from([options.authResponse.length]),
    options.authResponse,
    Buffer.from(options.plugin + '\0'),
  ]);
}
