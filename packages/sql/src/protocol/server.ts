/**
 * The TCP listener: accepts clients, numbers connections from 1, enforces the connection
 * limit, and closes everything on `close()`.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { ER } from '../errors.js';
import type { SqlBackend } from './backend.js';
import { DEFAULT_MAX_ALLOWED_PACKET_BYTES } from './constants.js';
import { MysqlConnection } from './connection.js';
import {
  CACHING_SHA2_PLUGIN,
  NATIVE_PASSWORD_PLUGIN,
  type AuthPlugin,
} from './handshake-packets.js';
import { errPacket } from './response-packets.js';
import type { Logger } from './result-sender.js';
import { createMysqlTlsContext, type MysqlTlsOptions } from './tls.js';

export interface MysqlServerOptions {
  readonly backend: SqlBackend;
  /** Defaults to 127.0.0.1. */
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** max_allowed_packet; 64 MiB by default. */
  readonly maxAllowedPacketBytes?: number;
  /** max_connections; 1000 by default. */
  readonly connectionsMax?: number;
  /**
   * The plugin named in the initial handshake (the client may still answer with the other
   * one). mysql_native_password by default.
   */
  readonly defaultAuthPlugin?: AuthPlugin;
  /**
   * The certificate and key that enable TLS: CLIENT_SSL is advertised and clients may switch
   * with an SSLRequest. Without them nothing about TLS is offered.
   */
  readonly tls?: MysqlTlsOptions;
  /**
   * require_secure_transport: clients that do not switch to TLS are refused with 3159
   * (loopback included, as in MySQL). Needs `tls`. Off by default.
   */
  readonly requireSecureTransport?: boolean;
  readonly logger?: Logger;
}

export interface MysqlServer {
  readonly port: number;
  readonly address: string;
  /** Connections open now. */
  readonly connectionCount: number;
  /** Stops listening, ends every connection and waits for their sessions to close. */
  close(): Promise<void>;
}

const PACKET_BYTES_MIN = 1024;
const PACKET_BYTES_MAX = 1024 * 1024 * 1024;

function validate(options: MysqlServerOptions): {
  maxAllowedPacketBytes: number;
  connectionsMax: number;
  tls: SecureContext | undefined;
} {
  const maxAllowedPacketBytes = options.maxAllowedPacketBytes ?? DEFAULT_MAX_ALLOWED_PACKET_BYTES;
  if (
    !Number.isInteger(maxAllowedPacketBytes) ||
    maxAllowedPacketBytes < PACKET_BYTES_MIN ||
    maxAllowedPacketBytes > PACKET_BYTES_MAX
  ) {
    throw new RangeError(
      `maxAllowedPacketBytes must be an integer from ${PACKET_BYTES_MIN} to ${PACKET_BYTES_MAX}`,
    );
  }
  const connectionsMax = options.connectionsMax ?? 1000;
  if (!Number.isInteger(connectionsMax) || connectionsMax < 1) {
    throw new RangeError('connectionsMax must be a positive integer');
  }
  const plugin = options.defaultAuthPlugin;
  if (plugin !== undefined && plugin !== NATIVE_PASSWORD_PLUGIN && plugin !== CACHING_SHA2_PLUGIN) {
    throw new RangeError(
      'defaultAuthPlugin must be mysql_native_password or caching_sha2_password',
    );
  }
  if (options.requireSecureTransport === true && options.tls === undefined) {
    // Without TLS no TCP client could ever log in (there is no Unix socket here).
    throw new RangeError('requireSecureTransport needs a TLS certificate and key (tls)');
  }
  const tls = options.tls === undefined ? undefined : createMysqlTlsContext(options.tls);
  return { maxAllowedPacketBytes, connectionsMax, tls };
}

export async function startMysqlServer(options: MysqlServerOptions): Promise<MysqlServer> {
  const { maxAllowedPacketBytes, connectionsMax, tls } = validate(options);
  const requireSecureTransport = options.requireSecureTransport === true;
  const connections = new Map<MysqlConnection, Promise<void>>();
  const startedAtMs = Date.now();
  let nextConnectionId = 1;
  let closing = false;

  const log: Logger = (event, fields) => {
    try {
      options.logger?.(event, fields);
    } catch {
      // Logging never takes the server down.
    }
  };

  function statistics(): string {
    const uptimeSeconds = Math.floor((Date.now() - startedAtMs) / 1000);
    const questions = options.backend.questions?.() ?? 0;
    const perSecond = (questions / Math.max(1, uptimeSeconds)).toFixed(3);
    return `Uptime: ${uptimeSeconds}  Threads: ${connections.size}  Questions: ${questions}  Slow queries: 0  Opens: 0  Open tables: 0  Queries per second avg: ${perSecond}`;
  }

  function refuseTooMany(socket: Socket): void {
    const [errno, sqlState] = ER.CON_COUNT;
    const payload = errPacket({ errno, sqlState, message: 'Too many connections' });
    const header = Buffer.from([
      payload.length & 0xff,
      (payload.length >> 8) & 0xff,
      payload.length >> 16,
      0,
    ]);
    socket.on('error', () => socket.destroy());
    socket.end(Buffer.concat([header, payload]));
  }

  function accept(socket: Socket): void {
    if (closing || connections.size >= connectionsMax) {
      refuseTooMany(socket);
      return;
    }
    const connectionId = nextConnectionId;
    nextConnectionId = nextConnectionId >= 0xffffffff ? 1 : nextConnectionId + 1;
    const connection = new MysqlConnection({
      socket,
      backend: options.backend,
      connectionId,
      maxAllowedPacketBytes,
      authPlugin: options.defaultAuthPlugin ?? NATIVE_PASSWORD_PLUGIN,
      logger: options.logger,
      statistics,
      tls,
      requireSecureTransport: () => requireSecureTransport,
    });
    const done = connection.run().finally(() => connections.delete(connection));
    connections.set(connection, done);
  }

  const server: Server = createServer({ noDelay: true }, accept);
  server.on('error', (error) => log('mysql.server_error', { error: error.message }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  if (bound === null || typeof bound === 'string')
    throw new Error('The MySQL server has no TCP address');
  log('mysql.listening', { address: bound.address, port: bound.port });

  return {
    port: bound.port,
    address: bound.address,
    get connectionCount() {
      return connections.size;
    },
    async close() {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const connection of connections.keys()) connection.destroy();
      await Promise.all([stopped, ...connections.values()]);
    },
  };
}
