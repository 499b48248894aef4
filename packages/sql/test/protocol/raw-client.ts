/**
 * A minimal MySQL client speaking raw packets, for the commands and malformed input that
 * real drivers never send (unknown commands, SEND_LONG_DATA, COM_FIELD_LIST, fuzzing).
 */
import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { framePayload, PacketDecoder, type Packet } from '../../src/protocol/index.js';

/** CLIENT_* flags a modern client sends (PROTOCOL_41, SECURE_CONNECTION, PLUGIN_AUTH, ...). */
export const RAW_CLIENT_FLAGS = 0x1 | 0x4 | 0x200 | 0x8000 | 0x10000 | 0x20000 | 0x80000 | 0x200000;
export const DEPRECATE_EOF = 0x1000000;

function sha1(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

export function nativeScramble(password: string, nonce: Uint8Array): Buffer {
  if (password === '') return Buffer.alloc(0);
  const stage1 = sha1(Buffer.from(password));
  const mask = sha1(nonce, sha1(stage1));
  return Buffer.from(stage1.map((byte, index) => byte ^ mask[index]!));
}

export class RawClient {
  readonly socket: Socket;
  private readonly decoder = new PacketDecoder({ maxPayloadBytes: 1 << 30 });
  private readonly queue: Packet[] = [];
  private waiter: (() => void) | undefined;
  private closed = false;
  sequenceId = 0;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      for (const event of this.decoder.push(chunk))
        if (event.kind === 'packet') this.queue.push(event.packet);
      this.waiter?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
    socket.on('error', () => undefined);
  }

  static async open(port: number): Promise<RawClient> {
    const socket = connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  /** Connects and authenticates with mysql_native_password. */
  static async login(
    port: number,
    options: { user: string; password: string; flags?: number },
  ): Promise<RawClient> {
    const client = await RawClient.open(port);
    const greeting = await client.read();
    const payload = Buffer.from(greeting.payload);
    const versionEnd = payload.indexOf(0, 1);
    const part1 = payload.subarray(versionEnd + 5, versionEnd + 13);
    const part2 = payload.subarray(
      versionEnd + 13 + 1 + 2 + 1 + 2 + 2 + 1 + 10,
      versionEnd + 13 + 19 + 12,
    );
    const nonce = Buffer.concat([part1, part2]);
    const scramble = nativeScramble(options.password, nonce);
    const response = Buffer.concat([
      Buffer.from(new Uint32Array([options.flags ?? RAW_CLIENT_FLAGS]).buffer),
      Buffer.from(new Uint32Array([1 << 24]).buffer),
      Buffer.from([45]),
      Buffer.alloc(23),
      Buffer.from(options.user + '\0'),
      Buffer.from([scramble.length]),
      scramble,
      Buffer.from('mysql_native_password\0'),
    ]);
    client.send(response, 1);
    const answer = await client.read();
    if (answer.payload[0] !== 0)
      throw new Error(`login failed: ${Buffer.from(answer.payload).toString('latin1')}`);
    return client;
  }

  send(payload: Uint8Array, sequenceId = 0): void {
    const framed = framePayload(payload, sequenceId);
    this.socket.write(Buffer.concat(framed.buffers));
  }

  /** Sends a command (sequence id 0). */
  command(bytes: number[] | Uint8Array): void {
    this.send(Uint8Array.from(bytes), 0);
  }

  async read(timeoutMs = 5000): Promise<Packet> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a packet');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    return this.queue.shift()!;
  }

  /** Resolves once the server has closed the connection. */
  async waitClosed(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('connection still open');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** errno and message of an ERR packet, or undefined for any other packet. */
export function parseErr(
  packet: Packet,
): { errno: number; sqlState: string; message: string } | undefined {
  const payload = Buffer.from(packet.payload);
  if (payload[0] !== 0xff) return undefined;
  return {
    errno: payload.readUInt16LE(1),
    sqlState: payload.subarray(4, 9).toString('latin1'),
    message: payload.subarray(9).toString('utf8'),
  };
}
