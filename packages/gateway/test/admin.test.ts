import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ensureToken, silentLogger } from '@exosphere/common';
import { startGateway } from '../src/index.js';
import { getJson, simpleConfig, startTestGateway, startUpstream } from './helpers.js';

test('admin API: GET/PUT config, invalid PUT → 422 with paths and nothing changed', async () => {
  const upstream = await startUpstream('u');
  const gateway = await startTestGateway(simpleConfig([upstream.url]));
  try {
    const config = await getJson(`${gateway.adminUrl}/config`);
    assert.equal(config.body.routes[0].name, 'all');
    const bad = await getJson(`${gateway.adminUrl}/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ routes: [{ name: 'x', match: { paths: ['/a'] }, upstream: 'nope' }] }),
    });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.code, 'EXO_GATEWAY_CONFIG_INVALID');
    assert.equal(bad.body.details[0].path, '/routes/0/upstream');
    assert.equal((await getJson(`${gateway.url}/x`)).status, 200);

    const next = simpleConfig([upstream.url], {}, [
      { name: 'only-v2', match: { paths: ['/v2/*'] }, upstream: 'backend' },
    ]);
    const put = await getJson(`${gateway.adminUrl}/config`, {
      method: 'PUT',
      body: JSON.stringify(next),
    });
    assert.equal(put.status, 200);
    assert.equal((await getJson(`${gateway.url}/x`)).status, 404);
    assert.equal((await getJson(`${gateway.url}/v2/x`)).status, 200);
    // Both faces of the model agree: the file now holds the PUT configuration.
    assert.match(await readFile(gateway.configPath, 'utf8'), /only-v2/);
    const routes = await getJson(`${gateway.adminUrl}/routes`);
    assert.deepEqual(
      (routes.body as Array<{ name: string }>).map((r) => r.name),
      ['only-v2'],
    );
    const upstreams = await getJson(`${gateway.adminUrl}/upstreams`);
    assert.equal(upstreams.body[0].targets[0].healthy, true);
    assert.equal((await getJson(`${gateway.adminUrl}/health`)).status, 200);
    const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    assert.match(metrics, /exo_gateway_requests_total\{route="only-v2",status="200"\} 1/);
    assert.match(metrics, /exo_gateway_request_duration_seconds_bucket/);
  } finally {
    await gateway.close();
    await upstream.close();
  }
});

test('admin API on a non-loopback address requires the cluster token', async () => {
  const home = await mkdtemp(join(tmpdir(), 'exo-gateway-admin-'));
  const gateway = await startGateway({ home, adminHost: '0.0.0.0', logger: silentLogger() });
  try {
    const port = new URL(gateway.adminUrl).port;
    const url = `http://127.0.0.1:${port}`;
    assert.equal((await getJson(`${url}/config`)).status, 401);
    const { token } = await ensureToken(home);
    const authorized = await getJson(`${url}/config`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(authorized.status, 200);
    assert.deepEqual(authorized.body.routes, []);
  } finally {
    await gateway.close();
    await rm(home, { recursive: true, force: true });
  }
});

test('access log lines carry route, status, latency, target and trace id', async () => {
  const upstream = await startUpstream('u');
  const logDirectory = await mkdtemp(join(tmpdir(), 'exo-gateway-log-'));
  const accessLogPath = join(logDirectory, 'access.log');
  const gateway = await startTestGateway(simpleConfig([upstream.url]), { accessLogPath });
  try {
    await getJson(`${gateway.url}/logged?q=1`, {
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    });
  } finally {
    await gateway.close();
    await upstream.close();
  }
  const line = JSON.parse((await readFile(accessLogPath, 'utf8')).trim().split('\n')[0]!);
  assert.equal(line.route, 'all');
  assert.equal(line.status, 200);
  assert.equal(line.path, '/logged');
  assert.equal(line.upstreamTarget, upstream.url);
  assert.equal(line.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.ok(line.latencyMs >= 0 && line.upstreamLatencyMs >= 0);
  await rm(logDirectory, { recursive: true, force: true });
});
