// Gateway benchmark (issue 5 point 11): (a) plain proxying through the gateway, through nginx
// proxy_pass and through a bare undici proxy, all to the same origin process, side by side with
// wrk; (b) the gateway and nginx with API-key authentication and a rate limit (high enough never
// to refuse, so the check itself is measured); (c) applying a configuration of 10,000 routes
// under load: time to apply, failed requests, resident memory.
// See README.md for the setup, how to run it and the latest figures.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { silentLogger } from '@exosphere/common';
import { defaultGatewayWorkers, generateApiKey, startGateway } from '@exosphere/gateway';
import { startNginxOrigin, startNginxProxy, statusOf } from './nginx.js';
import { machineCpuMs, processTreeCpuMs } from './cpu.js';
import { startScript, type BenchProcess } from './processes.js';
import { median, missingTools, runWrk, type WrkResult } from './wrk.js';

export { missingTools, type WrkResult };

/** The rows of (a) and (b), each the median round. */
export const rowNames = [
  'nginxPlain',
  'gatewayPlain',
  'gatewayPlainAllCores',
  'undiciPlain',
  'rawPlain',
  'nginxAuth',
  'gatewayAuth',
  'gatewayAuthAllCores',
  'gatewayPlainAnalyticsOff',
  'gatewayAuthAnalyticsOff',
  'gatewayPlainNodeHttp',
  'gatewayAuthNodeHttp',
] as const;
export type RowName = (typeof rowNames)[number];

export interface ProxyBenchResult {
  readonly origin: OriginKind;
  /** Worker processes of the `gateway` rows (default 1, `exo gateway`'s default). */
  readonly workers: number;
  /** Worker processes of the `AllCores` rows (`--workers auto`: one per core). */
  readonly allCores: number;
  readonly rows: Readonly<Partial<Record<RowName, WrkResult>>>;
  /** Gateway requests/s ÷ nginx requests/s: (a) plain and (b) API key + rate limit. */
  readonly ratios: { readonly plain: number; readonly auth: number; readonly undici: number };
  /** Calls the measured gateway's analytics recorded and dropped (queue full). */
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

/**
 * The origin every proxy forwards to, in its own process: `node` (a node:http server, like the
 * services a gateway fronts; the default) or `nginx` (a static answer from one nginx worker,
 * the cheapest origin possible, which leaves the most CPU to the proxies).
 */
export type OriginKind = 'node' | 'nginx';

async function startOrigin(
  kind: OriginKind,
): Promise<{ url: string; readonly pid: number; readonly stop: () => Promise<void> }> {
  if (kind === 'nginx') return startNginxOrigin();
  const origin = await startScript<{ url: string }>({ script: './origin-server.js', args: [] });
  return { url: origin.info.url, pid: origin.pid, stop: origin.stop };
}

interface GatewayUrls {
  readonly url: string;
  readonly adminUrl: string;
}

/**
 * (a) and (b): the origin, nginx, the gateway and the bare undici proxy each in their own
 * processes, measured one after the other in rounds (the order rotates every round so drift in
 * the machine's load spreads evenly); each figure is the median round.
 */
export async function runProxyBench(options: {
  durationSeconds: number;
  connections: number;
  rounds: number;
  origin?: OriginKind;
  /** Also measure a second gateway with `analytics.enabled: false`. */
  analyticsOff?: boolean;
  /**
   * Worker processes of the gateway (default 1, `exo gateway`'s default); the `AllCores` rows
   * run `--workers auto` beside it when that is another count.
   */
  workers?: number;
  /** Also measure the gateway with `--data-path node` (node:http + undici), for comparison. */
  nodeHttp?: boolean;
  /** Only these rows (default: every row the other options ask for). */
  only?: readonly RowName[];
}): Promise<ProxyBenchResult> {
  const originKind = options.origin ?? 'node';
  const workers = options.workers ?? 1;
  const allCores = defaultGatewayWorkers();
  const wanted = (...rows: RowName[]): boolean =>
    options.only === undefined || rows.some((row) => options.only!.includes(row));
  const key = generateApiKey({ id: 'bench' });
  const home = await mkdtemp(join(tmpdir(), 'exo-bench-gateway-'));
  const started: Array<{ readonly stop: () => Promise<void> }> = [];
  try {
    const origin = await startOrigin(originKind);
    started.push(origin);
    const nginx = wanted('nginxPlain', 'nginxAuth')
      ? await startNginxProxy({ originUrl: origin.url, apiKey: key.key })
      : undefined;
    if (nginx) started.push(nginx);
    const config = (analyticsEnabled: boolean): string =>
      JSON.stringify({
        upstreams: [{ name: 'origin', targets: [{ url: origin.url }] }],
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
    const startGatewayProcess = async (
      name: string,
      analyticsEnabled: boolean,
      processes: number,
      dataPath: 'fast' | 'node' = 'fast',
    ): Promise<BenchProcess<GatewayUrls>> => {
      const gatewayHome = join(home, name);
      const configPath = join(home, `${name}.json`);
      await writeFile(configPath, config(analyticsEnabled));
      const gateway = await startScript<GatewayUrls>({
        script: './gateway-server.js',
        args: [
          '--home',
          gatewayHome,
          '--config',
          configPath,
          '--workers',
          String(processes),
          '--data-path',
          dataPath,
        ],
      });
      started.push(gateway);
      return gateway;
    };
    const gateway = wanted('gatewayPlain', 'gatewayAuth')
      ? await startGatewayProcess('gateway', true, workers)
      : undefined;
    const everyCore =
      allCores !== workers && wanted('gatewayPlainAllCores', 'gatewayAuthAllCores')
        ? await startGatewayProcess('gateway-all-cores', true, allCores)
        : undefined;
    const quiet =
      options.analyticsOff && wanted('gatewayPlainAnalyticsOff', 'gatewayAuthAnalyticsOff')
        ? await startGatewayProcess('gateway-analytics-off', false, workers)
        : undefined;
    const nodeHttp =
      options.nodeHttp && wanted('gatewayPlainNodeHttp', 'gatewayAuthNodeHttp')
        ? await startGatewayProcess('gateway-node-http', true, workers, 'node')
        : undefined;
    const startReference = async (script: string): Promise<BenchProcess<{ url: string }>> => {
      const reference = await startScript<{ url: string }>({
        script,
        args: ['--origin', origin.url],
      });
      started.push(reference);
      return reference;
    };
    const undici = wanted('undiciPlain') ? await startReference('./undici-proxy.js') : undefined;
    const raw = wanted('rawPlain') ? await startReference('./raw-proxy.js') : undefined;

    const withKey = { apikey: key.key };
    const scenarios: Scenario[] = [];
    const add = (
      row: RowName,
      proxy: { readonly pid: number; readonly url: string } | undefined,
      path: string,
      headers?: Record<string, string>,
    ): void => {
      if (proxy && wanted(row))
        scenarios.push({ row, pid: proxy.pid, url: `${proxy.url}${path}`, headers });
    };
    const urlOf = (
      process: BenchProcess<{ url: string }> | undefined,
    ): { pid: number; url: string } | undefined =>
      process && { pid: process.pid, url: process.info.url };
    add('nginxPlain', nginx && { pid: nginx.pid, url: nginx.proxyUrl }, '/');
    add('gatewayPlain', urlOf(gateway), '/');
    add('gatewayPlainAllCores', urlOf(everyCore), '/');
    add('gatewayAuthAllCores', urlOf(everyCore), '/secured/', withKey);
    add('undiciPlain', urlOf(undici), '/');
    add('rawPlain', urlOf(raw), '/');
    add('nginxAuth', nginx && { pid: nginx.pid, url: nginx.authProxyUrl }, '/', withKey);
    add('gatewayAuth', urlOf(gateway), '/secured/', withKey);
    add('gatewayPlainNodeHttp', urlOf(nodeHttp), '/');
    add('gatewayAuthNodeHttp', urlOf(nodeHttp), '/secured/', withKey);
    add('gatewayPlainAnalyticsOff', urlOf(quiet), '/');
    add('gatewayAuthAnalyticsOff', urlOf(quiet), '/secured/', withKey);
    // Both guards work: no key → 401, the key → 200.
    for (const scenario of scenarios.filter((each) => each.headers)) {
      const without = await statusOf(scenario.url);
      const withIt = await statusOf(scenario.url, withKey);
      if (without !== 401 || withIt !== 200)
        throw new Error(`${scenario.url}: ${without} without the key, ${withIt} with it`);
    }
    const wrk = {
      durationSeconds: options.durationSeconds,
      connections: options.connections,
      threads: 1,
    };
    // Warm every path (JIT, keep-alive pools) before measuring.
    for (const scenario of scenarios)
      await runWrk({ ...wrk, url: scenario.url, headers: scenario.headers, durationSeconds: 1 });
    const runs = new Map<RowName, WrkResult[]>();
    for (let round = 0; round < options.rounds; round++) {
      const shift = round % scenarios.length;
      for (const scenario of [...scenarios.slice(shift), ...scenarios.slice(0, shift)]) {
        const result = await measure(scenario, wrk, origin.pid);
        runs.set(scenario.row, [...(runs.get(scenario.row) ?? []), result]);
      }
    }
    const rows: Partial<Record<RowName, WrkResult>> = {};
    for (const [row, results] of runs) rows[row] = median(results);
    const rate = (row: RowName): number => rows[row]?.requestsPerSecond ?? NaN;
    const analyticsUrl = (gateway ?? everyCore)?.info.adminUrl;
    const status = analyticsUrl
      ? ((await (await fetch(`${analyticsUrl}/analytics/status`)).json()) as {
          recorded: number;
          dropped: { queue: number };
        })
      : { recorded: 0, dropped: { queue: 0 } };
    return {
      origin: originKind,
      workers,
      allCores,
      rows,
      ratios: {
        plain: rate('gatewayPlain') / rate('nginxPlain'),
        auth: rate('gatewayAuth') / rate('nginxAuth'),
        undici: rate('undiciPlain') / rate('nginxPlain'),
      },
      analyticsRecorded: status.recorded,
      analyticsDropped: status.dropped.queue,
    };
  } finally {
    for (const process of started.reverse()) await process.stop();
    await rm(home, { recursive: true, force: true });
  }
}

interface Scenario {
  readonly row: RowName;
  /** The proxy's process (its children, nginx's or the gateway's workers, count with it). */
  readonly pid: number;
  readonly url: string;
  readonly headers?: Record<string, string> | undefined;
}

/** One wrk run against `scenario`, with the CPU its proxy, the origin and the machine used. */
async function measure(
  scenario: Scenario,
  wrk: { durationSeconds: number; connections: number; threads: number },
  originPid: number,
): Promise<WrkResult> {
  const proxyBeforeMs = processTreeCpuMs(scenario.pid);
  const originBeforeMs = processTreeCpuMs(originPid);
  const machineBefore = machineCpuMs();
  const result = await runWrk({ ...wrk, url: scenario.url, headers: scenario.headers });
  const machine = machineCpuMs();
  const perRequestUs = (ms: number): number => (ms * 1000) / result.requests;
  return {
    ...result,
    cpuUsPerRequest: perRequestUs(processTreeCpuMs(scenario.pid) - proxyBeforeMs),
    originCpuUsPerRequest: perRequestUs(processTreeCpuMs(originPid) - originBeforeMs),
    machineCpuUsPerRequest: perRequestUs(machine.busyMs - machineBefore.busyMs),
    machineBusy:
      (machine.busyMs - machineBefore.busyMs) / (machine.totalMs - machineBefore.totalMs),
  };
}

/** (c) PUT a configuration of `routes` routes through the admin API while requests keep flowing. */
export async function runReloadBench(options: { routes: number }): Promise<ReloadBenchResult> {
  const origin = await startOrigin('node');
  const home = await mkdtemp(join(tmpdir(), 'exo-bench-reload-'));
  const small = {
    upstreams: [{ name: 'origin', targets: [{ url: origin.url }] }],
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
          targets: [{ url: origin.url }],
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
    await origin.stop();
    await rm(home, { recursive: true, force: true });
  }
}

/** What each row measures, as printed. */
const rowLabels: Record<RowName, string> = {
  nginxPlain: '(a) nginx, worker_processes auto',
  gatewayPlain: '(a) gateway, fast path, N workers',
  gatewayPlainAllCores: '(a) gateway, --workers auto',
  undiciPlain: '(a) bare undici proxy',
  rawPlain: '(a) minimal raw net proxy',
  nginxAuth: '(b) nginx, map key + limit_req',
  gatewayAuth: '(b) gateway, key + limit, N workers',
  gatewayAuthAllCores: '(b) gateway, key + limit, --workers auto',
  gatewayPlainNodeHttp: '(a) gateway, node:http, N workers',
  gatewayAuthNodeHttp: '(b) gateway, node:http, N workers',
  gatewayPlainAnalyticsOff: '(a) gateway, analytics off',
  gatewayAuthAnalyticsOff: '(b) gateway, analytics off',
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '50' },
      rounds: { type: 'string', default: '3' },
      routes: { type: 'string', default: '10000' },
      origin: { type: 'string', default: 'node' },
      'analytics-off': { type: 'boolean', default: false },
      workers: { type: 'string' },
      only: { type: 'string' },
      'skip-reload': { type: 'boolean', default: false },
    },
  });
  const reason = missingTools();
  if (reason) {
    console.error(`gateway bench: ${reason}`);
    process.exit(2);
  }
  if (values.origin !== 'node' && values.origin !== 'nginx')
    throw new Error('--origin is node or nginx');
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !(rowNames as readonly string[]).includes(name));
  if (unknown?.length)
    throw new Error(`--only takes rows among ${rowNames.join(', ')}; not ${unknown.join(', ')}`);
  const proxy = await runProxyBench({
    durationSeconds: Number(values.duration),
    connections: Number(values.connections),
    rounds: Number(values.rounds),
    origin: values.origin,
    analyticsOff: values['analytics-off'],
    nodeHttp: true,
    ...(values.workers !== undefined ? { workers: Number(values.workers) } : {}),
    ...(only ? { only: only as RowName[] } : {}),
  });
  const { rows, ratios } = proxy;
  console.log(
    `origin: ${proxy.origin}; 1 KiB answers, ${values.connections} connections, ${values.duration} s each, median of ${values.rounds} rounds; N = ${proxy.workers}, auto = ${proxy.allCores}`,
  );
  console.log(
    `${'row'.padEnd(38)}${'req/s'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'× nginx'.padStart(9)}${'CPU µs/req'.padStart(12)}${'origin'.padStart(8)}${'machine'.padStart(9)}${'busy'.padStart(6)}  errors`,
  );
  for (const row of rowNames) {
    const result = rows[row];
    if (!result) continue;
    const nginx = row.includes('Plain') ? rows.nginxPlain : rows.nginxAuth;
    const ratio = nginx ? (result.requestsPerSecond / nginx.requestsPerSecond).toFixed(2) : '';
    console.log(
      `${rowLabels[row].padEnd(38)}${Math.round(result.requestsPerSecond).toString().padStart(8)}${result.p50Ms.toFixed(2).padStart(9)}${result.p99Ms.toFixed(2).padStart(9)}${ratio.padStart(9)}${result.cpuUsPerRequest.toFixed(1).padStart(12)}${result.originCpuUsPerRequest.toFixed(1).padStart(8)}${result.machineCpuUsPerRequest.toFixed(1).padStart(9)}${(result.machineBusy * 100).toFixed(0).padStart(5)}%  ${result.errors}`,
    );
  }
  console.log(
    "CPU µs/req: the proxy's processes (nginx master + workers, gateway primary + workers), the origin, and the whole machine (wrk and other work included); busy: the machine's CPU use",
  );
  console.log(
    `ratios to nginx: (a) ${ratios.plain.toFixed(2)}, (b) ${ratios.auth.toFixed(2)} (target ≥ 0.6); bare undici ${ratios.undici.toFixed(2)}`,
  );
  console.log(
    `analytics recorded ${proxy.analyticsRecorded.toLocaleString('en')} calls, dropped ${proxy.analyticsDropped}`,
  );
  if (values['skip-reload']) return;
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
