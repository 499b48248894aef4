import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { test } from 'node:test';
import { validateConfig } from '../src/index.js';
import { eventually, getJson, simpleConfig, startTestGateway, startUpstream } from './helpers.js';

test('validation reports every error with its path', () => {
  const result = validateConfig({
    upstreams: [{ name: 'u', targets: [{ url: 'ftp://x' }], loadBalancing: 'random' }],
    routes: [
      { name: 'a', match: { paths: ['/ok'] }, upstream: 'u' },
      { name: 'b', match: { paths: ['/ok', 'no-slash'] }, upstream: 'u', extra: 1 },
    ],
  });
  assert.equal(result.ok, false);
  const paths = result.ok ? [] : result.errors.map((error) => error.path);
  for (const path of [
    '/upstreams/0/targets/0/url',
    '/upstreams/0/loadBalancing',
    '/routes/1/match/paths/1',
    '/routes/1',
  ])
    assert.ok(paths.includes(path), `${path} in ${paths.join(' ')}`);
});

test('references, rewrite parameters and policy types are checked', () => {
  const result = validateConfig({
    upstreams: [{ name: 'u', targets: [{ url: 'http://127.0.0.1:1' }] }],
    routes: [
      {
        name: 'a',
        match: { paths: ['/users/{id}'] },
        rewrite: { path: '/v2/{user}' },
        upstream: 'missing',
      },
      {
        name: 'a',
        match: { paths: ['/x'] },
        upstream: 'u',
        policies: [{ type: 'no-such-policy' }],
      },
    ],
  });
  assert.equal(result.ok, false);
  const byPath = new Map(
    result.ok ? [] : result.errors.map((error) => [error.path, error.errors.join(' ')]),
  );
  assert.match(byPath.get('/routes/0/upstream') ?? '', /no upstream named 'missing'/);
  assert.match(byPath.get('/routes/0/match/paths/0') ?? '', /\{user\}/);
  assert.match(byPath.get('/routes/1/name') ?? '', /duplicate/);
  assert.match(
    byPath.get('/routes/1/policies/0/type') ?? '',
    /unknown policy type 'no-such-policy'; known types/,
  );
});

test('an invalid file is rejected with paths and the old configuration keeps serving; a valid change applies', async () => {
  const first = await startUpstream('first');
  const second = await startUpstream('second');
  const gateway = await startTestGateway(simpleConfig([first.url]));
  try {
    assert.equal((await getJson(`${gateway.url}/x`)).body.upstream, 'first');
    await gateway.writeConfig({
      upstreams: [{ name: 'backend', targets: [] }],
      routes: [{ name: 'r', match: { paths: ['bad'] }, upstream: 'backend' }],
    });
    const rejected = await gateway.reload();
    assert.equal(rejected.ok, false);
    const paths = rejected.ok ? [] : rejected.errors.map((error) => error.path);
    assert.ok(
      paths.includes('/routes/0/match/paths/0') && paths.includes('/upstreams/0/targets'),
      paths.join(' '),
    );
    assert.equal((await getJson(`${gateway.url}/x`)).body.upstream, 'first');
    await gateway.writeConfig(simpleConfig([second.url]));
    // No explicit reload: the watcher picks the change up.
    await eventually(async () => (await getJson(`${gateway.url}/x`)).body.upstream === 'second');
  } finally {
    await gateway.close();
    await first.close();
    await second.close();
  }
});

test('reload under load: no request fails while the configuration changes many times', async () => {
  const upstreams = await Promise.all([startUpstream('a'), startUpstream('b')]);
  const config = (round: number): Record<string, unknown> => ({
    upstreams: [
      { name: 'a', targets: [{ url: upstreams[0].url }] },
      { name: 'b', targets: [{ url: upstreams[1].url }], retries: { count: round % 3 } },
    ],
    routes: [
      ...Array.from({ length: 200 }, (_, i) => ({
        name: `r${round}-${i}`,
        match: { paths: [`/extra/${round}/${i}/*`] },
        upstream: 'a',
      })),
      { name: `main-${round}`, match: { paths: ['/api/*'] }, upstream: round % 2 ? 'a' : 'b' },
    ],
  });
  const gateway = await startTestGateway(config(0));
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  let stop = false;
  let ok = 0;
  const failures: string[] = [];
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const outgoing = request(`${gateway.url}/api/item`, { agent }, (response) => {
        response.resume();
        response.on('end', () => {
          if (response.statusCode === 200) ok++;
          else failures.push(String(response.statusCode));
          resolve();
        });
      });
      outgoing.on('error', (error) => {
        failures.push(error.message);
        resolve();
      });
      outgoing.end();
    });
  const workers = Array.from({ length: 8 }, async () => {
    while (!stop) await one();
  });
  try {
    for (let round = 1; round <= 30; round++) {
      await gateway.writeConfig(config(round));
      const result = await gateway.reload();
      assert.equal(result.ok, true);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  } finally {
    stop = true;
    await Promise.all(workers);
    agent.destroy();
    await gateway.close();
    await Promise.all(upstreams.map((u) => u.close()));
  }
  assert.deepEqual(failures, []);
  assert.ok(ok > 100, `${ok} requests completed`);
});
