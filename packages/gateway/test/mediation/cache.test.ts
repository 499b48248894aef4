import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startUpstream } from '../helpers.js';
import { getJson, setup } from './helpers.js';

describe('response cache', () => {
  it('misses, then hits with Age and X-Cache, and keys by path, query and vary headers', async () => {
    let count = 0;
    const upstream = await startUpstream('main', (request, response) => {
      count++;
      response.writeHead(200, { 'content-type': 'text/plain', age: '3' });
      response.end(`answer ${count} for ${request.url}`);
    });
    const { gateway, close } = await setup({
      upstreams: { main: upstream },
      policies: [{ type: 'cache', ttlSeconds: 60, varyHeaders: ['accept-language'] }],
    });
    try {
      const first = await fetch(`${gateway.url}/a?x=1`);
      assert.equal(first.headers.get('x-cache'), 'MISS');
      assert.equal(await first.text(), 'answer 1 for /a?x=1');
      const second = await fetch(`${gateway.url}/a?x=1`);
      assert.equal(second.headers.get('x-cache'), 'HIT');
      // The upstream's Age is kept and grows with the time stored (RFC 9111 §5.1).
      assert.ok(Number(second.headers.get('age')) >= 3);
      assert.equal(await second.text(), 'answer 1 for /a?x=1');
      assert.equal(await (await fetch(`${gateway.url}/a?x=2`)).text(), 'answer 2 for /a?x=2');
      const french = await fetch(`${gateway.url}/a?x=1`, { headers: { 'accept-language': 'fr' } });
      assert.equal(french.headers.get('x-cache'), 'MISS');
      assert.equal(await french.text(), 'answer 3 for /a?x=1');
      const post = await fetch(`${gateway.url}/a?x=1`, { method: 'POST', body: 'x' });
      assert.equal(post.headers.get('x-cache'), null);
      await post.text();
      assert.equal(count, 4);
    } finally {
      await close();
    }
  });

  it('honours no-store, private and max-age, and never stores errors', async () => {
    let count = 0;
    const upstream = await startUpstream('main', (request, response) => {
      count++;
      const control: Record<string, string> = {
        '/no-store': 'no-store',
        '/private': 'private, max-age=60',
        '/expired': 'max-age=0',
        '/short': 'max-age=1',
      };
      const status = request.url === '/error' ? 503 : 200;
      response.writeHead(
        status,
        control[request.url ?? ''] ? { 'cache-control': control[request.url ?? '']! } : {},
      );
      response.end(String(count));
    });
    const { gateway, close } = await setup({
      upstreams: { main: upstream },
      upstreamSettings: { retries: { count: 0 } },
      policies: [{ type: 'cache', ttlSeconds: 600 }],
    });
    try {
      for (const path of ['/no-store', '/private', '/expired', '/error']) {
        const before = count;
        await (await fetch(`${gateway.url}${path}`)).text();
        const again = await fetch(`${gateway.url}${path}`);
        await again.text();
        assert.equal(again.headers.get('x-cache'), 'MISS', path);
        assert.equal(count, before + 2, path);
      }
      await (await fetch(`${gateway.url}/short`)).text();
      const hit = await fetch(`${gateway.url}/short`);
      assert.equal(hit.headers.get('x-cache'), 'HIT');
      await hit.text();
    } finally {
      await close();
    }
  });

  it('evicts the least recently used entries when the byte limit is reached', async () => {
    const upstream = await startUpstream('main', (request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      // About 475 bytes each with key and headers: two fit in 1,200 bytes, three do not.
      response.end(Buffer.alloc(300, request.url!.charCodeAt(1)));
    });
    const { gateway, close } = await setup({
      upstreams: { main: upstream },
      policies: [{ type: 'cache', bytesMax: 1200 }],
    });
    const status = async (path: string): Promise<string | null> => {
      const response = await fetch(`${gateway.url}${path}`);
      await response.arrayBuffer();
      return response.headers.get('x-cache');
    };
    try {
      assert.equal(await status('/a'), 'MISS');
      assert.equal(await status('/b'), 'MISS');
      assert.equal(await status('/a'), 'HIT');
      // /c pushes out /b, the least recently used.
      assert.equal(await status('/c'), 'MISS');
      assert.equal(await status('/a'), 'HIT');
      assert.equal(await status('/c'), 'HIT');
      assert.equal(await status('/b'), 'MISS');
      assert.equal(upstream.hits.length, 4);
      const result = await getJson(`${gateway.url}/a`, { method: 'HEAD' });
      assert.equal(result.status, 200);
    } finally {
      await close();
    }
  });
});
