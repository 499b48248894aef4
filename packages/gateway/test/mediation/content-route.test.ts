import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConfig } from '../../src/index.js';
import { echoUpstream, getJson, setup } from './helpers.js';

describe('content-based routing', () => {
  it('routes a JSON body by a JSON path to one of two upstreams, with a default', async () => {
    const { gateway, close, upstreams } = await setup({
      upstreams: {
        main: await echoUpstream('main'),
        books: await echoUpstream('books'),
        music: await echoUpstream('music'),
      },
      policies: [
        {
          type: 'content-route',
          path: '$.order.type',
          cases: { book: 'books', record: 'music' },
          default: 'main',
        },
      ],
    });
    try {
      const post = (body: unknown): Promise<{ status: number; body: { upstream: string } }> =>
        getJson(`${gateway.url}/orders`, { method: 'POST', body: JSON.stringify(body) });
      assert.equal((await post({ order: { type: 'book' } })).body.upstream, 'books');
      assert.equal((await post({ order: { type: 'record' } })).body.upstream, 'music');
      assert.equal((await post({ order: { type: 'toy' } })).body.upstream, 'main');
      assert.equal((await post({ other: 1 })).body.upstream, 'main');
      // The body reaches the chosen upstream unchanged.
      const seen = await getJson(`${gateway.url}/orders`, {
        method: 'POST',
        body: '{"order":{"type":"book","id":3}}',
      });
      assert.equal(seen.body.body, '{"order":{"type":"book","id":3}}');
      const invalid = await getJson(`${gateway.url}/orders`, { method: 'POST', body: '{' });
      assert.equal(invalid.status, 400);
      assert.equal(invalid.body.code, 'EXO_GATEWAY_INVALID_REQUEST_BODY');
      assert.equal(upstreams.books!.hits.length, 2);
    } finally {
      await close();
    }
  });

  it('routes an XML body by XPath: child path, descendant and attribute', async () => {
    const { gateway, close } = await setup({
      upstreams: {
        main: await echoUpstream('main'),
        books: await echoUpstream('books'),
        music: await echoUpstream('music'),
      },
      policies: [
        { type: 'content-route', path: '//type', cases: { book: 'books' } },
        { type: 'content-route', path: '/order/@region', cases: { eu: 'music' } },
      ],
    });
    try {
      const post = async (body: string): Promise<string> =>
        (await getJson(`${gateway.url}/`, { method: 'POST', body })).body.upstream as string;
      assert.equal(await post('<order><meta><type>book</type></meta></order>'), 'books');
      assert.equal(await post('<order region="eu"><type>book</type></order>'), 'music');
      assert.equal(await post('<order><type>toy</type></order>'), 'main');
      const invalid = await getJson(`${gateway.url}/`, { method: 'POST', body: '<order>' });
      assert.equal(invalid.status, 400);
    } finally {
      await close();
    }
  });

  it('reports unknown upstreams and bad paths with their paths', () => {
    const result = validateConfig({
      upstreams: [{ name: 'main', targets: [{ url: 'http://127.0.0.1:9' }] }],
      routes: [
        {
          name: 'r',
          upstream: 'main',
          policies: [
            { type: 'content-route', path: '$.type', cases: { a: 'nowhere' } },
            { type: 'content-route', path: 'type', cases: { a: 'main' } },
          ],
          match: { paths: ['/*'] },
        },
      ],
    });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(result.errors.map((error) => error.path).sort(), [
      '/routes/0/policies/0/cases/a',
      '/routes/0/policies/1/path',
    ]);
  });
});
