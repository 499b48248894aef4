import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { RealClock, createLogger, listen, type Clock, type Logger } from '@exosphere/common';
import { ApiManager, type ApiManagerOptions } from './apim/api-manager.js';
import { AnalyticsService } from './analytics/analytics-service.js';
import {
  analyticsSettingsSchema,
  analyticsSqlSchema,
  type AnalyticsSqlInput,
} from './analytics/settings.js';
import { ConfigStore, type ApplyResult } from './config/store.js';
import { watchFile } from './config/watch.js';
import { AppDiscovery } from './discovery/app-discovery.js';
import { registerDiscoveryMetrics } from './discovery/discovery-metrics.js';
import { masterLocation, type TokenSource } from './discovery/master-api.js';
import type { ResolverSettings } from './discovery/resolver-settings.js';
import { GatewayErrors } from './errors.js';
import { createAccessLog } from './observability/access-log.js';
import { createGatewayMetrics } from './observability/metrics.js';
import { createProxyHandler } from './proxy/handler.js';
import { createFastServer, defaultHeadLimits } from './proxy/fast/fast-server.js';
import { malformedAnswer } from './proxy/fast/head-writer.js';
import { handleUpgrade } from './proxy/upgrade.js';
import type { Runtime } from './proxy/runtime.js';
import type { ExchangeState } from './proxy/exchange.js';
import { ThrottlingService, bindThrottling } from './policies/throttling/index.js';
import { createAdminServer } from './admin/admin-server.js';
import { joinWorkers } from './workers/join-workers.js';
import type { WorkerLink } from './workers/worker-link.js';

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
  /**
   * The compute-plane master for `app` upstreams when the file has no `master` section (from
   * --master-url / EXO_MASTER_URL, or given by `exo up`).
   */
  readonly master?: { readonly url: string; readonly token?: TokenSource | undefined } | undefined;
  /** Reconnect backoff and limits of the link to the master (tests shorten them). */
  readonly discovery?: Partial<ResolverSettings>;
  /** How long start waits for the first sync of `app` upstreams before serving anyway. */
  readonly discoveryStartWaitMs?: number;
  /**
   * The analytics SQL sink when the file has no `analytics.sql` (`exo up` gives its data plane).
   */
  readonly analyticsSql?: AnalyticsSqlInput | undefined;
  /** API management: token lifetime, signing algorithm, issuer (apim/). */
  readonly apim?: Pick<ApiManagerOptions, 'tokenLifetimeSeconds' | 'signingAlgorithm' | 'issuer'>;
  /**
   * This process is one worker of several (`startGatewayCluster`, workers/): rate limits,
   * configuration and catalog changes, analytics and metrics are shared through the primary.
   * Only worker 0 serves the admin API; the others have no `adminUrl`.
   */
  readonly worker?: WorkerLink;
  /**
   * Which HTTP/1.1 stack serves the plain-HTTP data plane: 'fast' (the default; proxy/fast/:
   * its own parser and upstream connections, handing upgrades, 100-continue, mediated routes
   * and anything unusual to node:http on the same socket) or 'node' (node:http and undici for
   * every request). HTTPS is always node:https.
   */
  readonly dataPath?: DataPath;
  /**
   * How long a request head may take to arrive from its first byte, on both data paths, before
   * the connection is closed (66 s; nginx's client_header_timeout is 60 s). Tests shorten it.
   */
  readonly headTimeoutMs?: number;
}

export type DataPath = 'fast' | 'node';

export interface RunningGateway {
  readonly url: string;
  readonly adminUrl: string;
  readonly configPath: string;
  /** Re-reads the configuration file now (it is also reloaded on change). */
  reload(): Promise<ApplyResult>;
  /** Where rate limits are counted now: in memory, in the shared store, or the local fallback. */
  rateLimitMode(): 'local' | 'store' | 'fallback';
  close(): Promise<void>;
}

/** Starts the data plane (proxy) and the admin API on separate listeners. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger({ fields: { process: 'gateway' } });
  const clock = options.clock ?? new RealClock();
  const configPath = options.configPath ?? join(options.home, 'gateway.yaml');
  const metrics = createGatewayMetrics(() => store);
  // Rate-limit policies reach the gateway's limiter through a binding made once per runtime
  // before it serves: when a configuration is applied, and again on first use as a guard.
  const worker = options.worker;
  const isAdmin = worker === undefined || worker.isAdmin;
  const throttling = new ThrottlingService({
    clock,
    logger,
    registry: metrics.registry,
    ...(worker ? { workers: { count: worker.workers, lease: worker.lease } } : {}),
  });
  const boundRuntimes = new WeakSet<Runtime>();
  const analyticsSql = options.analyticsSql
    ? analyticsSqlSchema.safeParse(options.analyticsSql)
    : undefined;
  if (analyticsSql && !analyticsSql.success)
    throw GatewayErrors.create(
      'EXO_GATEWAY_CONFIG_INVALID',
      `invalid analytics SQL settings: ${analyticsSql.error.message}`,
    );
  // Idle until a configuration is applied; every applied one reconfigures it.
  const analytics = new AnalyticsService({
    settings: analyticsSettingsSchema.parse({ enabled: false }),
    clock,
    logger: logger.child({ component: 'analytics' }),
    registry: metrics.registry,
    defaultSql: analyticsSql?.data,
    forward: isAdmin ? undefined : (records) => worker?.forwardAnalytics(records),
  });
  function currentRuntime(): Runtime {
    // The declarative runtime with the managed APIs' routes merged in (apim/managed-routes.ts).
    const runtime = apim.runtimeFor(store.runtime);
    if (!boundRuntimes.has(runtime)) {
      bindThrottling(runtime, throttling);
      boundRuntimes.add(runtime);
    }
    return runtime;
  }
  const discovery = new AppDiscovery({
    defaultMaster: options.master
      ? masterLocation(options.master.url, options.master.token)
      : undefined,
    logger: logger.child({ component: 'discovery' }),
    ...(options.discovery ? { settings: options.discovery } : {}),
  });
  registerDiscoveryMetrics(metrics.registry, discovery);
  const apim = await ApiManager.open({
    ...options.apim,
    home: options.home,
    clock,
    logger,
    throttling,
    discovery,
  }).catch((error: unknown) => {
    discovery.close();
    throw error;
  });
  const store: ConfigStore = new ConfigStore({
    path: configPath,
    clock,
    logger,
    discovery,
    ...(worker ? { afterWrite: () => worker.propagate('config') } : {}),
    onApplied: (result, source) => {
      metrics.reloads.inc({ result: result.ok ? 'applied' : 'rejected' });
      if (result.ok) currentRuntime();
      if (result.ok) analytics.configure(store.config.analytics);
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
    discovery.close();
    throw GatewayErrors.create(
      'EXO_GATEWAY_CONFIG_INVALID',
      `invalid gateway configuration ${configPath}: ${describe(initial.errors)}`,
      {
        details: initial.errors,
      },
    );
  }
  const configStore = store;
  if (worker) joinWorkers({ worker, configStore, apim, analytics, registry: metrics.registry });
  // Without a file the empty configuration stands, and no apply has configured analytics yet.
  analytics.configure(store.config.analytics);
  // `app` upstreams get their first targets from the master; a master that does not answer
  // in time does not hold the gateway back (those routes answer 503 until it does).
  await discovery.whenSynced(options.discoveryStartWaitMs ?? 3000);
  const accessLog = options.accessLogPath ? createAccessLog(options.accessLogPath) : undefined;
  const protocol = options.tls ? 'https' : 'http';
  const onComplete = (exchange: ExchangeState): void => {
    const nowMs = performance.now();
    const route = exchange.route?.name ?? 'unmatched';
    metrics.requests.record(
      route,
      exchange.response.statusCode,
      (nowMs - exchange.startedMs) / 1000,
    );
    accessLog?.write(exchange, nowMs);
    analytics.record(exchange, nowMs);
  };
  const onUpstreamError = (upstream: string, kind: string): void =>
    metrics.upstreamErrors.inc({ upstream, kind });
  const handler = createProxyHandler({
    runtime: currentRuntime,
    protocol,
    logger,
    clock,
    onUpstreamError,
    onComplete,
  });
  // The OAuth 2.0 token endpoint and JWKS of API management answer before routing.
  const dataHandler = (request: IncomingMessage, response: ServerResponse): void => {
    if (!apim.handleDataPlane(request, response)) handler(request, response);
  };
  const headTimeoutMs = options.headTimeoutMs ?? defaultHeadLimits.headTimeoutMs;
  // node:http checks head and request timeouts of its connections this often (30 s by
  // default): a head is cut off within a second of its timeout, as on the fast path.
  const serverOptions = { connectionsCheckingInterval: Math.min(1000, headTimeoutMs) };
  const server: Server = options.tls
    ? createHttpsServer(
        { ...serverOptions, cert: options.tls.cert, key: options.tls.key },
        dataHandler,
      )
    : createHttpServer(serverOptions, dataHandler);
  // Idle keep-alive connections from clients outlive typical load-balancer idle timeouts (60 s).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = headTimeoutMs;
  // Streams may be long; per-upstream timeouts bound the wait for an answer instead.
  server.requestTimeout = 0;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // A malformed request line or header (RFC 9112 §2.2): answer 400 if we still can, then close.
    // A head that did not arrive in time closes without an answer, as on the fast path.
    if (
      !socket.writable ||
      error.code === 'ECONNRESET' ||
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
    ) {
      socket.destroy();
      return;
    }
    socket.end(
      malformedAnswer(
        error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400,
        `malformed request: ${error.code ?? 'parse error'}`,
      ),
    );
  });
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    handleUpgrade({
      request,
      socket,
      head,
      runtime: currentRuntime(),
      protocol,
      nowMs: clock.monotonic(),
    });
  });

  const adminHost = options.adminHost ?? '127.0.0.1';
  const adminServer = isAdmin
    ? await createAdminServer({
        home: options.home,
        adminHost,
        configStore,
        analytics,
        apim,
        registry: metrics.registry,
        logger,
        worker,
      })
    : undefined;
  // The data listener first: with port 0 under node:cluster, every worker's first listen(0)
  // shares one port.
  // Plain HTTP is served by the fast path unless turned off; node:http then only serves the
  // connections it hands over (its server never listens).
  const fast =
    !options.tls && (options.dataPath ?? 'fast') === 'fast'
      ? createFastServer({
          httpServer: server,
          limits: { ...defaultHeadLimits, headTimeoutMs },
          handler: {
            runtime: currentRuntime,
            logger,
            clock,
            onUpstreamError,
            onComplete,
            ownsPath: (path) => apim.ownsDataPlanePath(path),
            onHandover: (reason) => metrics.handovers.inc({ reason }),
          },
        })
      : undefined;
  // node:http enforces headersTimeout only on connections it tracks, and it starts tracking
  // when its server listens, which it never does beside the fast path: told it did, it cuts
  // off a head trickling in on a handed-over connection too (else only the 16 KiB head limit
  // would end such a connection, after hours).
  if (fast) server.emit('listening');
  const data = fast
    ? {
        url: await fast.listen(options.host ?? '127.0.0.1', options.port ?? 0),
        close: () => fast.close(),
      }
    : await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  const admin = adminServer
    ? await listen(adminServer, adminHost, options.adminPort ?? 0)
    : { url: '', close: () => Promise.resolve() };
  apim.setGatewayUrl(options.tls ? data.url.replace(/^http:/, 'https:') : data.url);
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
    rateLimitMode: () => throttling.mode,
    async close() {
      stopWatching();
      await Promise.all([data.close(), admin.close()]);
      configStore.close();
      apim.close();
      throttling.close();
      discovery.close();
      await accessLog?.close();
      await analytics.close();
    },
  };
}

function describe(errors: ReadonlyArray<{ path: string; errors: readonly string[] }>): string {
  return errors.map((error) => `${error.path}: ${error.errors.join(', ')}`).join('; ');
}
