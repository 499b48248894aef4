/**
 * The aggregator's TCP client for a leaf (`LeafApi` over `wire.ts`). One connection carries
 * many requests at once, matched to answers by request id. A broken connection fails every
 * call in flight with ER_LEAF_UNAVAILABLE (1777); the next call connects again.
 */
import { advanceWriteEpoch, mayWrite } from './write-epoch.js';
import net from 'node:net';
import { sqlError } from '../errors.js';
import type {
  BroadcastRequest,
  ExportRowsRequest,
  ExecRequest,
  ExecResult,
  InsertRequest,
  LeafApi,
  LeafInfo,
  LoadRequest,
  LoadResult,
  PartitionChunkRequest,
  PartitionFileInfo,
  PartitionRef,
  SavepointRequest,
  TxnId,
} from './api.js';
import { decodeFileInfos, encodeChunkRequest } from './move-messages.js';
import { decodeLoadResult, encodeLoadRequest } from './load-messages.js';
import { encodeBroadcastRequest, encodeExportRowsRequest } from './broadcast-messages.js';
import { encodeSavepointRequest } from './savepoint-messages.js';
import { interruptedError } from '../storage/interrupt-scope.js';
import {
  FRAME_BYTES_MAX,
  FrameDecoder,
  Op,
  encodeFrame,
  payloadLength,
  type Frame,
  type Payload,
} from './wire.js';
import {
  decodeAffectedRows,
  decodeError,
  decodeExecResults,
  decodeInfo,
  decodeStrings,
  encodeExecRequests,
  encodeInsertRequest,
  encodePartition,
  encodeString,
} from './wire-messages.js';

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** Requests a statement's interruption cancels on the leaf (see `Op.Cancel`). */
const CANCELABLE_OPS: ReadonlySet<number> = new Set([
  Op.Exec,
  Op.Insert,
  Op.Load,
  Op.ExportBroadcastRows,
]);
const EMPTY = Buffer.alloc(0);

export interface ConnectLeafOptions {
  readonly host: string;
  readonly port: number;
  /** How long a connection attempt may take. Calls themselves have no deadline (analytics can be long). */
  readonly timeoutMs?: number;
  /**
   * Runs on each new connection but the first (the client reconnects by itself after a
   * failure) before any other request uses it: the leaf may have restarted with transactions
   * in doubt, whose locks and hidden writes must be resolved before anything reads there.
   * A failure is reported and the connection is used anyway.
   */
  readonly onReconnect?: (recovery: RecoveryApi) => Promise<void>;
  readonly onReconnectError?: (error: unknown) => void;
}

/** What resolving in-doubt transactions needs, on one given connection. */
export type RecoveryApi = Pick<LeafApi, 'inDoubt' | 'commit' | 'rollback'>;

interface PendingCall {
  readonly resolve: (payload: Buffer) => void;
  readonly reject: (error: Error) => void;
}

class Connection {
  readonly pending = new Map<number, PendingCall>();
  private readonly decoder = new FrameDecoder();
  broken = false;
  /** Frames waiting for this turn's check phase, to leave in one write (see `send`). */
  private outbox: Buffer[] = [];
  private outboxBytes = 0;

  constructor(
    readonly socket: net.Socket,
    private readonly describe: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = this.decoder.push(chunk);
      } catch (error) {
        this.fail(error instanceof Error ? error.message : String(error));
        return;
      }
      for (const frame of frames) this.answer(frame);
    });
    socket.on('error', (error) => this.fail(error.message));
    socket.on('close', () => this.fail('connection closed'));
  }

  private answer(frame: Frame): void {
    const call = this.pending.get(frame.id);
    if (call === undefined) {
      if (frame.id === 0 && frame.op === Op.Error) this.fail(decodeError(frame.payload).message);
      return;
    }
    this.pending.delete(frame.id);
    if (frame.op === Op.Ok) call.resolve(frame.payload);
    else {
      try {
        call.reject(decodeError(frame.payload));
      } catch {
        call.reject(sqlError('NET_READ_ERROR', `Malformed error from leaf ${this.describe}`));
      }
    }
  }

  /**
   * Queues a frame. Statements of many sessions start in the same turn of the event loop (one
   * per client packet read); their frames are written together in the check phase that ends
   * the turn (setImmediate), costing one system call instead of one each.
   */
  send(frame: Buffer): void {
    this.outbox.push(frame);
    this.outboxBytes += frame.length;
    if (this.outbox.length === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    const frames = this.outbox;
    if (frames.length === 0 || this.broken) return;
    const data =
      frames.length === 1 ? (frames[0] as Buffer) : Buffer.concat(frames, this.outboxBytes);
    this.outbox = [];
    this.outboxBytes = 0;
    this.socket.write(data);
  }

  fail(reason: string): void {
    if (!this.broken) {
      this.broken = true;
      this.socket.destroy();
      // The leaf drops this connection's broadcast copies, and may have restarted: what the
      // aggregator caches about it (counts, cached copies) is stale from now on.
      advanceWriteEpoch();
    }
    for (const call of this.pending.values()) {
      call.reject(sqlError('LEAF_UNAVAILABLE', `Leaf ${this.describe} unavailable: ${reason}`));
    }
    this.pending.clear();
  }
}

export class LeafClient implements LeafApi {
  private connection: Connection | undefined;
  private connecting: Promise<Connection> | undefined;
  private nextId = 1;
  private closed = false;
  private opened = 0;
  private readonly describe: string;

  constructor(private readonly options: ConnectLeafOptions) {
    this.describe = `${options.host}:${options.port}`;
  }

  /** How many connections this client has opened: a change means the leaf may have restarted. */
  get generation(): number {
    return this.opened;
  }

  /** Whether a connection is open now and not known to be broken. */
  isConnected(): boolean {
    return !this.closed && this.connection !== undefined && !this.connection.broken;
  }

  async connect(): Promise<Connection> {
    if (this.closed)
      throw sqlError('LEAF_UNAVAILABLE', `Leaf client for ${this.describe} is closed`);
    if (this.connection !== undefined && !this.connection.broken) return this.connection;
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private open(): Promise<Connection> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    return new Promise<Connection>((resolve, reject) => {
      const socket = net.connect({
        host: this.options.host,
        port: this.options.port,
        noDelay: true,
      });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          sqlError(
            'LEAF_UNAVAILABLE',
            `Leaf ${this.describe} unavailable: connect timed out after ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        const connection = new Connection(socket, this.describe);
        this.opened += 1;
        const onReconnect = this.options.onReconnect;
        if (this.opened === 1 || onReconnect === undefined) {
          this.connection = connection;
          resolve(connection);
          return;
        }
        onReconnect(this.recoveryOn(connection))
          .catch((error: unknown) => this.options.onReconnectError?.(error))
          .finally(() => {
            this.connection = connection;
            resolve(connection);
          });
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(
          sqlError(
            'LEAF_UNAVAILABLE',
            `Leaf ${this.describe} unavailable: ${error.message}`,
            error,
          ),
        );
      });
    });
  }

  private call(
    op: Op,
    payload: Payload,
    signal?: AbortSignal,
    write = mayWrite(op),
  ): Promise<Buffer> {
    if (!write) return this.callOnce(op, payload, signal);
    // Cached facts about the partitions (row counts) are stale from now until after the answer.
    advanceWriteEpoch();
    return this.callOnce(op, payload, signal).finally(advanceWriteEpoch);
  }

  private callOnce(op: Op, payload: Payload, signal: AbortSignal | undefined): Promise<Buffer> {
    const length = payloadLength(payload);
    if (length + 5 > FRAME_BYTES_MAX) {
      return Promise.reject(
        sqlError(
          'NET_PACKET_TOO_LARGE',
          `Request of ${length} bytes exceeds the leaf frame limit of ${FRAME_BYTES_MAX} bytes`,
        ),
      );
    }
    // An open connection is used at once, without a promise hop through connect().
    const open = this.connection;
    if (open !== undefined && !open.broken && !this.closed)
      return this.send(open, op, payload, signal);
    return this.connect().then((connection) => this.send(connection, op, payload, signal));
  }

  private send(
    connection: Connection,
    op: Op,
    payload: Payload,
    given: AbortSignal | undefined,
  ): Promise<Buffer> {
    const id = this.nextId;
    this.nextId = this.nextId >= 0xffff_ffff ? 1 : this.nextId + 1;
    // A statement that was interrupted sends nothing more; one interrupted while this request
    // runs asks the leaf to stop it and waits for its answer, so that a rollback that follows
    // never overtakes a write still running on the leaf.
    const signal = CANCELABLE_OPS.has(op) ? given : undefined;
    if (signal?.aborted === true) return Promise.reject(interruptedError(signal));
    return new Promise<Buffer>((resolve, reject) => {
      if (signal === undefined) {
        connection.pending.set(id, { resolve, reject });
      } else {
        const cancel = (): void => connection.send(encodeFrame(id, Op.Cancel, EMPTY));
        signal.addEventListener('abort', cancel, { once: true });
        connection.pending.set(id, {
          resolve: (answer) => {
            signal.removeEventListener('abort', cancel);
            resolve(answer);
          },
          reject: (error) => {
            signal.removeEventListener('abort', cancel);
            reject(error);
          },
        });
      }
      connection.send(encodeFrame(id, op, payload));
    });
  }

  async info(): Promise<LeafInfo> {
    return decodeInfo(await this.call(Op.Info, EMPTY));
  }

  async createPartition(partition: PartitionRef): Promise<void> {
    await this.call(Op.CreatePartition, encodePartition(partition));
  }

  async dropPartition(partition: PartitionRef): Promise<void> {
    await this.call(Op.DropPartition, encodePartition(partition));
  }

  async exec(
    requests: readonly ExecRequest[],
    signal?: AbortSignal,
  ): Promise<readonly ExecResult[]> {
    const payload = encodeExecRequests(requests);
    return decodeExecResults(
      await this.call(Op.Exec, payload, signal, mayWrite(Op.Exec, requests)),
      requests,
    );
  }

  async insert(request: InsertRequest, signal?: AbortSignal): Promise<{ affectedRows: number }> {
    const payload = encodeInsertRequest(request);
    return {
      affectedRows: decodeAffectedRows(await this.call(Op.Insert, payload, signal)),
    };
  }

  async load(request: LoadRequest, signal?: AbortSignal): Promise<LoadResult> {
    const payload = encodeLoadRequest(request);
    return decodeLoadResult(await this.call(Op.Load, payload, signal));
  }

  async createBroadcast(request: BroadcastRequest): Promise<void> {
    await this.call(Op.CreateBroadcast, encodeBroadcastRequest(request));
  }

  async dropBroadcast(name: string): Promise<void> {
    await this.call(Op.DropBroadcast, encodeString(name));
  }

  async exportBroadcastRows(request: ExportRowsRequest, signal?: AbortSignal): Promise<Uint8Array> {
    const payload = encodeExportRowsRequest(request);
    return await this.call(Op.ExportBroadcastRows, payload, signal);
  }

  async prepare(txn: TxnId): Promise<void> {
    await this.call(Op.Prepare, encodeString(txn));
  }

  async commit(txn: TxnId): Promise<void> {
    await this.call(Op.Commit, encodeString(txn));
  }

  async rollback(txn: TxnId): Promise<void> {
    await this.call(Op.Rollback, encodeString(txn));
  }

  async savepoint(request: SavepointRequest): Promise<void> {
    await this.call(Op.Savepoint, encodeSavepointRequest(request));
  }

  async rollbackToSavepoint(request: SavepointRequest): Promise<void> {
    await this.call(Op.RollbackToSavepoint, encodeSavepointRequest(request));
  }

  /** In-doubt resolution on `connection`, which other callers cannot use yet. */
  private recoveryOn(connection: Connection): RecoveryApi {
    return {
      inDoubt: async () => decodeStrings(await this.send(connection, Op.InDoubt, EMPTY, undefined)),
      commit: async (txn) => {
        advanceWriteEpoch();
        await this.send(connection, Op.Commit, encodeString(txn), undefined).finally(
          advanceWriteEpoch,
        );
      },
      rollback: async (txn) => {
        await this.send(connection, Op.Rollback, encodeString(txn), undefined);
      },
    };
  }

  async inDoubt(): Promise<readonly TxnId[]> {
    return decodeStrings(await this.call(Op.InDoubt, EMPTY));
  }

  async lockWaits(): Promise<readonly (readonly [string, string])[]> {
    const flat = decodeStrings(await this.call(Op.LockWaits, EMPTY));
    const pairs: [string, string][] = [];
    for (let index = 0; index + 1 < flat.length; index += 2)
      pairs.push([flat[index] as string, flat[index + 1] as string]);
    return pairs;
  }

  async failLockWait(txn: TxnId): Promise<void> {
    await this.call(Op.FailLockWait, encodeString(txn));
  }

  async freezePartition(partition: PartitionRef): Promise<readonly PartitionFileInfo[]> {
    return decodeFileInfos(await this.call(Op.FreezePartition, encodePartition(partition)));
  }

  async readPartitionChunk(
    request: PartitionChunkRequest & { readonly bytes: number },
  ): Promise<Uint8Array> {
    return this.call(Op.ReadPartitionChunk, encodeChunkRequest(request));
  }

  async thawPartition(partition: PartitionRef): Promise<void> {
    await this.call(Op.ThawPartition, encodePartition(partition));
  }

  async receivePartitionChunk(
    request: PartitionChunkRequest & { readonly data: Uint8Array },
  ): Promise<void> {
    await this.call(Op.ReceivePartitionChunk, encodeChunkRequest(request));
  }

  async installPartition(partition: PartitionRef): Promise<void> {
    await this.call(Op.InstallPartition, encodePartition(partition));
  }

  /** Closes the client's connection (the leaf keeps running). */
  close(): Promise<void> {
    this.closed = true;
    this.connection?.fail('client closed');
    this.connection = undefined;
    return Promise.resolve();
  }
}

export async function connectLeaf(options: ConnectLeafOptions): Promise<LeafClient> {
  const client = new LeafClient(options);
  await client.connect();
  return client;
}
