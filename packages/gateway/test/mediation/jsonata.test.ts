import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConfig } from '../../src/index.js';
import { startUpstream } from '../helpers.js';
import { echoUpstream, getJson, sendJson, setup } from './helpers.js';

describe('jsonata body mapping', () => {
  it('maps the request body and the response body', async () => {
    const upstream = await echoUpstream('main');
    const { gateway, close } = await setup({
      upstreams: { main: upstream },
      policies: [
        {
          type: 'jsonata',
          expression:
            '{"customer": name, "total": $sum(lines.(price * quantity)), "via": $query.channel}',
        },
        {
          type: 'jsonata',
          phase: 'response',
          expression: '{"forwarded": $eval(body), "status": $status, "method": method}',
        },
      ],
    });
    try {
      const result = await getJson(`${gateway.url}/orders?channel=web`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Ada',
          lines: [
            { price: 2, quantity: 3 },
            { price: 10, quantity: 1 },
          ],
        }),
      });
      assert.equal(result.status, 200);
      assert.deepEqual(result.body, {
        forwarded: { customer: 'Ada', total: 16, via: 'web' },
        status: 200,
        method: 'POST',
      });
    } finally {
      await close();
    }
  });

  it('reports an expression that does not compile with its path, and changes nothing', () => {
    const result = validateConfig({
      upstreams: [{ name: 'main', targets: [{ url: 'http://127.0.0.1:9' }] }],
      routes: [
        {
          name: 'r',
          upstream: 'main',
          match: { paths: ['/*'] },
          policies: [
            { type: 'set-headers', headers: { a: 'b' } },
            { type: 'jsonata', expression: '{"a": ' },
          ],
        },
      ],
    });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.errors.length, 1);
    assert.equal(result.errors[0]!.path, '/routes/0/policies/1/expression');
    assert.match(result.errors[0]!.errors[0]!, /invalid JSONata/);
  });

  it('answers a clear error when evaluation fails or runs away, and 400 for a non-JSON body', async () => {
    const upstream = await echoUpstream('main');
    const failing = await setup({
      upstreams: { main: upstream },
      policies: [{ type: 'jsonata', expression: '$error("no customer")' }],
    });
    const runaway = await setup({
      upstreams: { main: await echoUpstream('main') },
      policies: [
        {
          type: 'jsonata',
          expression: '($loop := function($n) { $loop($n + 1) }; $loop(0))',
          depthMax: 50,
        },
      ],
    });
    try {
      const result = await getJson(`${failing.gateway.url}/`, { method: 'POST', body: '{}' });
      assert.equal(result.status, 500);
      assert.equal(result.body.code, 'EXO_GATEWAY_MAPPING_FAILED');
      assert.match(result.body.message, /no customer/);
      const notJson = await getJson(`${failing.gateway.url}/`, { method: 'POST', body: 'hello' });
      assert.equal(notJson.status, 400);
      assert.equal(notJson.body.code, 'EXO_GATEWAY_INVALID_REQUEST_BODY');
      const loop = await getJson(`${runaway.gateway.url}/`, { method: 'POST', body: '{}' });
      assert.equal(loop.status, 500);
      assert.equal(loop.body.code, 'EXO_GATEWAY_MAPPING_FAILED');
      assert.equal(upstream.hits.length, 0);
    } finally {
      await failing.close();
      await runaway.close();
    }
  });

  it('maps an upstream answer that is not JSON to a 502', async () => {
    const upstream = await startUpstream('main', (_request, response) => response.end('plain'));
    const json = await startUpstream('json', (_request, response) =>
      sendJson(response, 200, { a: 1 }),
    );
    const { gateway, close } = await setup({
      upstreams: { main: upstream, json },
      policies: [{ type: 'jsonata', phase: 'response', expression: 'a' }],
    });
    try {
      const result = await getJson(`${gateway.url}/`);
      assert.equal(result.status, 502);
      assert.equal(result.body.code, 'EXO_GATEWAY_INVALID_UPSTREAM_BODY');
    } finally {
      await close();
    }
  });
});
