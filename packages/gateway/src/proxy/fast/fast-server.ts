import type { Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { ClientConnection } from './client-connection.js';
import { createFastHandler, type FastHandlerOptions, type HandoverReason } from './fast-handler.js';
import type { ExchangeOwner, FastExchange } from './fast-exchange.js';
import type { HeadLimits, RequestHead } from './request-head.js';
import { acceptWithSharedReads } from './shared-reads.js';

/**
 * node:http's defaults: a 16 KiB head (`--max-http-header-size`), answered 431 beyond, and the
 * gateway's `headersTimeout` (66 s). Field lines are bounded too, which node:http does not do
 * (it drops fields past 2,000).
 */
export const defaultHeadLimits: HeadLimits = {
  headBytesMax: 16 * 1024,
  fieldsMax: 200,
  headTimeoutMs: 66_000,
};

export interface FastServer {
  readonly server: Server;
  /** Listens on host:port (0 = any free port) and resolves with the bound URL. */
  listen(host: string, port: number): Promise<string>;
  /** Stops accepting, and ends every connection (its own and those handed to node:http). */
  close(): Promise<void>;
}

/**
 * The plain-HTTP data-plane listener of the fast path: a `net.Server` whose connections are
 * parsed and proxied by fast/ (client-connection.ts), and handed to `httpServer` (never
 * listening itself) for whatever only node:http serves. See fast/README.md.
 */
export function createFastServer(options: {
  readonly httpServer: HttpServer;
  readonly handler: FastHandlerOptions;
  readonly limits?: HeadLimits;
  /** A connection with no byte in either direction for this long closes (node:http: 65 s). */
  readonly idleTimeoutMs?: number;
}): FastServer {
  const connections = new Set<ClientConnection>();
  const handedOver = new Set<Socket>();
  const handler = createFastHandler(options.handler);
  // Idle connections are found by a sweep (a quarter of the timeout, at most a second apart):
  // a connection closes between `idleTimeoutMs` and one sweep later.
  const idleTimeoutMs = options.idleTimeoutMs ?? 65_000;
  const sweepMs = Math.min(1000, Math.max(10, Math.floor(idleTimeoutMs / 4)));
  const idleSweeps = Math.ceil(idleTimeoutMs / sweepMs);
  const context = {
    sweeps: 0,
    limits: options.limits ?? defaultHeadLimits,
    createExchange: (owner: ExchangeOwner, head: RequestHead) =>
      handler.createExchange(owner, head),
    run: (exchange: FastExchange) => handler.run(exchange),
    handover(socket: Socket, reason: HandoverReason) {
      options.handler.onHandover?.(reason);
      handedOver.add(socket);
      socket.once('close', () => handedOver.delete(socket));
      options.httpServer.emit('connection', socket);
    },
    forget(connection: ClientConnection) {
      connections.delete(connection);
    },
    onInternalError(error: unknown) {
      options.handler.logger.error('fast path connection failed', { error });
    },
  };
  const sweeper = setInterval(() => {
    context.sweeps++;
    for (const connection of connections) connection.sweep(idleSweeps);
  }, sweepMs).unref();
  const server = createServer((socket) => {
    connections.add(new ClientConnection(socket, context));
  });
  function acceptShared(socket: Socket): ClientConnection {
    const connection = new ClientConnection(socket, context, true);
    connections.add(connection);
    return connection;
  }
  // Failed accepts (out of file descriptors) come in bursts: one line a second at most.
  let acceptFailedLoggedMs = -Infinity;
  function acceptFailed(status: number): void {
    const nowMs = performance.now();
    if (nowMs - acceptFailedLoggedMs < 1000) return;
    acceptFailedLoggedMs = nowMs;
    options.handler.logger.warn('accepting a connection failed', { status });
  }
  return {
    server,
    async listen(host, port) {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          acceptWithSharedReads(server, acceptShared, acceptFailed);
          resolve();
        });
      });
      const address = server.address() as AddressInfo;
      const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${urlHost}:${address.port}`;
    },
    close() {
      clearInterval(sweeper);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const connection of connections) connection.destroy();
      for (const socket of handedOver) socket.destroy();
      return closed;
    },
  };
}
