import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import {
  RealClock,
  createHttpService,
  createLogger,
  ensureToken,
  isLoopbackAddress,
  listen,
  type Clock,
  type Logger,
} from '@exosphere/common';
import { createAdminRouter } from './admin/routes.js';
import { ConfigStore, type ApplyResult } from './config/store.js';
import { watchFile } from './config/watch.js';
import { GatewayErrors } from './errors.js';
import { createAccessLog } from './observability/access-log.js';
import { createGatewayMetrics } from './observability/metrics.js';
import { createProxyHandler } from './proxy/handler.js';
import { handleUpgrade } from './proxy/upgrade.js';

export interface GatewayOptions {
  /** State folder: the cluster token and, without `configPath`, HOME/gateway.yaml. */
  readonly home: string;
  readonly host?: string;
  readonly port?: number;
  readonly adminHost?: string;
  readonly adminPort?: number;
  /** The declarative configuration file (YAML or JSON); watched and rewritten by PUT /config. */
  readonly configPath?: string;
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Where JSON access-log lines go; none when absent. */
  readonly accessLogPath?: string;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** File-change debounce and stat fallback period. */
  readonly reloadDebounceMs?: number;
  readonly reloadPollIntervalMs?: number;
}

export interface RunningGateway {
  readonly url: string;
  readonly adminUrl: string;
  readonly configPath: string;
  /** Re-reads the configuration file now (it is also reloaded on change). */
  reload(): Promise<ApplyResult>;
  close(): Promise<void>;
}

/** Starts the data plane (proxy) and the admin API on separate listeners. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger({ fields: { process: 'gateway' } });
  const clock = options.clock ?? new RealClock();
  const configPath = options.configPath ?? join(options.home, 'gateway.yaml');
  const metrics = createGatewayMetrics(() => store);
  const store: ConfigStore = new ConfigStore({
    path: configPath,
    clock,
    logger,
    onApplied: (result, source) => {
      metrics.reloads.inc({ result: result.ok ? 'applied' : 'rejected' });
      if (result.ok)
        logger.info('gateway configuration applied', {
          source,
          applyMs: Math.round(result.applyMs),
        });
      else
        logger.warn('gateway configuration rejected; the running one keeps serving', {
          source,
          errors: result.errors,
        });
    },
  });
  const initial = await store.reloadFile();
  if (!initial.ok) {
    throw GatewayErrors.create(
      'EXO_GATEWAY_CONFIG_INVALID',
      `invalid gateway configuration ${configPath}: ${describe(initial.errors)}`,
      {
        details: initial.errors,
      },
    );
  }
  const configStore = store;
  const accessLog = options.accessLogPath ? createAccessLog(options.accessLogPath) : undefined;
  const protocol = options.tls ? 'https' : 'http';
  const handler = createProxyHandler({
    runtime: () => configStore.runtime,
    protocol,
    logger,
    clock,
    onUpstreamError: (upstream, kind) => metrics.upstreamErrors.inc({ upstream, kind }),
    onComplete: (exchange) => {
      const nowMs = performance.now();
      const route = exchange.route?.name ?? 'unmatched';
      metrics.requests.inc({ route, status: String(exchange.response.statusCode) });
      metrics.duration.observe((nowMs - exchange.startedMs) / 1000, { route });
      accessLog?.write(exchange, nowMs);
    },
  });
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler)
    : createHttpServer(handler);
  // Idle keep-alive connections from clients outlive typical load-balancer idle timeouts (60 s).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // Streams may be long; per-upstream timeouts bound the wait for an answer instead.
  server.requestTimeout = 0;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // A malformed request line or header (RFC 9112 §2.2): answer 400 if we still can, then close.
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({
      code: 'EXO_GATEWAY_BAD_REQUEST',
      message: `malformed request: ${error.code ?? 'parse error'}`,
    });
    const status =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : '400 Bad Request';
    socket.end(
      `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    handleUpgrade({
      request,
      socket,
      head,
      runtime: configStore.runtime,
      protocol,
      nowMs: clock.monotonic(),
    });
  });

  const adminHost = options.adminHost ?? '127.0.0.1';
  const requireToken = !isLoopbackAddress(adminHost);
  const token = requireToken ? (await ensureToken(options.home)).token : undefined;
  const adminServer = createHttpService({
    router: createAdminRouter(configStore),
    logger,
    metrics: metrics.registry,
    token,
    requireTokenForUsers: requireToken,
    bodyBytesMax: 256 * 1024 * 1024,
  });
  const data = await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  const admin = await listen(adminServer, adminHost, options.adminPort ?? 0);
  const stopWatching = watchFile({
    path: configPath,
    debounceMs: options.reloadDebounceMs ?? 100,
    pollIntervalMs: options.reloadPollIntervalMs ?? 2000,
    onChange: () => void configStore.reloadFile(),
  });
  return {
    url: options.tls ? data.url.replace(/^http:/, 'https:') : data.url,
    adminUrl: admin.url,
    configPath,
    reload: () => configStore.reloadFile(),
    async close() {
      stopWatching();
      await Promise.all([data.close(), admin.close()]);
      configStore.close();
      await accessLog?.close();
    },
  };
}

function describe(errors: ReadonlyArray<{ path: string; errors: readonly string[] }>): string {
  return errors.map((error) => `${error.path}: ${error.errors.join(', ')}`).join('; ');
}
