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
import type { ExecRequest } from './api.js';
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
import { decodeBroadcastRequest } from './broadcast-messages.js';
import { decodeSavepointRequest } from './savepoint-messages.js';

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
  const broadcasts: BroadcastOwner = { names: new Set(), closed: false };
  let inFlight = 0;
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    broadcasts.closed = true;
    for (const name of broadcasts.names) {
      leaf
        .dropBroadcast(name)
        .catch((error: unknown) =>
          logger.warn('could not drop a broadcast table', { name, error: String(error) }),
        );
    }
    broadcasts.names.clear();
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
      let requests: ExecRequest[] | undefined;
      if (frame.op === Op.Exec) {
        try {
          requests = decodeExecRequests(frame.payload);
        } catch (error) {
          outbox.push(errorFrame(frame, error));
          continue;
        }
        const answer = answerNow(leaf, frame, requests);
        if (answer !== undefined) {
          outbox.push(answer);
          continue;
        }
      }
      inFlight += 1;
      if (inFlight >= IN_FLIGHT_MAX) socket.pause();
      void handle(leaf, frame, requests, broadcasts).then((later) => {
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
 * The answer to an autocommit rowstore exec that can run without waiting, computed right
 * away (better-sqlite3 is synchronous); undefined sends the frame down the asynchronous path.
 */
function answerNow(leaf: Leaf, frame: Frame, requests: readonly ExecRequest[]): Buffer | undefined {
  const request = requests[0];
  if (requests.length !== 1 || request === undefined) return undefined;
  try {
    const result = leaf.execNow(request);
    if (result === undefined) return undefined;
    return encodeFrame(frame.id, Op.Ok, encodeExecResults([result], requests));
  } catch (error) {
    return errorFrame(frame, error);
  }
}

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

/** The broadcast tables of one connection, dropped when it closes. */
interface BroadcastOwner {
  readonly names: Set<string>;
  closed: boolean;
}

async function dispatch(leaf: Leaf, frame: Frame, broadcasts: BroadcastOwner): Promise<Uint8Array> {
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
    case Op.Insert:
      return encodeAffectedRows((await leaf.insert(decodeInsertRequest(payload))).affectedRows);
    case Op.Load: {
      const request = decodeLoadRequest(payload);
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
    case Op.DropBroadcast: {
      const name = decodeString(payload);
      broadcasts.names.delete(name);
      await leaf.dropBroadcast(name);
      return EMPTY;
    }
    case Op.Prepare:
      await leaf.prepare(decodeString(payload));
      return EMPTY;
    case Op.Commit:
      await leaf.commit(decodeString(payload));
      return EMPTY;
    case Op.Rollback:
      await leaf.rollback(decodeString(payload));
      return EMPTY;
    case Op.Savepoint:
      await leaf.savepoint(decodeSavepointRequest(payload));
      return EMPTY;
    case Op.RollbackToSavepoint:
      await leaf.rollbackToSavepoint(decodeSavepointRequest(payload));
      return EMPTY;
    case Op.InDoubt:
      return encodeStrings(await leaf.inDoubt());
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
