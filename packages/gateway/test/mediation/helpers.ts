import type { IncomingMessage, ServerResponse } from 'node:http';
import { startTestGateway, startUpstream, type TestGateway, type Upstream } from '../helpers.js';

export { getJson, httpRequest } from '../helpers.js';

/** Reads a whole request body (test upstreams only). */
export function readAll(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** An upstream that answers with JSON describing the request, body included. */
export function echoUpstream(name: string): Promise<Upstream> {
  return startUpstream(name, (request, response) => {
    void readAll(request).then((body) => {
      sendJson(response, 200, {
        upstream: name,
        method: request.method,
        url: request.url,
        headers: request.headers,
        body,
      });
    });
  });
}

export function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
}

export interface Setup {
  readonly gateway: TestGateway;
  readonly upstreams: Record<string, Upstream>;
  readonly close: () => Promise<void>;
}

/**
 * A gateway with one route `/*` to upstream `main` (the first of `upstreams`) carrying
 * `policies`; every upstream is configured under its name.
 */
export async function setup(options: {
  upstreams: Record<string, Upstream>;
  policies: unknown[];
  extra?: Record<string, unknown>;
  upstreamSettings?: Record<string, unknown>;
}): Promise<Setup> {
  const names = Object.keys(options.upstreams);
  const gateway = await startTestGateway({
    upstreams: names.map((name) => ({
      name,
      targets: [{ url: options.upstreams[name]!.url }],
      ...options.upstreamSettings,
    })),
    routes: [
      {
        name: 'mediated',
        match: { paths: ['/*'] },
        upstream: names[0],
        policies: options.policies,
      },
    ],
    ...options.extra,
  });
  return {
    gateway,
    upstreams: options.upstreams,
    async close() {
      await gateway.close();
      await Promise.all(Object.values(options.upstreams).map((upstream) => upstream.close()));
    },
  };
}
