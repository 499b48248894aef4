import { Socket, type Server } from 'node:net';

/** What reads an accepted connection's bytes out of the shared buffer. */
export interface SharedReader {
  /**
   * `data` was read; it sits in the shared buffer and is valid only during the call (copy it
   * to keep it). Returns false to stop reading until the socket is resumed.
   */
  onRead(data: Buffer): boolean;
}

/** Where every accepted connection reads (one read at a time: the event loop is single). */
const readBuffer = Buffer.allocUnsafe(64 * 1024);

/** The parts of net.Server's listening handle this relies on (Node's own `onconnection`). */
interface ListeningHandle {
  onconnection?: (status: number, clientHandle: unknown) => void;
}

/**
 * Has `server` (listening) hand each accepted connection to `accept` as a socket that reads
 * into one shared buffer, as `net.connect`'s `onread` option does for outgoing ones: no buffer
 * allocated per read, no Readable push and 'data' event. net.Server offers no such option for
 * the sockets it accepts, so this takes over the listening handle's `onconnection` (the hook
 * Node itself installs, also the one node:cluster workers are handed connections through) and
 * makes the socket the way net.Server does, with `onread` added. Returns false, changing
 * nothing, when the handle does not have that hook: connections then arrive through the
 * server's 'connection' event as usual.
 *
 * `maxConnections`, the server's connection count and its 'drop' event are not kept for these
 * sockets: the fast server tracks and closes its connections itself.
 */
export function acceptWithSharedReads(
  server: Server,
  accept: (socket: Socket) => SharedReader,
  onAcceptError: (status: number) => void,
): boolean {
  const handle = (server as unknown as { _handle?: ListeningHandle | null })._handle;
  if (typeof handle?.onconnection !== 'function') return false;
  handle.onconnection = (status, clientHandle) => {
    // A negative status is a failed accept (EMFILE, ENFILE): net.Server would emit 'error'.
    if (status < 0) {
      onAcceptError(status);
      return;
    }
    // Reads begin on a later turn of the event loop, once `accept` has named the reader.
    const target: { reader?: SharedReader } = {};
    const socket = new Socket({
      handle: clientHandle,
      readable: true,
      writable: true,
      onread: {
        buffer: readBuffer,
        callback: (bytes: number) => target.reader?.onRead(readBuffer.subarray(0, bytes)) ?? true,
      },
    } as ConstructorParameters<typeof Socket>[0]);
    target.reader = accept(socket);
  };
  return true;
}
