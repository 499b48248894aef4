import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from './processes.js';

export interface NginxProxy {
  /** proxy_pass to the origin with upstream keep-alive. */
  readonly proxyUrl: string;
  /** The same behind the equivalent of the gateway's api-key + rate-limit policies. */
  readonly authProxyUrl: string;
  /** The nginx master's process id (its workers are its children). */
  readonly pid: number;
  readonly stop: () => Promise<void>;
}

export interface NginxOrigin {
  readonly url: string;
  readonly pid: number;
  readonly stop: () => Promise<void>;
}

/**
 * nginx as the proxy, with `worker_processes auto` (Debian's default: one worker per core)
 * unless told otherwise, in front of `originUrl`: a plain proxy_pass with upstream keep-alive,
 * and one behind the equivalent of the gateway's api-key + rate-limit policies: a `map` of the
 * `apikey` header to a client name (401 for an unknown key; the header is not forwarded) and a
 * `limit_req` zone keyed by that client at a rate never reached.
 */
export async function startNginxProxy(options: {
  originUrl: string;
  apiKey?: string;
  workerProcesses?: number | 'auto';
}): Promise<NginxProxy> {
  const proxyPort = await freePort();
  const authPort = await freePort();
  // API keys are base64url after an id: no quote or backslash can reach the configuration.
  const apiKey = options.apiKey ?? 'none';
  const origin = new URL(options.originUrl).host;
  const handle = await startNginx({
    workerProcesses: options.workerProcesses ?? 'auto',
    http: `
  upstream origin { server ${origin}; keepalive 256; }
  # An API key (~50 bytes) is longer than the default map bucket holds.
  map_hash_bucket_size 128;
  map $http_apikey $api_client { default ""; "${apiKey}" "bench"; }
  limit_req_zone $api_client zone=per_client:1m rate=1000000r/s;
  server {
    listen 127.0.0.1:${proxyPort};
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
  server {
    listen 127.0.0.1:${authPort};
    location / {
      if ($api_client = "") { return 401; }
      limit_req zone=per_client burst=1000000 nodelay;
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header apikey "";
    }
  }`,
    probeUrl: `http://127.0.0.1:${proxyPort}/`,
  });
  return {
    proxyUrl: `http://127.0.0.1:${proxyPort}`,
    authProxyUrl: `http://127.0.0.1:${authPort}`,
    pid: handle.pid,
    stop: handle.stop,
  };
}

/** nginx as a static origin (one worker, a 1 KiB answer): the cheapest origin there is. */
export async function startNginxOrigin(): Promise<NginxOrigin> {
  const port = await freePort();
  const body = 'x'.repeat(1024);
  const handle = await startNginx({
    workerProcesses: 1,
    http: `
  server {
    listen 127.0.0.1:${port};
    location / { default_type text/plain; return 200 "${body}"; }
  }`,
    probeUrl: `http://127.0.0.1:${port}/`,
  });
  return { url: `http://127.0.0.1:${port}`, pid: handle.pid, stop: handle.stop };
}

async function startNginx(options: {
  workerProcesses: number | 'auto';
  http: string;
  probeUrl: string;
}): Promise<{ readonly pid: number; readonly stop: () => Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'exo-bench-nginx-'));
  await writeFile(
    join(directory, 'nginx.conf'),
    `daemon off;
worker_processes ${options.workerProcesses};
pid ${directory}/nginx.pid;
error_log ${directory}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${directory}/body;
  proxy_temp_path ${directory}/proxy;
  fastcgi_temp_path ${directory}/fastcgi;
  uwsgi_temp_path ${directory}/uwsgi;
  scgi_temp_path ${directory}/scgi;
  keepalive_requests 1000000;
${options.http}
}
`,
  );
  const nginx: ChildProcess = spawn(
    'nginx',
    ['-p', directory, '-c', join(directory, 'nginx.conf')],
    { stdio: 'ignore' },
  );
  const exited = (): boolean => nginx.exitCode !== null || nginx.signalCode !== null;
  const stop = async (): Promise<void> => {
    await stopChild(nginx);
    await rm(directory, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    if ((await statusOf(options.probeUrl)) !== 0) return { pid: nginx.pid!, stop };
    if (exited()) {
      const log = await readFile(join(directory, 'error.log'), 'utf8').catch(() => '');
      await rm(directory, { recursive: true, force: true });
      throw new Error(`nginx exited at start: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error('nginx did not answer within 5 s');
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The status of a GET, or 0 when the server cannot be reached. */
export function statusOf(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const outgoing = request(url, { headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.on('error', () => resolve(0));
    outgoing.end();
  });
}
