import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CommonErrors, ExoError, isExoError } from '../errors.js';
import type { Logger } from '../log.js';
import { type MetricsRegistry } from '../metrics.js';
import { isLoopbackAddress } from '../net.js';
import { tokensEqual } from '../token.js';
import { HANDLED, type JsonResult, type RequestContext, type Router } from './router.js';

export interface HttpServiceOptions {
  router: Router;
  logger: Logger;
  metrics: MetricsRegistry;
  /** The cluster token; `internal` routes always need it. */
  token: string | undefined;
  /** Whether `user` routes need the token (true when listening on a non-loopback address). */
  requireTokenForUsers: boolean;
  /** Largest accepted request body. */
  bodyBytesMax?: number;
  /** Extra readiness check for /health; returns a reason when not healthy. */
  health?: () => string | undefined;
}

export interface StartedServer {
  server: Server;
  url: string;
  port: number;
  host: string;
  close(): Promise<void>;
}

const defaultBodyBytesMax = 1024 * 1024;

/**
 * An HTTP service with JSON errors, /health, /metrics and bearer-token authentication.
 * Every error leaves as JSON `{code, message, details?}` with a stable code; an unexpected
 * exception becomes EXO_INTERNAL (logged), and the server keeps serving.
 */
export function createHttpService(options: HttpServiceOptions): Server {
  const requests = options.metrics.counter(
    'http_requests_total',
    'HTTP requests by method, route and status.',
  );
  const durations = options.metrics.histogram(
    'http_request_duration_seconds',
    'HTTP request latency by route.',
    [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
  );
  options.router.get(
    '/health',
    () => {
      const reason = options.health?.();
      return reason === undefined
        ? { body: { status: 'ok' } }
        : { status: 503, body: { status: 'unavailable', reason } };
    },
    'public',
  );
  options.router.get('/metrics', ({ response }) => {
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    response.end(options.metrics.render());
    return HANDLED;
  });

  const server = createServer((request, response) => {
    const started = performance.now();
    let routePattern = 'unmatched';
    void handle(request, response, (pattern) => (routePattern = pattern)).finally(() => {
      const labels = {
        method: request.method ?? 'GET',
        route: routePattern,
        status: String(response.statusCode),
      };
      requests.inc(labels);
      durations.observe((performance.now() - started) / 1000, { route: routePattern });
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;

  async function handle(
    request: IncomingMessage,
    response: ServerResponse,
    setRoute: (pattern: string) => void,
  ): Promise<void> {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const method = request.method ?? 'GET';
      const found = options.router.match(method, url.pathname);
      if (!('route' in found)) {
        throw found.methodMismatch
          ? CommonErrors.create(
              'EXO_METHOD_NOT_ALLOWED',
              `${method} is not allowed on ${url.pathname}`,
            )
          : CommonErrors.create('EXO_NOT_FOUND', `no route for ${method} ${url.pathname}`);
      }
      setRoute(found.route.pattern);
      authorize(request, found.route.access);
      const context: RequestContext = {
        method,
        path: url.pathname,
        params: found.params,
        query: url.searchParams,
        headers: request.headers,
        remoteAddress: request.socket.remoteAddress ?? '',
        request,
        response,
        json: () => readJson(request, options.bodyBytesMax ?? defaultBodyBytesMax),
      };
      const result = await found.route.handler(context);
      if (result === HANDLED) return;
      sendJson(response, result);
    } catch (error) {
      sendError(response, error, options.logger);
    }
  }

  function authorize(request: IncomingMessage, access: 'public' | 'user' | 'internal'): void {
    if (access === 'public') return;
    if (access === 'user' && !options.requireTokenForUsers) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!options.token || !match || !tokensEqual(match[1]!, options.token)) {
      throw CommonErrors.create(
        'EXO_UNAUTHORIZED',
        'a valid bearer token is required (Authorization: Bearer <token>)',
      );
    }
  }

  return server;
}

export function sendJson(response: ServerResponse, result: JsonResult): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const status = result.status ?? 200;
  const payload = result.body === undefined ? '' : JSON.stringify(result.body);
  response.writeHead(status, {
    ...(payload ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'content-length': Buffer.byteLength(payload),
    ...result.headers,
  });
  response.end(payload);
}

export function sendError(response: ServerResponse, error: unknown, logger: Logger): void {
  let exo: ExoError;
  if (isExoError(error)) {
    exo = error;
  } else {
    logger.error('unhandled error in request', { error });
    exo = CommonErrors.create('EXO_INTERNAL', 'internal server error');
  }
  sendJson(response, { status: exo.status, body: exo.toJSON() });
}

function readJson(request: IncomingMessage, bodyBytesMax: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > bodyBytesMax) {
      reject(
        CommonErrors.create(
          'EXO_BODY_TOO_LARGE',
          `request body of ${declared} bytes exceeds ${bodyBytesMax}`,
        ),
      );
      request.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > bodyBytesMax) {
        failed = true;
        reject(
          CommonErrors.create('EXO_BODY_TOO_LARGE', `request body exceeds ${bodyBytesMax} bytes`),
        );
        return;
      }
      chunks.push(chunk);
    });
    request.on('error', (error) => {
      if (!failed)
        reject(
          CommonErrors.create('EXO_BAD_REQUEST', 'request body could not be read', {
            cause: error,
          }),
        );
    });
    request.on('end', () => {
      if (failed) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') {
        resolve(undefined);
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch (error) {
        reject(
          CommonErrors.create(
            'EXO_BAD_REQUEST',
            `request body is not valid JSON: ${(error as Error).message}`,
          ),
        );
      }
    });
  });
}

/** Listens on host:port (0 = any free port) and resolves with the bound URL. */
export async function listen(server: Server, host: string, port: number): Promise<StartedServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    host: address.address,
    port: address.port,
    url: `http://${urlHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Whether a server bound to `host` needs tokens from users (any non-loopback bind). */
export function requiresUserToken(host: string): boolean {
  return !isLoopbackAddress(host);
}

export { ExoError };
