import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateApiKey } from '../src/policies/security/index.js';
import {
  getJson,
  startTestGateway,
  startUpstream,
  type TestGateway,
  type Upstream,
} from './helpers.js';

/** The security policies run through the real proxy: configuration, registry and chain together. */
describe('policies on routes, end to end', () => {
  let upstream: Upstream;
  let gateway: TestGateway;
  const key = generateApiKey({ id: 'shop-web' });

  before(async () => {
    upstream = await startUpstream('orders');
    gateway = await startTestGateway({
      upstreams: [{ name: 'orders', targets: [{ url: upstream.url }] }],
      routes: [
        {
          name: 'orders',
          match: { paths: ['/orders/*'] },
          upstream: 'orders',
          policies: [
            { type: 'cors', origins: ['https://shop.example.com'] },
            { type: 'ip-filter', deny: ['198.18.0.0/15'] },
            {
              type: 'api-key',
              queryParameter: 'apikey',
              keys: [{ id: key.id, hash: key.hash, application: 'shop-web' }],
            },
          ],
        },
        { name: 'open', match: { paths: ['/open/*'] }, upstream: 'orders' },
      ],
    });
  });

  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  test('an API key is required, checked, and not forwarded upstream', async () => {
    const missing = await getJson(`${gateway.url}/orders/1`);
    assert.equal(missing.status, 401);
    assert.equal((missing.body as { code: string }).code, 'EXO_GATEWAY_UNAUTHORIZED');
    const wrong = await getJson(`${gateway.url}/orders/1`, {
      headers: { apikey: `${key.id}.wrong` },
    });
    assert.equal(wrong.status, 401);
    const hitsBefore = upstream.hits.length;
    const right = await getJson(`${gateway.url}/orders/1`, { headers: { apikey: key.key } });
    assert.equal(right.status, 200);
    assert.equal(
      upstream.hits.length,
      hitsBefore + 1,
      'only the authenticated request reached the upstream',
    );
    assert.equal(
      (right.body as { headers: Record<string, string> }).headers.apikey,
      undefined,
      'the key is stripped',
    );
  });

  test('an API key given as a query parameter is checked and not forwarded upstream', async () => {
    const response = await getJson(
      `${gateway.url}/orders/2?apikey=${encodeURIComponent(key.key)}&page=3`,
    );
    assert.equal(response.status, 200);
    assert.equal((response.body as { url: string }).url, '/orders/2?page=3');
  });

  test('a CORS preflight is answered by the gateway before authentication', async () => {
    const preflight = await fetch(`${gateway.url}/orders/1`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'GET' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://shop.example.com');
  });

  test('routes without policies stay open', async () => {
    assert.equal((await getJson(`${gateway.url}/open/x`)).status, 200);
  });

  test('an unknown policy type is rejected with the known types, and the running config keeps serving', async () => {
    const response = await fetch(`${gateway.adminUrl}/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        upstreams: [{ name: 'orders', targets: [{ url: upstream.url }] }],
        routes: [
          {
            name: 'x',
            match: { paths: ['/x/*'] },
            upstream: 'orders',
            policies: [{ type: 'magic' }],
          },
        ],
      }),
    });
    assert.equal(response.status, 422);
    const body = (await response.json()) as { details: { path: string; errors: string[] }[] };
    const detail = body.details.find((d) => d.path.startsWith('/routes/0/policies/0'));
    assert.ok(detail, JSON.stringify(body));
    assert.match(detail.errors.join(' '), /api-key/);
    assert.equal((await getJson(`${gateway.url}/open/x`)).status, 200);
  });
});
