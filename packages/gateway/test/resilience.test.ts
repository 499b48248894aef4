import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { eventually, getJson, simpleConfig, startTestGateway, startUpstream } from './helpers.js';

/** A port with nothing listening (bound, then closed). */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

test('a GET is retried on another target after a connection error; a POST is not', async () => {
  const live = await startUpstream('live');
  const dead = await deadUrl();
  const gateway = await startTestGateway(simpleConfig([dead, live.url], { retries: { count: 1 } }));
  try {
    for (let i = 0; i < 6; i++) assert.equal((await getJson(`${gateway.url}/x`)).status, 200);
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await getJson(`${gateway.url}/x`, { method: 'POST', body: 'payload' })).status,
      );
    assert.ok(statuses.includes(502), `some POSTs hit the dead target: ${statuses.join(',')}`);
    assert.ok(statuses.includes(200));
  } finally {
    await gateway.close();
    await live.close();
  }
});

test('a GET is retried after a 503 from the upstream', async () => {
  const failing = await startUpstream('failing', (_request, response) => {
    response.writeHead(503).end('down');
  });
  const live = await startUpstream('live');
  const gateway = await startTestGateway(
    simpleConfig([failing.url, live.url], { retries: { count: 1 } }),
  );
  try {
    for (let i = 0; i < 4; i++)
      assert.equal((await getJson(`${gateway.url}/x`)).body.upstream, 'live');
    assert.equal(failing.hits.length, 2);
  } finally {
    await gateway.close();
    await failing.close();
    await live.close();
  }
});

test('an upstream that does not answer in time gives 504; a dead one 502', async () => {
  const hanging = await startUpstream('hanging', () => undefined);
  const dead = await deadUrl();
  const gateway = await startTestGateway({
    upstreams: [
      { name: 'slow', targets: [{ url: hanging.url }], timeouts: { requestMs: 200 } },
      { name: 'dead', targets: [{ url: dead }], retries: { count: 0 } },
    ],
    routes: [
      { name: 'slow', match: { paths: ['/slow/*'] }, upstream: 'slow' },
      { name: 'dead', match: { paths: ['/dead/*'] }, upstream: 'dead' },
    ],
  });
  try {
    const slow = await getJson(`${gateway.url}/slow/x`);
    assert.equal(slow.status, 504);
    assert.equal(slow.body.code, 'EXO_GATEWAY_UPSTREAM_TIMEOUT');
    const down = await getJson(`${gateway.url}/dead/x`);
    assert.equal(down.status, 502);
    assert.equal(down.body.code, 'EXO_GATEWAY_BAD_GATEWAY');
  } finally {
    await gateway.close();
    await hanging.close();
  }
});

test('passive health ejects a failing target, then 503 when none is left', async () => {
  const dead = await deadUrl();
  const live = await startUpstream('live');
  const gateway = await startTestGateway(
    simpleConfig([dead, live.url], {
      retries: { count: 0 },
      healthCheck: { passive: { failuresMax: 2, ejectMs: 60_000 } },
    }),
  );
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await getJson(`${gateway.url}/x`)).status);
    assert.equal(statuses.filter((s) => s === 502).length, 2, statuses.join(','));
    assert.deepEqual(statuses.slice(-5), [200, 200, 200, 200, 200]);
    const upstreams = await getJson(`${gateway.adminUrl}/upstreams`);
    assert.equal(upstreams.body[0].targets[0].ejected, true);
    await live.close();
    for (let i = 0; i < 2; i++) await getJson(`${gateway.url}/x`);
    const none = await getJson(`${gateway.url}/x`);
    assert.equal(none.status, 503);
    assert.equal(none.body.code, 'EXO_GATEWAY_UPSTREAM_UNAVAILABLE');
  } finally {
    await gateway.close();
  }
});

test('active health checks take a target out and bring it back', async () => {
  let healthy = true;
  const flaky = await startUpstream('flaky', (request, response) => {
    if (request.url === '/health') response.writeHead(healthy ? 200 : 500).end();
    else response.end(JSON.stringify({ upstream: 'flaky' }));
  });
  const steady = await startUpstream('steady');
  const gateway = await startTestGateway(
    simpleConfig([flaky.url, steady.url], {
      healthCheck: {
        active: {
          path: '/health',
          intervalMs: 100,
          timeoutMs: 200,
          healthyThreshold: 1,
          unhealthyThreshold: 1,
        },
      },
    }),
  );
  const targetsHealthy = async (): Promise<boolean[]> =>
    (
      (await getJson(`${gateway.adminUrl}/upstreams`)).body[0].targets as Array<{
        healthy: boolean;
      }>
    ).map((t) => t.healthy);
  try {
    healthy = false;
    await eventually(async () => (await targetsHealthy())[0] === false);
    for (let i = 0; i < 4; i++)
      assert.equal((await getJson(`${gateway.url}/x`)).body.upstream, 'steady');
    healthy = true;
    await eventually(async () => (await targetsHealthy())[0] === true);
  } finally {
    await gateway.close();
    await flaky.close();
    await steady.close();
  }
});

test('the circuit breaker opens after failures and closes after a successful probe', async () => {
  let failing = true;
  const upstream = await startUpstream('u', (_request, response) => {
    if (failing) response.writeHead(500).end('boom');
    else response.end(JSON.stringify({ upstream: 'u' }));
  });
  const gateway = await startTestGateway(
    simpleConfig([upstream.url], {
      circuitBreaker: { failureRatio: 0.5, minimumRequests: 4, windowMs: 10_000, openMs: 300 },
    }),
  );
  try {
    for (let i = 0; i < 4; i++) assert.equal((await getJson(`${gateway.url}/x`)).status, 500);
    const open = await getJson(`${gateway.url}/x`);
    assert.equal(open.status, 503);
    assert.equal(open.body.code, 'EXO_GATEWAY_CIRCUIT_OPEN');
    const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    assert.match(metrics, /exo_gateway_circuit_state\{upstream="backend"\} 1/);
    failing = false;
    await eventually(async () => (await getJson(`${gateway.url}/x`)).status === 200);
    assert.equal((await getJson(`${gateway.url}/x`)).status, 200);
  } finally {
    await gateway.close();
    await upstream.close();
  }
});
