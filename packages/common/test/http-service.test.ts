import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CommonErrors,
  MetricsRegistry,
  Router,
  createHttpService,
  listen,
  silentLogger,
} from '../src/index.js';

async function serve(options: { requireTokenForUsers: boolean; token?: string }) {
  const router = new Router();
  router.get('/v1/items/:id', ({ params }) => ({ body: { id: params.id } }));
  router.post('/v1/items', async (context) => ({ status: 201, body: await context.json() }));
  router.get('/v1/fail', () => {
    throw new Error('boom');
  });
  router.get('/v1/conflict', () => {
    throw CommonErrors.create('EXO_VALIDATION_FAILED', 'nope', {
      details: [{ path: '/x', errors: ['bad'] }],
    });
  });
  router.get('/v1/apps/*path', ({ params }) => ({ body: { path: params.path } }));
  router.post('/internal/thing', () => ({ body: { ok: true } }), 'internal');
  const metrics = new MetricsRegistry();
  const server = createHttpService({
    router,
    logger: silentLogger(),
    metrics,
    token: options.token ?? 'secret-token',
    requireTokenForUsers: options.requireTokenForUsers,
    bodyBytesMax: 1024,
  });
  return listen(server, '127.0.0.1', 0);
}

test('JSON routes, params, wildcard paths, JSON errors with stable codes', async () => {
  const server = await serve({ requireTokenForUsers: false });
  try {
    assert.deepEqual(await (await fetch(`${server.url}/v1/items/a%20b`)).json(), { id: 'a b' });
    assert.deepEqual(await (await fetch(`${server.url}/v1/apps/prod/web/db`)).json(), {
      path: 'prod/web/db',
    });
    const created = await fetch(`${server.url}/v1/items`, { method: 'POST', body: '{"a":1}' });
    assert.equal(created.status, 201);
    const bad = await fetch(`${server.url}/v1/items`, { method: 'POST', body: '{"a":' });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { code: string }).code, 'EXO_BAD_REQUEST');
    const big = await fetch(`${server.url}/v1/items`, {
      method: 'POST',
      body: JSON.stringify({ a: 'x'.repeat(5000) }),
    });
    assert.equal(big.status, 413);
    const crash = await fetch(`${server.url}/v1/fail`);
    assert.equal(crash.status, 500);
    const body = (await crash.json()) as { code: string; message: string };
    assert.equal(body.code, 'EXO_INTERNAL');
    assert.ok(!JSON.stringify(body).includes('boom'), 'no internal detail leaks');
    const invalid = await fetch(`${server.url}/v1/conflict`);
    assert.equal(invalid.status, 422);
    assert.deepEqual(((await invalid.json()) as { details: unknown }).details, [
      { path: '/x', errors: ['bad'] },
    ]);
    assert.equal((await fetch(`${server.url}/nothing`)).status, 404);
    assert.equal((await fetch(`${server.url}/v1/items/1`, { method: 'DELETE' })).status, 405);
    assert.equal(
      ((await (await fetch(`${server.url}/health`)).json()) as { status: string }).status,
      'ok',
    );
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(
      metrics,
      /http_requests_total\{method="GET",route="\/v1\/items\/:id",status="200"\} 1/,
    );
  } finally {
    await server.close();
  }
});

test('bearer tokens: internal routes always, user routes when the server is not loopback-only', async () => {
  const open = await serve({ requireTokenForUsers: false });
  const locked = await serve({ requireTokenForUsers: true });
  try {
    assert.equal((await fetch(`${open.url}/v1/items/1`)).status, 200);
    assert.equal((await fetch(`${open.url}/internal/thing`, { method: 'POST' })).status, 401);
    assert.equal(
      (
        await fetch(`${open.url}/internal/thing`, {
          method: 'POST',
          headers: { authorization: 'Bearer secret-token' },
        })
      ).status,
      200,
    );
    assert.equal((await fetch(`${locked.url}/v1/items/1`)).status, 401);
    assert.equal(
      (await fetch(`${locked.url}/v1/items/1`, { headers: { authorization: 'Bearer wrong' } }))
        .status,
      401,
    );
    assert.equal(
      (
        await fetch(`${locked.url}/v1/items/1`, {
          headers: { authorization: 'Bearer secret-token' },
        })
      ).status,
      200,
    );
    assert.equal((await fetch(`${locked.url}/health`)).status, 200, 'health stays public');
  } finally {
    await open.close();
    await locked.close();
  }
});
