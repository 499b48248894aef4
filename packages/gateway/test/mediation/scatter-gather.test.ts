import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startUpstream } from '../helpers.js';
import { getJson, readAll, sendJson, setup } from './helpers.js';

async function branches(): Promise<Record<string, Awaited<ReturnType<typeof startUpstream>>>> {
  return {
    main: await startUpstream('main', (_request, response) =>
      sendJson(response, 200, { from: 'main' }),
    ),
    prices: await startUpstream('prices', (request, response) => {
      void readAll(request).then((body) =>
        sendJson(response, 200, { price: 9, saw: `${request.method} ${request.url} ${body}` }),
      );
    }),
    stock: await startUpstream('stock', (_request, response) =>
      sendJson(response, 200, { stock: 4 }),
    ),
    // Never answers: its branch times out.
    slow: await startUpstream('slow', () => undefined),
    failing: await startUpstream('failing', (_request, response) =>
      sendJson(response, 500, { oops: true }),
    ),
  };
}

describe('scatter-gather', () => {
  it('aggregates parallel answers into an array or an object keyed by upstream', async () => {
    const upstreams = await branches();
    const { gateway, close } = await setup({
      upstreams,
      policies: [],
      upstreamSettings: { retries: { count: 0 } },
    });
    try {
      await gateway.writeConfig({
        upstreams: Object.entries(upstreams).map(([name, upstream]) => ({
          name,
          targets: [{ url: upstream.url }],
          retries: { count: 0 },
        })),
        routes: [
          {
            name: 'array',
            match: { paths: ['/array/*'] },
            upstream: 'main',
            policies: [{ type: 'scatter-gather', upstreams: ['prices', 'stock'] }],
          },
          {
            name: 'object',
            match: { paths: ['/object/*'] },
            upstream: 'main',
            policies: [
              { type: 'scatter-gather', upstreams: ['prices', 'stock'], aggregate: 'object' },
            ],
          },
          {
            name: 'partial',
            match: { paths: ['/partial/*'] },
            upstream: 'main',
            policies: [
              {
                type: 'scatter-gather',
                upstreams: ['prices', 'slow', 'failing'],
                timeoutMs: 150,
                onPartialFailure: 'include',
                aggregate: 'object',
              },
            ],
          },
          {
            name: 'omit',
            match: { paths: ['/omit/*'] },
            upstream: 'main',
            policies: [
              {
                type: 'scatter-gather',
                upstreams: ['slow', 'stock', 'failing'],
                timeoutMs: 150,
                onPartialFailure: 'omit',
              },
            ],
          },
          {
            name: 'strict',
            match: { paths: ['/strict/*'] },
            upstream: 'main',
            policies: [
              { type: 'scatter-gather', upstreams: ['stock', 'slow', 'failing'], timeoutMs: 150 },
            ],
          },
        ],
      });
      assert.equal((await gateway.reload()).ok, true);
      const array = await getJson(`${gateway.url}/array/items?x=1`, { method: 'POST', body: 'q' });
      assert.equal(array.status, 200);
      assert.deepEqual(array.body, [{ price: 9, saw: 'POST /array/items?x=1 q' }, { stock: 4 }]);
      const object = await getJson(`${gateway.url}/object/items`);
      assert.deepEqual(object.body, {
        prices: { price: 9, saw: 'GET /object/items ' },
        stock: { stock: 4 },
      });
      const started = Date.now();
      const partial = await getJson(`${gateway.url}/partial/x`);
      assert.ok(Date.now() - started < 5000, 'the slow branch is cut at its timeout');
      assert.equal(partial.status, 200);
      assert.equal(partial.body.prices.price, 9);
      assert.equal(partial.body.slow.error.code, 'EXO_GATEWAY_UPSTREAM_TIMEOUT');
      assert.equal(partial.body.failing.error.code, 'EXO_GATEWAY_BAD_GATEWAY');
      const omit = await getJson(`${gateway.url}/omit/x`);
      assert.deepEqual(omit.body, [{ stock: 4 }]);
      const strict = await getJson(`${gateway.url}/strict/x`);
      assert.equal(strict.status, 502);
      assert.equal(strict.body.code, 'EXO_GATEWAY_SCATTER_GATHER_FAILED');
      assert.match(strict.body.message, /2 of 3 branches failed/);
      assert.equal(upstreams.main!.hits.length, 0);
    } finally {
      await close();
    }
  });
});
