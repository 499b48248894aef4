import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startUpstream } from '../helpers.js';
import { echoUpstream, getJson, readAll, sendJson, setup } from './helpers.js';

describe('enrichment', () => {
  it('calls another upstream and merges its JSON answer at a path', async () => {
    const seen: string[] = [];
    const customers = await startUpstream('customers', (request, response) => {
      void readAll(request).then((body) => {
        seen.push(`${request.method} ${request.url} ${body}`);
        sendJson(response, 200, { name: 'Ada', tier: 'gold' });
      });
    });
    const { gateway, close } = await setup({
      upstreams: { main: await echoUpstream('main'), customers },
      policies: [
        {
          type: 'enrich',
          upstream: 'customers',
          path: '/customers/{{$.order.customerId}}?source={{query.source}}',
          target: '$.order.customer',
        },
        {
          type: 'enrich',
          phase: 'response',
          upstream: 'customers',
          method: 'POST',
          path: '/lookup',
          body: '{"for": {{$.upstream}}}',
          target: '$.lookup',
        },
      ],
    });
    try {
      const result = await getJson(`${gateway.url}/orders?source=app`, {
        method: 'POST',
        body: JSON.stringify({ order: { customerId: 'c 1', customer: { id: 'c 1' } } }),
      });
      assert.equal(result.status, 200);
      assert.deepEqual(JSON.parse(result.body.body), {
        order: { customerId: 'c 1', customer: { id: 'c 1', name: 'Ada', tier: 'gold' } },
      });
      assert.deepEqual(result.body.lookup, { name: 'Ada', tier: 'gold' });
      assert.deepEqual(seen, ['GET /customers/c%201?source=app ', 'POST /lookup {"for": "main"}']);
    } finally {
      await close();
    }
  });

  it('fails with a stable code, or continues, when the call fails or times out', async () => {
    const failing = await startUpstream('failing', (_request, response) =>
      sendJson(response, 500, {}),
    );
    const slow = await startUpstream('slow', () => undefined);
    const { gateway, close, upstreams } = await setup({
      upstreams: { main: await echoUpstream('main'), failing, slow },
      upstreamSettings: { retries: { count: 0 } },
      policies: [],
    });
    const routes = [
      {
        name: 'fail',
        match: { paths: ['/fail'] },
        upstream: 'main',
        policies: [{ type: 'enrich', upstream: 'failing' }],
      },
      {
        name: 'timeout',
        match: { paths: ['/timeout'] },
        upstream: 'main',
        policies: [{ type: 'enrich', upstream: 'slow', timeoutMs: 100 }],
      },
      {
        name: 'continue',
        match: { paths: ['/continue'] },
        upstream: 'main',
        policies: [{ type: 'enrich', upstream: 'slow', timeoutMs: 100, onFailure: 'continue' }],
      },
    ];
    try {
      await gateway.writeConfig({
        upstreams: Object.entries(upstreams).map(([name, upstream]) => ({
          name,
          targets: [{ url: upstream.url }],
          retries: { count: 0 },
        })),
        routes,
      });
      const applied = await gateway.reload();
      assert.equal(applied.ok, true);
      const failed = await getJson(`${gateway.url}/fail`, { method: 'POST', body: '{}' });
      assert.equal(failed.status, 502);
      assert.equal(failed.body.code, 'EXO_GATEWAY_ENRICHMENT_FAILED');
      assert.match(failed.body.message, /answered 500/);
      const timedOut = await getJson(`${gateway.url}/timeout`, { method: 'POST', body: '{}' });
      assert.equal(timedOut.status, 502);
      assert.equal(timedOut.body.code, 'EXO_GATEWAY_ENRICHMENT_FAILED');
      assert.match(timedOut.body.message, /within 100 ms/);
      const continued = await getJson(`${gateway.url}/continue`, {
        method: 'POST',
        body: '{"kept":true}',
      });
      assert.equal(continued.status, 200);
      assert.equal(continued.body.body, '{"kept":true}');
      assert.equal(upstreams.main!.hits.length, 1);
    } finally {
      await close();
    }
  });
});
