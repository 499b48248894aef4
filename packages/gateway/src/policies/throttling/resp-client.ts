import { createHash } from 'node:crypto';
import { createConnection, type Socket } from 'node:net';
import { RealClock, type Clock, type TimerHandle } from '@exosphere/common';
import {
  RespError,
  RespParser,
  encodeCommand,
  type RespArgument,
  type RespValue,
} from './resp-protocol.js';
import type { RedisEndpoint } from './settings.js';

export type RespClientState = 'connecting' | 'ready' | 'down' | 'closed';

export interface RespClientOptions {
  readonly endpoint: RedisEndpoint;
  /** A command not answered within this time drops the connection (and every pending command). */
  readonly timeoutMs: number;
  /** Reconnect delays double from the first to the last. */
  readonly reconnectDelayMs?: { readonly first: number; readonly last: number };
  /** Commands in flight beyond this fail at once rather than queue. */
  readonly pendingMax?: number;
  readonly clock?: Clock;
  readonly onStateChange?: (state: RespClientState, error: Error | undefined) => void;
}

/** Failures of the connection rather than of a command; `code` is stable. */
export class RespConnectionError extends Error {
  constructor(
    readonly code: 'REDIS_TIMEOUT' | 'REDIS_UNAVAILABLE' | 'REDIS_CONNECTION_LOST' | 'REDIS_BUSY',
    message: string,
  ) {
    super(message);
    this.name = 'RespConnectionError';
  }
}

interface Pending {
  readonly resolve: (value: RespValue) => void;
  readonly reject: (error: Error) => void;
  readonly deadlineMs: number;
}

/** A Lua script with its SHA1, for EVALSHA (https://redis.io/docs/latest/commands/evalsha/). */
export interface RespScript {
  readonly source: string;
  readonly sha1: string;
}

export function defineScript(source: string): RespScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

/**
 * A small Redis client: one connection, pipelined (commands are written at once and replies
 * matched in order), with a deadline per command, and reconnection with doubling delays.
 *
 * It fails fast rather than queue: while the connection is down (between reconnect attempts) a
 * command is rejected at once, so a caller with a fallback never waits for a server that is
 * known to be gone. A reply that misses its deadline drops the connection, since later replies
 * on it could no longer be matched to their commands.
 */
export class RespClient {
  private socket: Socket | undefined;
  private readonly parser = new RespParser({ bufferedBytesMax: 16 * 1024 * 1024 });
  private readonly pending: (Pending | undefined)[] = [];
  private pendingHead = 0;
  private timer: TimerHandle | undefined;
  private reconnectTimer: TimerHandle | undefined;
  private reconnectDelayMs: number;
  private currentState: RespClientState = 'connecting';
  private readonly clock: Clock;

  constructor(private readonly options: RespClientOptions) {
    this.clock = options.clock ?? new RealClock();
    this.reconnectDelayMs = this.delays.first;
    this.connect();
  }

  get state(): RespClientState {
    return this.currentState;
  }

  /**
   * Sends one command; resolves with its reply, rejects with RespError (an error reply) or
   * RespConnectionError.
   */
  command(args: readonly RespArgument[]): Promise<RespValue> {
    return new Promise<RespValue>((resolve, reject) => {
      const socket = this.socket;
      if (socket === undefined || this.currentState === 'down' || this.currentState === 'closed') {
        reject(new RespConnectionError('REDIS_UNAVAILABLE', `redis is ${this.currentState}`));
        return;
      }
      if (this.pending.length - this.pendingHead >= (this.options.pendingMax ?? 10_000)) {
        reject(new RespConnectionError('REDIS_BUSY', 'too many redis commands in flight'));
        return;
      }
      this.enqueue(socket, args, { resolve, reject });
    });
  }

  /** EVALSHA, and EVAL when the server does not have the script (after a restart or flush). */
  async evalScript(
    script: RespScript,
    keys: readonly string[],
    args: readonly RespArgument[],
  ): Promise<RespValue> {
    const tail = [keys.length, ...keys, ...args];
    try {
      return await this.command(['EVALSHA', script.sha1, ...tail]);
    } catch (error) {
      if (!(error instanceof RespError && error.code === 'NOSCRIPT')) throw error;
      return this.command(['EVAL', script.source, ...tail]);
    }
  }

  /** Stops reconnecting and fails every pending command. */
  close(): void {
    this.setState('closed', undefined);
    this.reconnectTimer?.cancel();
    this.drop(new RespConnectionError('REDIS_UNAVAILABLE', 'the redis client was closed'));
  }

  private get delays(): { first: number; last: number } {
    return this.options.reconnectDelayMs ?? { first: 50, last: 2000 };
  }

  private connect(): void {
    const { endpoint } = this.options;
    const socket =
      'path' in endpoint.address
        ? createConnection({ path: endpoint.address.path })
        : createConnection({ host: endpoint.address.host, port: endpoint.address.port });
    socket.setNoDelay(true);
    this.socket = socket;
    this.setState('connecting', undefined);
    socket.on('data', (chunk: Buffer) => this.onData(socket, chunk));
    socket.on('error', (error) => this.onLost(socket, error));
    socket.on('close', () =>
      this.onLost(socket, new RespConnectionError('REDIS_CONNECTION_LOST', 'connection closed')),
    );
    // Socket writes made before the connection is up are buffered by node and sent on connect;
    // the handshake therefore simply goes first in the pipeline.
    const handshake: Promise<RespValue>[] = [];
    const send = (args: RespArgument[]): void => {
      handshake.push(
        new Promise((resolve, reject) => this.enqueue(socket, args, { resolve, reject })),
      );
    };
    if (endpoint.password !== undefined) send(['AUTH', endpoint.password]);
    if (endpoint.database !== 0) send(['SELECT', endpoint.database]);
    send(['PING']);
    Promise.all(handshake).then(
      () => {
        if (this.socket !== socket || this.currentState !== 'connecting') return;
        this.reconnectDelayMs = this.delays.first;
        this.setState('ready', undefined);
      },
      (error: unknown) => {
        // A refused AUTH or SELECT: this connection is of no use. A lost connection is already
        // handled by onLost.
        if (error instanceof RespError) socket.destroy(error);
      },
    );
  }

  private enqueue(
    socket: Socket,
    args: readonly RespArgument[],
    handlers: { resolve: (value: RespValue) => void; reject: (error: Error) => void },
  ): void {
    const deadlineMs = this.clock.monotonic() + this.options.timeoutMs;
    this.pending.push({ ...handlers, deadlineMs });
    if (this.timer === undefined) this.armTimer(deadlineMs);
    // Cork until the end of this tick, so commands issued together leave in one write.
    if (socket.writableCorked === 0) {
      socket.cork();
      process.nextTick(() => socket.uncork());
    }
    socket.write(encodeCommand(args));
  }

  private onData(socket: Socket, chunk: Buffer): void {
    if (socket !== this.socket) return;
    let replies: RespValue[];
    try {
      replies = this.parser.push(chunk);
    } catch (error) {
      socket.destroy(error as Error);
      return;
    }
    for (const reply of replies) {
      const waiting = this.pending[this.pendingHead];
      if (waiting === undefined) {
        socket.destroy(new Error('redis sent a reply nobody asked for'));
        return;
      }
      this.pending[this.pendingHead] = undefined;
      this.pendingHead += 1;
      if (reply instanceof RespError) waiting.reject(reply);
      else waiting.resolve(reply);
    }
    if (this.pendingHead > 1024 && this.pendingHead * 2 > this.pending.length) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
  }

  /** One timer, set for the oldest command's deadline: no timer per command. */
  private armTimer(deadlineMs: number): void {
    this.timer = this.clock.setTimer(deadlineMs - this.clock.monotonic(), () => {
      this.timer = undefined;
      const oldest = this.pending[this.pendingHead];
      if (oldest === undefined) return;
      if (oldest.deadlineMs <= this.clock.monotonic()) {
        this.socket?.destroy(
          new RespConnectionError(
            'REDIS_TIMEOUT',
            `redis did not answer within ${this.options.timeoutMs} ms`,
          ),
        );
        return;
      }
      this.armTimer(oldest.deadlineMs);
    });
  }

  private onLost(socket: Socket, error: Error): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    socket.destroy();
    const lost =
      error instanceof RespConnectionError
        ? error
        : new RespConnectionError(
            'REDIS_CONNECTION_LOST',
            `redis connection lost: ${error.message}`,
          );
    this.drop(lost);
    if (this.currentState === 'closed') return;
    this.setState('down', error);
    const delayMs = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(this.delays.last, delayMs * 2);
    this.reconnectTimer = this.clock.setTimer(delayMs, () => {
      if (this.currentState === 'down') this.connect();
    });
  }

  private drop(error: Error): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.parser.reset();
    const failed = this.pending.slice(this.pendingHead);
    this.pending.length = 0;
    this.pendingHead = 0;
    for (const waiting of failed) waiting?.reject(error);
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
  }

  private setState(state: RespClientState, error: Error | undefined): void {
    if (this.currentState === state) return;
    this.currentState = state;
    this.options.onStateChange?.(state, error);
  }
}
