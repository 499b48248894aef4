/**
 * The leaf's TCP server: decodes frames, calls the in-process `Leaf`, answers each request
 * as soon as it completes (out of order). A malformed payload gets an error answer for its
 * request; a malformed frame (bad length) closes that connection only. The server never
 * crashes on input.
 */
import net from 'node:net';
import { silentLogger, type Logger } from '@exosphere/common';
import { SqlError, sqlError } from '../errors.js';
import { BinaryError } from '../storage/binary.js';
import { runInterruptible } from '../storage/interrupt-scope.js';
import type { ExecRequest, ExecResult, PartitionRef, TxnId } from './api.js';
import { isWriteRequest } from './partition-moves.js';
import { Leaf, type LeafOptions } from './leaf.js';
import { FrameDecoder, Op, encodeFrame, type Frame } from './wire.js';
import {
  decodeExecRequests,
  decodeInsertRequest,
  decodePartition,
  decodeString,
  encodeAffectedRows,
  encodeError,
  encodeExecResults,
  encodeInfo,
  encodeStrings,
} from './wire-messages.js';
import { decodeLoadRequest, encodeLoadResult } from './load-messages.js';
import { decodeBroadcastRequest, decodeExportRowsRequest } from './broadcast-messages.js';
import { decodeSavepointRequest } from './savepoint-messages.js';
import { decodeChunkRequest, encodeFileInfos } from './move-messages.js';
import { partitionKey } from '../storage/names.js';

/** Requests a Cancel frame can interrupt: the ones that run statements or wait for locks. */
const CANCELABLE_OPS: ReadonlySet<number> = new Set([
  Op.Exec,
  Op.Insert,
  Op.Load,
  Op.ExportBroadcastRows,
]);
/** Above this many requests in flight on one connection, reading from it pauses. */
const IN_FLIGHT_MAX = 512;
const EMPTY = Buffer.alloc(0);

export interface StartLeafOptions extends LeafOptions {
  readonly host: string;
  readonly port: number;
}

export interface LeafServer {
  readonly port: number;
  readonly leaf: Leaf;
  close(): Promise<void>;
}

export async function startLeaf(options: StartLeafOptions): Promise<LeafServer> {
  const logger = options.logger ?? silentLogger();
  const leaf = await Leaf.open(options);
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, leaf, logger);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await leaf.close();
    throw error;
  }
  const port = (server.address() as net.AddressInfo).port;
  leaf.setAddress(options.host, port);
  logger.info('leaf listening', { host: options.host, port });
  return {
    port,
    leaf,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      await leaf.close();
    },
  };
}

function serveConnection(socket: net.Socket, leaf: Leaf, logger: Logger): void {
  socket.setNoDelay(true);
  const decoder = new FrameDecoder();
  const outbox = new Outbox(socket);
  // Broadcast tables this connection created and has not dropped: a lost aggregator must not
  // leave them behind.
  const broadcasts: BroadcastOwner = {
    names: new Set(),
    frozen: new Map(),
    txns: new Set(),
    closed: false,
  };
  let inFlight = 0;
  // Requests that a Cancel frame may interrupt, by request id.
  const cancelable = new Map<number, AbortController>();
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    // A lost aggregator stops its statements' queries too.
    for (const controller of cancelable.values()) controller.abort();
    cancelable.clear();
    broadcasts.closed = true;
    for (const name of broadcasts.names) {
      leaf
        .dropBroadcast(name)
        .catch((error: unknown) =>
          logger.warn('could not drop a broadcast table', { name, error: String(error) }),
        );
    }
    broadcasts.names.clear();
    for (const partition of broadcasts.frozen.values()) {
      leaf
        .thawPartition(partition)
        .catch((error: unknown) =>
          logger.warn('could not thaw a partition', { partition, error: String(error) }),
        );
    }
    broadcasts.frozen.clear();
    // Its unprepared transactions can never commit: their locks must not outlive it.
    for (const txn of broadcasts.txns) {
      leaf
        .abandonTransaction(txn)
        .catch((error: unknown) =>
          logger.warn('could not roll back a transaction', { txn, error: String(error) }),
        );
    }
    broadcasts.txns.clear();
  });
  socket.on('data', (chunk: Buffer) => {
    let frames: Frame[];
    try {
      frames = decoder.push(chunk);
    } catch (error) {
      // The stream cannot be resynchronised after a bad length: answer, then hang up.
      const message = error instanceof Error ? error.message : String(error);
      logger.warn('closing a leaf connection after a protocol error', {
        remote: socket.remoteAddress,
        error: message,
      });
      outbox.flush();
      socket.end(encodeFrame(0, Op.Error, encodeError(sqlError('NET_PACKET_TOO_LARGE', message))));
      socket.destroySoon();
      return;
    }
    for (const frame of frames) {
      if (frame.op === Op.Cancel) {
        cancelable.get(frame.id)?.abort();
        continue;
      }
      let requests: ExecRequest[] | undefined;
      if (frame.op === Op.Exec) {
        try {
          requests = decodeExecRequests(frame.payload);
        } catch (error) {
          outbox.push(errorFrame(frame, error));
          continue;
        }
        for (const request of requests) {
          if (request.txn !== undefined) broadcasts.txns.add(request.txn);
        }
        const answer = answerNow(leaf, frame, requests);
        if (answer !== undefined) {
          outbox.push(answer);
          continue;
        }
      }
      inFlight += 1;
      if (inFlight >= IN_FLIGHT_MAX) socket.pause();
      let controller: AbortController | undefined;
      if (CANCELABLE_OPS.has(frame.op)) {
        controller = new AbortController();
        cancelable.set(frame.id, controller);
      }
      const run = (): Promise<Buffer> => handle(leaf, frame, requests, broadcasts);
      const answer = controller === undefined ? run() : runInterruptible(controller.signal, run);
      void answer.then((later) => {
        if (controller !== undefined && cancelable.get(frame.id) === controller)
          cancelable.delete(frame.id);
        inFlight -= 1;
        if (inFlight < IN_FLIGHT_MAX / 2 && socket.isPaused()) socket.resume();
        outbox.pushLater(later);
      });
    }
    // Every answer ready now leaves in one write.
    outbox.flush();
  });
  socket.on('end', () => socket.end());
}

/**
 * Answers written together: those ready while a chunk of requests is read go out in one write,
 * and asynchronous answers completing in the same turn of the event loop are gathered until
 * its check phase (setImmediate), so many concurrent requests cost few system calls.
 */
class Outbox {
  private frames: Buffer[] = [];
  private bytes = 0;
  private scheduled = false;

  constructor(private readonly socket: net.Socket) {}

  push(frame: Buffer): void {
    this.frames.push(frame);
    this.bytes += frame.length;
  }

  pushLater(frame: Buffer): void {
    this.push(frame);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  flush(): void {
    if (this.frames.length === 0) return;
    const data =
      this.frames.length === 1
        ? (this.frames[0] as Buffer)
        : Buffer.concat(this.frames, this.bytes);
    this.frames = [];
    this.bytes = 0;
    if (!this.socket.destroyed) this.socket.write(data);
  }
}

/**
 * The answer to autocommit rowstore execs that can run without waiting, computed right away
 * and in order (better-sqlite3 is synchronous); undefined sends the frame down the asynchronous
 * path. A batch qualifies when only its last request writes (a read before a write, as an
 * upsert's row lookup), so falling back after running some of it repeats only reads.
 */
function answerNow(leaf: Leaf, frame: Frame, requests: readonly ExecRequest[]): Buffer | undefined {
  if (requests.length === 0 || requests.length > ANSWER_NOW_REQUESTS_MAX) return undefined;
  if (requests.slice(0, -1).some(isWriteRequest)) return undefined;
  try {
    const results: ExecResult[] = [];
    for (const request of requests) {
      const result = leaf.execNow(request);
      if (result === undefined) return undefined;
      results.push(result);
    }
    return encodeFrame(frame.id, Op.Ok, encodeExecResults(results, requests));
  } catch (error) {
    return errorFrame(frame, error);
  }
}

const ANSWER_NOW_REQUESTS_MAX = 4;

function errorFrame(frame: Frame, error: unknown): Buffer {
  return encodeFrame(frame.id, Op.Error, encodeError(toSqlError(error)));
}

/** `requests`: the frame's exec requests when they were decoded already. */
async function handle(
  leaf: Leaf,
  frame: Frame,
  requests: readonly ExecRequest[] | undefined,
  broadcasts: BroadcastOwner,
): Promise<Buffer> {
  try {
    if (requests !== undefined)
      return encodeFrame(frame.id, Op.Ok, encodeExecResults(await leaf.exec(requests), requests));
    return encodeFrame(frame.id, Op.Ok, await dispatch(leaf, frame, broadcasts));
  } catch (error) {
    return errorFrame(frame, error);
  }
}

/**
 * What one connection leaves behind when it closes: its broadcast tables (dropped), the
 * partitions it froze for a move (thawed: an aggregator that died mid-move must not leave
 * writes blocked) and the transactions it wrote in and did not end (unprepared ones are
 * rolled back).
 */
interface BroadcastOwner {
  readonly names: Set<string>;
  readonly frozen: Map<string, PartitionRef>;
  readonly txns: Set<TxnId>;
  closed: boolean;
}

async function dispatch(leaf: Leaf, frame: Frame, owner: BroadcastOwner): Promise<Uint8Array> {
  const broadcasts = owner;
  const payload = frame.payload;
  switch (frame.op as Op) {
    case Op.Info:
      return encodeInfo(await leaf.info());
    case Op.CreatePartition:
      await leaf.createPartition(decodePartition(payload));
      return EMPTY;
    case Op.DropPartition:
      await leaf.dropPartition(decodePartition(payload));
      return EMPTY;
    case Op.Exec: {
      const requests = decodeExecRequests(payload);
      return encodeExecResults(await leaf.exec(requests), requests);
    }
    case Op.Insert: {
      const request = decodeInsertRequest(payload);
      if (request.txn !== undefined) owner.txns.add(request.txn);
      return encodeAffectedRows((await leaf.insert(request)).affectedRows);
    }
    case Op.Load: {
      const request = decodeLoadRequest(payload);
      owner.txns.add(request.txn);
      return encodeLoadResult(await leaf.load(request), request.fieldCount);
    }
    case Op.CreateBroadcast: {
      const request = decodeBroadcastRequest(payload);
      await leaf.createBroadcast(request);
      if (broadcasts.closed) {
        // The connection closed while the table was being created: nobody will drop it.
        await leaf.dropBroadcast(request.name);
        throw sqlError('LEAF_UNAVAILABLE', 'Connection closed');
      }
      broadcasts.names.add(request.name);
      return EMPTY;
    }
    case Op.ExportBroadcastRows:
      return leaf.exportBroadcastRows(decodeExportRowsRequest(payload));
    case Op.DropBroadcast: {
      const name = decodeString(payload);
      broadcasts.names.delete(name);
      await leaf.dropBroadcast(name);
      return EMPTY;
    }
    case Op.Prepare:
      await leaf.prepare(decodeString(payload));
      return EMPTY;
    case Op.Commit: {
      const txn = decodeString(payload);
      owner.txns.delete(txn);
      await leaf.commit(txn);
      return EMPTY;
    }
    case Op.Rollback: {
      const txn = decodeString(payload);
      owner.txns.delete(txn);
      await leaf.rollback(txn);
      return EMPTY;
    }
    case Op.Savepoint: {
      const request = decodeSavepointRequest(payload);
      owner.txns.add(request.txn);
      await leaf.savepoint(request);
      return EMPTY;
    }
    case Op.RollbackToSavepoint:
      await leaf.rollbackToSavepoint(decodeSavepointRequest(payload));
      return EMPTY;
    case Op.InDoubt:
      return encodeStrings(await leaf.inDoubt());
    case Op.LockWaits:
      return encodeStrings((await leaf.lockWaits()).flat());
    case Op.FailLockWait:
      await leaf.failLockWait(decodeString(payload));
      return EMPTY;
    case Op.FreezePartition: {
      const partition = decodePartition(payload);
      const files = await leaf.freezePartition(partition);
      owner.frozen.set(partitionKey(partition), partition);
      if (owner.closed) {
        // The connection closed meanwhile: nobody will finish or undo this move.
        await leaf.thawPartition(partition);
        throw sqlError('LEAF_UNAVAILABLE', 'Connection closed');
      }
      return encodeFileInfos(files);
    }
    case Op.ReadPartitionChunk:
      return leaf.readPartitionChunk(decodeChunkRequest(payload));
    case Op.ThawPartition: {
      const partition = decodePartition(payload);
      owner.frozen.delete(partitionKey(partition));
      await leaf.thawPartition(partition);
      return EMPTY;
    }
    case Op.ReceivePartitionChunk:
      await leaf.receivePartitionChunk(decodeChunkRequest(payload));
      return EMPTY;
    case Op.InstallPartition:
      await leaf.installPartition(decodePartition(payload));
      return EMPTY;
    default:
      throw sqlError('UNKNOWN_COM', `Unknown leaf command ${frame.op}`);
  }
}

function toSqlError(error: unknown): SqlError {
  if (error instanceof SqlError) return error;
  if (error instanceof BinaryError)
    return sqlError('NET_READ_ERROR', `Malformed leaf request: ${error.message}`);
  return sqlError('INTERNAL', error instanceof Error ? error.message : String(error));
}
