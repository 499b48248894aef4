// Gateway benchmark (issue 5 point 11): (a) plain proxying through the gateway and through
// nginx proxy_pass to the same upstream, side by side with wrk; (c) applying a configuration of
// 10,000 routes under load: time to apply, failed requests, resident memory.
// See README.md for how to run it and the latest figures.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { silentLogger } from '@exosphere/common';
import { startGateway } from '@exosphere/gateway';

export interface WrkResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

export interface ProxyBenchResult {
  readonly gateway: WrkResult;
  readonly nginx: WrkResult;
  /** gateway requests/s ÷ nginx requests/s (target ≥ 0.6). */
  readonly ratio: number;
}

export interface ReloadBenchResult {
  readonly routes: number;
  readonly applyMs: number;
  /** Round trip of the admin PUT (parse, validate, build, swap, write the file). */
  readonly putMs: number;
  readonly requestsDuringReload: number;
  readonly failedDuringReload: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

/** Why the bench cannot run here, or undefined when wrk and nginx are installed. */
export function missingTools(): string | undefined {
  const missing = ['wrk', 'nginx'].filter(
    (tool) =>
      spawnSync('sh', ['-c', `command -v ${tool} || test -x /usr/sbin/${tool}`]).status !== 0,
  );
  return missing.length
    ? `${missing.join(' and ')} not installed (apt-get install -y wrk nginx-light; scripts/setup.sh does it)`
    : undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface NginxHandle {
  readonly originUrl: string;
  readonly proxyUrl: string;
  stop(): Promise<void>;
}

/**
 * One nginx (one worker, like the single-threaded gateway) with two servers: the origin, a
 * static 1 KiB answer, and a proxy_pass to that origin with upstream keep-alive.
 */
export async function startNginx(): Promise<NginxHandle> {
  const directory = await mkdtemp(join(tmpdir(), 'exo-bench-nginx-'));
  const originPort = await freePort();
  const proxyPort = await freePort();
  const body = 'x'.repeat(1024);
  await writeFile(
    join(directory, 'nginx.conf'),
    `daemon off;
worker_processes 1;
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
  upstream origin { server 127.0.0.1:${originPort}; keepalive 256; }
  server {
    listen 127.0.0.1:${originPort};
    location / { default_type text/plain; return 200 "${body}"; }
  }
  server {
    listen 127.0.0.1:${proxyPort};
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
  );
  const nginx: ChildProcess = spawn(
    'nginx',
    ['-p', directory, '-c', join(directory, 'nginx.conf')],
    { stdio: 'ignore' },
  );
  const originUrl = `http://127.0.0.1:${originPort}`;
  for (let i = 0; i < 100; i++) {
    if (await reachable(`${originUrl}/`)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    originUrl,
    proxyUrl: `http://127.0.0.1:${proxyPort}`,
    async stop() {
      nginx.kill('SIGTERM');
      await new Promise((resolve) => nginx.once('exit', resolve));
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function reachable(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const outgoing = request(url, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    outgoing.on('error', () => resolve(false));
    outgoing.end();
  });
}

/** Runs wrk and parses Requests/sec and the 50 % / 99 % latencies of `--latency`. */
export function runWrk(options: {
  url: string;
  durationSeconds: number;
  connections: number;
  threads: number;
}): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const wrk = spawn('wrk', [
      `-t${options.threads}`,
      `-c${options.connections}`,
      `-d${options.durationSeconds}s`,
      '--latency',
      options.url,
    ]);
    let output = '';
    wrk.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    wrk.on('error', reject);
    wrk.on('exit', () => {
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
      if (!rps) return reject(new Error(`cannot parse wrk output:\n${output}`));
      const errors = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
      const socketErrors =
        /Socket errors:.*?connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
      resolve({
        requestsPerSecond: Number(rps[1]),
        p50Ms: latencyMs(output, '50%'),
        p99Ms: latencyMs(output, '99%'),
        errors:
          Number(errors?.[1] ?? 0) +
          (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
      });
    });
  });
}

function latencyMs(output: string, percentile: string): number {
  const match = new RegExp(`${percentile}\\s+([\\d.]+)(us|ms|s)`).exec(output);
  if (!match) return NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

/** (a) the gateway and nginx proxying to the same nginx origin, measured one after the other. */
export async function runProxyBench(options: {
  durationSeconds: number;
  connections: number;
}): Promise<ProxyBenchResult> {
  const nginx = await startNginx();
  const home = await mkdtemp(join(tmpdir(), 'exo-bench-gateway-'));
  const configPath = join(home, 'gateway.yaml');
  await writeFile(
    configPath,
    JSON.stringify({
      upstreams: [{ name: 'origin', targets: [{ url: nginx.originUrl }] }],
      routes: [{ name: 'all', match: { paths: ['/*'] }, upstream: 'origin' }],
    }),
  );
  const gateway = await startGateway({ home, configPath, logger: silentLogger() });
  try {
    const wrk = {
      durationSeconds: options.durationSeconds,
      connections: options.connections,
      threads: 1,
    };
    // Warm both paths (JIT, keep-alive pools) before measuring.
    await runWrk({ ...wrk, url: `${gateway.url}/`, durationSeconds: 1 });
    await runWrk({ ...wrk, url: `${nginx.proxyUrl}/`, durationSeconds: 1 });
    const gatewayResult = await runWrk({ ...wrk, url: `${gateway.url}/` });
    const nginxResult = await runWrk({ ...wrk, url: `${nginx.proxyUrl}/` });
    return {
      gateway: gatewayResult,
      nginx: nginxResult,
      ratio: gatewayResult.requestsPerSecond / nginxResult.requestsPerSecond,
    };
  } finally {
    await gateway.close();
    await nginx.stop();
    await rm(home, { recursive: true, force: true });
  }
}

/** (c) PUT a configuration of `routes` routes through the admin API while requests keep flowing. */
export async function runReloadBench(options: { routes: number }): Promise<ReloadBenchResult> {
  const nginx = await startNginx();
  const home = await mkdtemp(join(tmpdir(), 'exo-bench-reload-'));
  const small = {
    upstreams: [{ name: 'origin', targets: [{ url: nginx.originUrl }] }],
    routes: [{ name: 'probe', match: { paths: ['/probe'] }, upstream: 'origin' }],
  };
  const configPath = join(home, 'gateway.yaml');
  await writeFile(configPath, JSON.stringify(small));
  const gateway = await startGateway({ home, configPath, logger: silentLogger() });
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  let stop = false;
  let requests = 0;
  let failed = 0;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const outgoing = request(`${gateway.url}/probe`, { agent }, (response) => {
        response.resume();
        response.on('end', () => {
          requests++;
          if (response.statusCode !== 200) failed++;
          resolve();
        });
      });
      outgoing.on('error', () => {
        requests++;
        failed++;
        resolve();
      });
      outgoing.end();
    });
  const workers = Array.from({ length: 8 }, async () => {
    while (!stop) await one();
  });
  try {
    const big = {
      upstreams: [
        ...small.upstreams,
        ...Array.from({ length: 100 }, (_, i) => ({
          name: `u${i}`,
          targets: [{ url: nginx.originUrl }],
        })),
      ],
      routes: [
        ...small.routes,
        ...Array.from({ length: options.routes - 1 }, (_, i) => ({
          name: `route-${i}`,
          match: {
            hosts: i % 4 === 0 ? [`tenant${i}.example.com`] : undefined,
            paths: i % 3 === 0 ? [`/api/v1/service-${i}/items/{id}`] : [`/api/v1/service-${i}/*`],
            methods: i % 2 === 0 ? ['GET', 'POST'] : undefined,
          },
          rewrite: i % 3 === 0 ? { path: '/items/{id}' } : undefined,
          upstream: `u${i % 100}`,
        })),
      ],
    };
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = requests;
    const started = performance.now();
    const response = await fetch(`${gateway.adminUrl}/config`, {
      method: 'PUT',
      body: JSON.stringify(big),
    });
    const answer = (await response.json()) as { applyMs: number; routes: number };
    const putMs = performance.now() - started;
    if (response.status !== 200 || answer.routes !== options.routes)
      throw new Error(`PUT failed: ${JSON.stringify(answer)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const during = requests - before;
    global.gc?.();
    const memory = process.memoryUsage();
    return {
      routes: options.routes,
      applyMs: answer.applyMs,
      putMs,
      requestsDuringReload: during,
      failedDuringReload: failed,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
    };
  } finally {
    stop = true;
    await Promise.all(workers);
    agent.destroy();
    await gateway.close();
    await nginx.stop();
    await rm(home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '50' },
      routes: { type: 'string', default: '10000' },
    },
  });
  const reason = missingTools();
  if (reason) {
    console.error(`gateway bench: ${reason}`);
    process.exit(2);
  }
  const proxy = await runProxyBench({
    durationSeconds: Number(values.duration),
    connections: Number(values.connections),
  });
  const format = (r: WrkResult): string =>
    `${Math.round(r.requestsPerSecond).toLocaleString('en')} req/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  errors ${r.errors}`;
  console.log(
    `(a) plain proxy, 1 KiB, ${values.connections} connections, ${values.duration} s each`,
  );
  console.log(`  gateway: ${format(proxy.gateway)}`);
  console.log(`  nginx:   ${format(proxy.nginx)}`);
  console.log(`  ratio:   ${proxy.ratio.toFixed(2)} × nginx (target ≥ 0.6)`);
  const reload = await runReloadBench({ routes: Number(values.routes) });
  console.log(`(c) reload to ${reload.routes.toLocaleString('en')} routes under load`);
  console.log(
    `  apply ${reload.applyMs.toFixed(0)} ms (admin PUT round trip ${reload.putMs.toFixed(0)} ms)`,
  );
  console.log(
    `  requests during the reload ${reload.requestsDuringReload}, failed ${reload.failedDuringReload} (target 0)`,
  );
  console.log(
    `  resident memory ${(reload.rssBytes / 1048576).toFixed(1)} MiB, heap ${(reload.heapUsedBytes / 1048576).toFixed(1)} MiB`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
