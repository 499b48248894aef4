import {
  createServer,
  request as nodeRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@exosphere/common';
import { startGateway, type DataPath, type RunningGateway } from '../src/index.js';

/** Response bodies are inspected loosely in tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

export interface Upstream {
  readonly url: string;
  readonly server: Server;
  readonly hits: IncomingMessage[];
  close(): Promise<void>;
}

/** A real upstream on port 0 that answers with JSON describing the request it saw. */
export async function startUpstream(
  name: string,
  handler?: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<Upstream> {
  const hits: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    hits.push(request);
    if (handler) return handler(request, response);
    const body = JSON.stringify({
      upstream: name,
      method: request.method,
      url: request.url,
      headers: request.headers,
    });
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface TestGateway extends RunningGateway {
  readonly home: string;
  writeConfig(config: unknown): Promise<void>;
}

/** A gateway on port 0 with its configuration file (JSON, which is also YAML) in a temp home. */
export async function startTestGateway(
  config: unknown,
  extra: { accessLogPath?: string; dataPath?: DataPath; headTimeoutMs?: number } = {},
): Promise<TestGateway> {
  const home = await mkdtemp(join(tmpdir(), 'exo-gateway-'));
  const configPath = join(home, 'gateway.yaml');
  await writeFile(configPath, JSON.stringify(config));
  const gateway = await startGateway({
    home,
    configPath,
    logger: silentLogger(),
    reloadDebounceMs: 20,
    reloadPollIntervalMs: 200,
    ...extra,
  });
  return {
    ...gateway,
    home,
    writeConfig: (next) => writeFile(configPath, JSON.stringify(next)),
    async close() {
      await gateway.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

export async function getJson(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: Loose; headers: Headers }> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body, headers: response.headers };
}

/** Polls until `check` passes (short intervals, bounded). */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function simpleConfig(
  upstreamUrls: string[],
  extra: Record<string, unknown> = {},
  routes?: unknown[],
): Record<string, unknown> {
  return {
    upstreams: [{ name: 'backend', targets: upstreamUrls.map((url) => ({ url })), ...extra }],
    routes: routes ?? [{ name: 'all', match: { paths: ['/*'] }, upstream: 'backend' }],
  };
}

/** A request through node:http (fetch forbids setting Host). */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; body: Loose; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = nodeRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers ?? {} },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolve({ status: response.statusCode ?? 0, body, headers: response.headers });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}
