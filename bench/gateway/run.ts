// Gateway benchmark (issue 5 point 11): (a) plain proxying through the gateway and through
// nginx proxy_pass to the same upstream, side by side with wrk; (b) the same with API-key
// authentication and a rate limit (high enough never to refuse, so the check itself is
// measured), and the cost of analytics (on vs off); (c) applying a configuration of 10,000
// routes under load: time to apply, failed requests, resident memory.
// See README.md for how to run it and the latest figures.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { silentLogger } from '@exosphere/common';
import { generateApiKey, startGateway } from '@exosphere/gateway';

export interface WrkResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

export interface ScenarioResult {
  readonly gateway: WrkResult;
  readonly nginx: WrkResult;
  /** gateway requests/s ÷ nginx requests/s (target ≥ 0.6). */
  readonly ratio: number;
}

/** (a) plain proxying, with the gateway's analytics on (its default), and (b). */
export interface ProxyBenchResult extends ScenarioResult {
  /** (b) API key checked + rate limit counted on every request, analytics on. */
  readonly auth: ScenarioResult;
  /** The gateway with `analytics.enabled: false`. */
  readonly analyticsOff: { readonly plain: WrkResult; readonly auth: WrkResult };
  /** Share of requests/s lost to analytics: 1 − on ÷ off. */
  readonly analyticsCost: { readonly plain: number; readonly auth: number };
  /** Calls analytics recorded and dropped (queue full) over the whole run. */
  readonly analyticsRecorded: number;
  readonly analyticsDropped: number;
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
  /** proxy_pass behind the API-key check and limit_req. */
  readonly authProxyUrl: string;
  stop(): Promise<void>;
}

/**
 * One nginx (one worker, like the single-threaded gateway) with three servers: the origin, a
 * static 1 KiB answer; a proxy_pass to that origin with upstream keep-alive; and the same
 * proxy_pass behind the equivalent of the gateway's api-key + rate-limit policies: a `map` of
 * the `apikey` header to a client name (401 for an unknown key; the header is not forwarded)
 * and a `limit_req` zone keyed by that client at a rate never reached.
 */
export async function startNginx(options: { apiKey?: string } = {}): Promise<NginxHandle> {
  const directory = await mkdtemp(join(tmpdir(), 'exo-bench-nginx-'));
  const originPort = await freePort();
  const proxyPort = await freePort();
  const authPort = await freePort();
  // API keys are base64url after an id: no quote or backslash can reach the configuration.
  const apiKey = options.apiKey ?? 'none';
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
  # An API key (~50 bytes) is longer than the default map bucket holds.
  map_hash_bucket_size 128;
  map $http_apikey $api_client { default ""; "${apiKey}" "bench"; }
  limit_req_zone $api_client zone=per_client:1m rate=1000000r/s;
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
  const exited = (): boolean => nginx.exitCode !== null || nginx.signalCode !== null;
  for (let i = 0; i < 100; i++) {
    if (await reachable(`${originUrl}/`)) break;
    if (exited()) {
      const log = await readFile(join(directory, 'error.log'), 'utf8').catch(() => '');
      await rm(directory, { recursive: true, force: true });
      throw new Error(`nginx exited at start: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    originUrl,
    proxyUrl: `http://127.0.0.1:${proxyPort}`,
    authProxyUrl: `http://127.0.0.1:${authPort}`,
    async stop() {
      if (!exited()) {
        const exit = new Promise((resolve) => nginx.once('exit', resolve));
        nginx.kill('SIGTERM');
        await exit;
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function reachable(url: string, headers: Record<string, string> = {}): Promise<boolean> {
  return statusOf(url, headers).then((status) => status === 200);
}

function statusOf(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const outgoing = request(url, { headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.on('error', () => resolve(0));
    outgoing.end();
  });
}

/** Runs wrk and parses Requests/sec and the 50 % / 99 % latencies of `--latency`. */
export function runWrk(options: {
  url: string;
  durationSeconds: number;
  connections: number;
  threads: number;
  headers?: Readonly<Record<string, string>>;
}): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const headers = Object.entries(options.headers ?? {}).flatMap(([name, value]) => [
      '-H',
      `${name}: ${value}`,
    ]);
    const wrk = spawn('wrk', [
      `-t${options.threads}`,
      `-c${options.connections}`,
      `-d${options.durationSeconds}s`,
      '--latency',
      ...headers,
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

/** The run with the median requests/s (the upper middle one for an even count). */
function median(results: readonly WrkResult[]): WrkResult {
  const sorted = [...results].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (!middle) throw new Error('no wrk run to take the median of');
  return middle;
}

function latencyMs(output: string, percentile: string): number {
  const match = new RegExp(`${percentile}\\s+([\\d.]+)(us|ms|s)`).exec(output);
  if (!match) return NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

/**
 * (a) and (b): the gateway and nginx proxying to the same nginx origin, measured one after the
 * other, plainly and behind an API key + rate limit; the gateway also with analytics off.
 */
export async function runProxyBench(options: {
  durationSeconds: number;
  connections: number;
  /** Rounds of every scenario; the figures are the median round. */
  rounds: number;
}): Promise<ProxyBenchResult> {
  const key = generateApiKey({ id: 'bench' });
  const nginx = await startNginx({ apiKey: key.key });
  const home = await mkdtemp(join(tmpdir(), 'exo-bench-gateway-'));
  const configPath = join(home, 'gateway.yaml');
  const config = (analyticsEnabled: boolean): string =>
    JSON.stringify({
      upstreams: [{ name: 'origin', targets: [{ url: nginx.originUrl }] }],
      // Far above what one gateway can serve: the limit is checked and counted, never reached.
      tiers: { Bench: { requestsPerSecond: 1_000_000_000 } },
      routes: [
        {
          name: 'secured',
          match: { paths: ['/secured/*'] },
          rewrite: { stripPrefix: true },
          upstream: 'origin',
          policies: [
            { type: 'api-key', keys: [{ id: key.id, hash: key.hash, application: 'bench' }] },
            { type: 'rate-limit', tier: 'Bench', per: 'application' },
          ],
        },
        { name: 'all', match: { paths: ['/*'] }, upstream: 'origin' },
      ],
      analytics: { enabled: analyticsEnabled },
    });
  await writeFile(configPath, config(true));
  const gateway = await startGateway({ home, configPath, logger: silentLogger() });
  const setAnalytics = async (enabled: boolean): Promise<void> => {
    const response = await fetch(`${gateway.adminUrl}/config`, {
      method: 'PUT',
      body: config(enabled),
    });
    if (response.status !== 200) throw new Error(`PUT /config: ${await response.text()}`);
  };
  try {
    const wrk = {
      durationSeconds: options.durationSeconds,
      connections: options.connections,
      threads: 1,
    };
    const withKey = { apikey: key.key };
    const urls = {
      gatewayPlain: `${gateway.url}/`,
      gatewayAuth: `${gateway.url}/secured/`,
      nginxPlain: `${nginx.proxyUrl}/`,
      nginxAuth: `${nginx.authProxyUrl}/`,
    };
    // Both guards work: no key → 401, the key → 200.
    for (const url of [urls.gatewayAuth, urls.nginxAuth]) {
      const [without, withIt] = [await statusOf(url), await statusOf(url, withKey)];
      if (without !== 401 || withIt !== 200)
        throw new Error(`${url}: ${without} without the key, ${withIt} with it`);
    }
    // Warm every path (JIT, keep-alive pools) before measuring.
    for (const [url, headers] of [
      [urls.gatewayPlain, {}],
      [urls.gatewayAuth, withKey],
      [urls.nginxPlain, {}],
      [urls.nginxAuth, withKey],
    ] as const)
      await runWrk({ ...wrk, url, headers, durationSeconds: 1 });
    // Rounds of every scenario, analytics on and off alternating which goes first, so that
    // drift in the machine's load spreads evenly; each figure is the median round.
    const runs = {
      nginxPlain: [] as WrkResult[],
      nginxAuth: [] as WrkResult[],
      plainOn: [] as WrkResult[],
      plainOff: [] as WrkResult[],
      authOn: [] as WrkResult[],
      authOff: [] as WrkResult[],
    };
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? [true, false] : [false, true];
      runs.nginxPlain.push(await runWrk({ ...wrk, url: urls.nginxPlain }));
      for (const analytics of order) {
        await setAnalytics(analytics);
        (analytics ? runs.plainOn : runs.plainOff).push(
          await runWrk({ ...wrk, url: urls.gatewayPlain }),
        );
      }
      runs.nginxAuth.push(await runWrk({ ...wrk, url: urls.nginxAuth, headers: withKey }));
      for (const analytics of order.reverse()) {
        await setAnalytics(analytics);
        (analytics ? runs.authOn : runs.authOff).push(
          await runWrk({ ...wrk, url: urls.gatewayAuth, headers: withKey }),
        );
      }
    }
    const nginxPlain = median(runs.nginxPlain);
    const nginxAuth = median(runs.nginxAuth);
    const gatewayPlain = median(runs.plainOn);
    const gatewayPlainOff = median(runs.plainOff);
    const gatewayAuth = median(runs.authOn);
    const gatewayAuthOff = median(runs.authOff);
    const status = (await (await fetch(`${gateway.adminUrl}/analytics/status`)).json()) as {
      recorded: number;
      dropped: { queue: number };
    };
    return {
      gateway: gatewayPlain,
      nginx: nginxPlain,
      ratio: gatewayPlain.requestsPerSecond / nginxPlain.requestsPerSecond,
      auth: {
        gateway: gatewayAuth,
        nginx: nginxAuth,
        ratio: gatewayAuth.requestsPerSecond / nginxAuth.requestsPerSecond,
      },
      analyticsOff: { plain: gatewayPlainOff, auth: gatewayAuthOff },
      analyticsCost: {
        plain: 1 - gatewayPlain.requestsPerSecond / gatewayPlainOff.requestsPerSecond,
        auth: 1 - gatewayAuth.requestsPerSecond / gatewayAuthOff.requestsPerSecond,
      },
      analyticsRecorded: status.recorded,
      analyticsDropped: status.dropped.queue,
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
      rounds: { type: 'string', default: '3' },
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
    rounds: Number(values.rounds),
  });
  const format = (r: WrkResult): string =>
    `${Math.round(r.requestsPerSecond).toLocaleString('en')} req/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  errors ${r.errors}`;
  console.log(
    `(a) plain proxy, 1 KiB, ${values.connections} connections, ${values.duration} s each, median of ${values.rounds} rounds`,
  );
  console.log(`  gateway: ${format(proxy.gateway)}`);
  console.log(`  nginx:   ${format(proxy.nginx)}`);
  console.log(`  ratio:   ${proxy.ratio.toFixed(2)} × nginx (target ≥ 0.6)`);
  console.log(`(b) API key + rate limit (never reached), same origin`);
  console.log(`  gateway: ${format(proxy.auth.gateway)}`);
  console.log(`  nginx:   ${format(proxy.auth.nginx)}`);
  console.log(`  ratio:   ${proxy.auth.ratio.toFixed(2)} × nginx (target ≥ 0.6)`);
  const percent = (share: number): string => `${(share * 100).toFixed(1)} %`;
  console.log(`analytics on (above) vs off`);
  console.log(
    `  plain off: ${format(proxy.analyticsOff.plain)}  cost ${percent(proxy.analyticsCost.plain)}`,
  );
  console.log(
    `  auth off:  ${format(proxy.analyticsOff.auth)}  cost ${percent(proxy.analyticsCost.auth)}`,
  );
  console.log(
    `  recorded ${proxy.analyticsRecorded.toLocaleString('en')} calls, dropped ${proxy.analyticsDropped}`,
  );
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
