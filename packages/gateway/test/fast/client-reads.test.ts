import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestGateway, type TestGateway } from '../helpers.js';
import { RawClient } from './raw-client.js';

/**
 * Client connections read into one shared buffer (fast/shared-reads.ts): body bytes queued for
 * a slow upstream, bytes read ahead of the next request and bytes put back for node:http must
 * all be copied out before the next read lands in the same memory.
 */
const bodyBytes = 6 * 1024 * 1024;

function bodyFor(seed: number): Buffer {
  const body = Buffer.allocUnsafe(bodyBytes);
  for (let index = 0; index < bodyBytes; index++) body[index] = (index * 13 + seed * 5) & 0xff;
  return body;
}

function digest(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** An upstream that waits before reading each body (its socket fills), then answers its digest. */
async function startDigestUpstream(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const hash = createHash('sha256');
    let bytes = 0;
    request.pause();
    setTimeout(() => request.resume(), 150);
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
    });
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ path: request.url, bytes, sha256: hash.digest('hex') }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, server };
}

/** Writes `data` in 4 KiB pieces, one per event-loop turn: the gateway reads it in many reads. */
async function writeInPieces(socket: Socket, data: Buffer): Promise<void> {
  for (let at = 0; at < data.length; at += 4096) {
    if (socket.destroyed) throw new Error('the gateway closed the connection mid-body');
    if (!socket.write(data.subarray(at, at + 4096)))
      await new Promise<void>((resolve) => {
        socket.once('drain', resolve);
        socket.once('close', resolve);
      });
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** POSTs `body` on a raw connection in small pieces; the answer's JSON. */
async function post(url: string, path: string, body: Buffer, chunked: boolean): Promise<unknown> {
  const client = await RawClient.open(url);
  const framing = chunked ? 'transfer-encoding: chunked' : `content-length: ${body.length}`;
  client.write(`POST ${path} HTTP/1.1\r\nhost: test\r\nconnection: close\r\n${framing}\r\n\r\n`);
  if (!chunked) await writeInPieces(client.socket, body);
  else {
    for (let at = 0; at < body.length; at += 65536) {
      const piece = body.subarray(at, at + 65536);
      await writeInPieces(
        client.socket,
        Buffer.concat([
          Buffer.from(`${piece.length.toString(16)}\r\n`),
          piece,
          Buffer.from('\r\n'),
        ]),
      );
    }
    client.write('0\r\n\r\n');
  }
  const received = await client.untilClosed(20_000);
  assert.match(received, /^HTTP\/1\.1 200 /);
  return JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4)) as unknown;
}

describe('fast path: client bytes read into a shared buffer', () => {
  let upstream: { url: string; server: Server };
  let gateway: TestGateway;

  before(async () => {
    upstream = await startDigestUpstream();
    gateway = await startTestGateway({
      upstreams: [{ name: 'digest', targets: [{ url: upstream.url }] }],
      routes: [{ name: 'all', match: { paths: ['/*'] }, upstream: 'digest' }],
      analytics: { enabled: false },
    });
  });

  after(async () => {
    await gateway.close();
    await new Promise<void>((resolve) => upstream.server.close(() => resolve()));
  });

  // Bounded: a body taken apart by a later read may leave both sides waiting for bytes.
  it(
    'forwards concurrent large bodies intact while the upstream is slow to read',
    { timeout: 30_000 },
    async () => {
      const seeds = [1, 2, 3];
      const answers = await Promise.all(
        seeds.map((seed) => post(gateway.url, `/body/${seed}`, bodyFor(seed), seed === 3)),
      );
      for (const [index, answer] of answers.entries()) {
        const seed = seeds[index]!;
        assert.deepEqual(answer, {
          path: `/body/${seed}`,
          bytes: bodyBytes,
          sha256: digest(bodyFor(seed)),
        });
      }
    },
  );

  it('keeps the next request read with a body until its turn', { timeout: 15_000 }, async () => {
    const client = await RawClient.open(gateway.url);
    // Two requests with bodies in one write: the second is read ahead while the first is served.
    client.write(
      'POST /first HTTP/1.1\r\nhost: test\r\ncontent-length: 5\r\n\r\nhello' +
        'POST /second HTTP/1.1\r\nhost: test\r\ncontent-length: 6\r\nconnection: close\r\n\r\nworld!',
    );
    // Later reads reuse the shared buffer while both are in flight.
    const other = connect(Number(new URL(gateway.url).port), '127.0.0.1');
    other.on('error', () => undefined);
    other.write(`GET /noise HTTP/1.1\r\nhost: test\r\n\r\n${'x'.repeat(2000)}`);
    const received = await client.untilClosed(10_000);
    other.destroy();
    const bodies = received
      .split(/HTTP\/1\.1 200 [^\r]*\r\n/)
      .slice(1)
      .map((answer) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as unknown);
    assert.deepEqual(bodies, [
      { path: '/first', bytes: 5, sha256: digest('hello') },
      { path: '/second', bytes: 6, sha256: digest('world!') },
    ]);
  });
});
