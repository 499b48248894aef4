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
  let inFlight = 0;
  socket.on('error', () => socket.destroy());
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
      socket.end(encodeFrame(0, Op.Error, encodeError(sqlError('NET_PACKET_TOO_LARGE', message))));
      socket.destroySoon();
      return;
    }
    for (const frame of frames) {
      inFlight += 1;
      if (inFlight >= IN_FLIGHT_MAX) socket.pause();
      void handle(leaf, frame).then((answer) => {
        inFlight -= 1;
        if (inFlight < IN_FLIGHT_MAX / 2 && socket.isPaused()) socket.resume();
        if (!socket.destroyed) socket.write(answer);
      });
    }
  });
  socket.on('end', () => socket.end());
}

async function handle(leaf: Leaf, frame: Frame): Promise<Buffer> {
  try {
    const payload = await dispatch(leaf, frame);
    return encodeFrame(frame.id, Op.Ok, payload);
  } catch (error) {
    return encodeFrame(frame.id, Op.Error, encodeError(toSqlError(error)));
  }
}

async function dispatch(leaf: Leaf, frame: Frame): Promise<Uint8Array> {
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
    case Op.Exec:
      return encodeExecResults(await leaf.exec(decodeExecRequests(payload)));
    case Op.Insert:
      return encodeAffectedRows((await leaf.insert(decodeInsertRequest(payload))).affectedRows);
    case Op.Prepare:
      await leaf.prepare(decodeString(payload));
      return EMPTY;
    case Op.Commit:
      await leaf.commit(decodeString(payload));
      return EMPTY;
    case Op.Rollback:
      await leaf.rollback(decodeString(payload));
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
