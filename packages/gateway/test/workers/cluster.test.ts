import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  generateApiKey,
  startGatewayCluster,
  type RunningGatewayCluster,
} from '../../src/index.js';
import { eventually, startUpstream, type Upstream } from '../helpers.js';
import { inOneWindow } from '../throttling/fleet.js';

/** A GET on a new connection each time, so node:cluster spreads them over the workers. */
function getFresh(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { agent: false, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

async function getMany(
  url: string,
  count: number,
  headers: Record<string, string> = {},
  inFlight = 16,
): Promise<Array<{ status: number; body: string }>> {
  const answers: Array<{ status: number; body: string }> = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        next++;
        answers.push(await getFresh(url, headers));
      }
    }),
  );
  return answers;
}

/** Requests served per worker, from the admin worker's aggregated /metrics. */
async function servedPerWorker(adminUrl: string, route: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${adminUrl}/metrics`)).text();
  const served = new Map<string, number>();
  const pattern = new RegExp(
    `^exo_gateway_requests_total\\{worker="(\\d+)",route="${route}",[^}]*\\} (\\d+)`,
    'gm',
  );
  for (const match of text.matchAll(pattern))
    served.set(match[1]!, (served.get(match[1]!) ?? 0) + Number(match[2]));
  return served;
}

describe('gateway workers (node:cluster)', () => {
  let upstream: Upstream;
  let home: string;
  let configPath: string;
  let gateway: RunningGatewayCluster;
  const first = generateApiKey({ id: 'first' });
  const second = generateApiKey({ id: 'second' });
  const config = (extraRoutes: unknown[] = []): unknown => ({
    upstreams: [{ name: 'orders', targets: [{ url: upstream.url }] }],
    routes: [
      ...extraRoutes,
      {
        name: 'limited',
        match: { paths: ['/limited/*'] },
        upstream: 'orders',
        policies: [
          {
            type: 'api-key',
            keys: [
              { id: first.id, hash: first.hash, application: 'first' },
              { id: second.id, hash: second.hash, application: 'second' },
            ],
          },
          // Bronze: 1,000 per minute, per application.
          { type: 'rate-limit', tier: 'Bronze', per: 'application' },
        ],
      },
      { name: 'open', match: { paths: ['/open/*'] }, upstream: 'orders' },
    ],
    analytics: { drainIntervalMs: 50 },
  });

  before(async () => {
    upstream = await startUpstream('orders');
    home = await mkdtemp(join(tmpdir(), 'exo-gateway-cluster-'));
    configPath = join(home, 'gateway.yaml');
    await writeFile(configPath, JSON.stringify(config()));
    gateway = await startGatewayCluster({ home, configPath, workers: 2, quiet: true });
  });

  after(async () => {
    await gateway.close();
    await upstream.close();
    await rm(home, { recursive: true, force: true });
  });

  test('two workers sharing 1,000 per minute allow exactly 1,000 (within 1 %), never more', async () => {
    let attempt = 0;
    const answers = await inOneWindow(60_000, () => {
      // A retry (the first attempt crossed a minute) uses the other application's counter.
      const key = attempt++ === 0 ? first.key : second.key;
      return getMany(`${gateway.url}/limited/x`, 1100, { apikey: key }, 24);
    });
    const allowed = answers.filter((answer) => answer.status === 200).length;
    const limited = answers.filter((answer) => answer.status === 429).length;
    assert.equal(allowed + limited, 1100);
    assert.ok(allowed <= 1000 && allowed >= 990, `allowed ${allowed}`);
    const served = await servedPerWorker(gateway.adminUrl, 'limited');
    assert.equal(served.size, 2, 'both workers served');
    for (const count of served.values())
      assert.ok(count > 100, `served ${JSON.stringify([...served])}`);
  });

  test('a configuration PUT is served by every worker once acknowledged', async () => {
    const next = config([{ name: 'added', match: { paths: ['/added/*'] }, upstream: 'orders' }]);
    const put = await fetch(`${gateway.adminUrl}/config`, {
      method: 'PUT',
      body: JSON.stringify(next),
    });
    assert.equal(put.status, 200);
    const answers = await getMany(`${gateway.url}/added/x`, 40);
    assert.deepEqual(
      answers.map((answer) => answer.status),
      answers.map(() => 200),
    );
    const served = await servedPerWorker(gateway.adminUrl, 'added');
    assert.equal(served.size, 2, 'both workers served the new route');
  });

  test('a signing-key rotation is published by every worker once acknowledged', async () => {
    const rotated = await fetch(`${gateway.adminUrl}/oauth2/keys/rotate`, { method: 'POST' });
    assert.equal(rotated.status, 200);
    const { kid } = (await rotated.json()) as { kid: string };
    const answers = await getMany(`${gateway.url}/oauth2/jwks`, 20);
    for (const answer of answers) {
      assert.equal(answer.status, 200);
      assert.ok(answer.body.includes(kid), 'every worker publishes the new key');
    }
  });

  test('analytics sum every worker; /metrics labels each worker', async () => {
    await getMany(`${gateway.url}/open/x`, 60);
    const served = await servedPerWorker(gateway.adminUrl, 'open');
    assert.equal(served.size, 2);
    await eventually(async () => {
      const summary = (await (
        await fetch(`${gateway.adminUrl}/analytics/summary?window=1h&by=route`)
      ).json()) as { groups: Array<{ key: string; total: { count: number } }> };
      const open = summary.groups.find((group) => group.key === 'open');
      return open?.total.count === 60;
    });
  });

  test('a worker that dies is replaced; the others keep serving', async () => {
    const [victim] = gateway.workerPids().slice(-1);
    assert.ok(victim !== undefined);
    process.kill(victim, 'SIGKILL');
    await eventually(
      () => gateway.workerPids().length === 2 && !gateway.workerPids().includes(victim),
      15_000,
    );
    const answers = await getMany(`${gateway.url}/open/y`, 20);
    assert.ok(answers.every((answer) => answer.status === 200));
  });
});
