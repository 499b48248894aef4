import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { simpleConfig, startTestGateway, startUpstream } from '../helpers.js';
import { RawClient } from './raw-client.js';

// The fast path refuses lines that end in a bare LF (RFC 9112 §2.2 lets a recipient accept
// them; it does not). A head written that way never shows CRLF CRLF, so the refusal has to come
// as soon as its end is there, not after the head timeout (requests) or `requestMs` (responses).
describe('heads whose lines end in a bare LF', () => {
  it('a request head: 400 at once and the connection closes', async () => {
    const upstream = await startUpstream('u');
    const gateway = await startTestGateway(simpleConfig([upstream.url]));
    try {
      for (const head of ['GET / HTTP/1.1\nHost: x\n\n', 'GET / HTTP/1.1\r\nHost: x\n\r\n']) {
        const client = await RawClient.open(gateway.url);
        client.write(head);
        const received = await client.untilClosed();
        assert.match(received, /^HTTP\/1\.1 400 /, JSON.stringify(head));
        assert.match(received, /EXO_GATEWAY_BAD_REQUEST/);
      }
      assert.equal(upstream.hits.length, 0);
    } finally {
      await gateway.close();
      await upstream.close();
    }
  });

  it('a response head: 502 at once', async () => {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.once('data', () => socket.write('HTTP/1.1 200 OK\nContent-Length: 2\n\nok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const gateway = await startTestGateway(simpleConfig([`http://127.0.0.1:${port}`]));
    try {
      const client = await RawClient.open(gateway.url);
      client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      const received = await client.until((text) => text.includes('}'));
      assert.match(received, /^HTTP\/1\.1 502 /);
      assert.match(received, /EXO_GATEWAY_BAD_GATEWAY/);
      client.close();
    } finally {
      await gateway.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
