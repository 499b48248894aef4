import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { startUpstream } from '../helpers.js';
import { getJson, setup } from './helpers.js';

describe('bodies in mediated routes', () => {
  it(
    'streams a large upload and download through a route with only header policies',
    { timeout: 20_000 },
    async () => {
      const chunkBytes = 256 * 1024;
      const chunks = 40;
      // Lockstep: the client sends its next chunk only once the upstream has received the
      // previous one. A gateway that buffered the body would never pass the first chunk on, and
      // the test would time out.
      let upstreamReceived = 0;
      let notify: (() => void) | undefined;
      const upstream = await startUpstream('sink', (incoming, response) => {
        incoming.on('data', (chunk: Buffer) => {
          upstreamReceived += chunk.length;
          notify?.();
        });
        incoming.on('end', () => {
          response.writeHead(200, {
            'x-received': String(upstreamReceived),
            'x-tenant': String(incoming.headers['x-tenant']),
          });
          response.end(Buffer.alloc(chunkBytes * 4, 1));
        });
      });
      const { gateway, close } = await setup({
        upstreams: { main: upstream },
        policies: [
          { type: 'set-headers', headers: { 'x-tenant': 'blue' } },
          { type: 'set-headers', phase: 'response', headers: { 'x-mediated': 'yes' } },
        ],
        extra: { limits: { bodyBytesMax: 100 * 1024 * 1024 } },
      });
      try {
        const result = await new Promise<{ headers: Record<string, unknown>; downloaded: number }>(
          (resolve, reject) => {
            const outgoing = request(`${gateway.url}/upload`, { method: 'PUT' }, (response) => {
              let downloaded = 0;
              response.on('data', (chunk: Buffer) => (downloaded += chunk.length));
              response.on('end', () => resolve({ headers: response.headers, downloaded }));
            });
            outgoing.on('error', reject);
            let sent = 0;
            const next = (): void => {
              if (upstreamReceived < sent) return;
              if (sent === chunkBytes * chunks) {
                notify = undefined;
                outgoing.end();
                return;
              }
              sent += chunkBytes;
              outgoing.write(Buffer.alloc(chunkBytes, 2));
            };
            notify = next;
            next();
          },
        );
        // 10 MiB arrived whole, one chunk at a time.
        assert.equal(result.headers['x-received'], String(chunkBytes * chunks));
        assert.equal(result.headers['x-tenant'], 'blue');
        assert.equal(result.headers['x-mediated'], 'yes');
        assert.equal(result.downloaded, chunkBytes * 4);
      } finally {
        await close();
      }
    },
  );

  it('buffers a body for a body policy within the limit, and answers 413 beyond it', async () => {
    const upstream = await startUpstream('main', (incoming, response) => {
      incoming.resume();
      incoming.on('end', () => response.end('{}'));
    });
    const { gateway, close } = await setup({
      upstreams: { main: upstream },
      policies: [{ type: 'jsonata', expression: '$' }],
      extra: { limits: { bodyBytesMax: 1024 } },
    });
    try {
      const declared = await getJson(`${gateway.url}/`, {
        method: 'POST',
        body: JSON.stringify({ a: 'x'.repeat(2000) }),
      });
      assert.equal(declared.status, 413);
      assert.equal(declared.body.code, 'EXO_GATEWAY_BODY_TOO_LARGE');
      const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const outgoing = request(`${gateway.url}/`, { method: 'POST' }, (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
        outgoing.on('error', reject);
        outgoing.write(`{"a": "${'x'.repeat(800)}`);
        outgoing.end(`${'y'.repeat(800)}"}`);
      });
      assert.equal(chunked.status, 413);
      assert.match(chunked.body, /EXO_GATEWAY_BODY_TOO_LARGE/);
      const small = await getJson(`${gateway.url}/`, { method: 'POST', body: '{"a":1}' });
      assert.equal(small.status, 200);
      assert.equal(upstream.hits.length, 1);
    } finally {
      await close();
    }
  });
});
