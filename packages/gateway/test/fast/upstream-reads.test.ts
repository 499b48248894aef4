import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestGateway, type TestGateway } from '../helpers.js';

/**
 * Plain upstream connections read into one shared buffer (fast/upstream-connection.ts): every
 * read must be copied out before the next one lands, whatever waits in a client's write queue.
 */
const bodyBytes = 12 * 1024 * 1024;

/** `bodyBytes` bytes that differ per `seed`, so two answers mixed up cannot pass for each other. */
function bodyFor(seed: number): Buffer {
  const body = Buffer.allocUnsafe(bodyBytes);
  for (let index = 0; index < bodyBytes; index++) body[index] = (index * 31 + seed * 7) & 0xff;
  return body;
}

function digest(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Writes `body` in small pieces, one per event-loop turn, so the gateway reads it in many small
 * reads: each is relayed while earlier ones may still wait in the client's write queue.
 */
function sendInPieces(socket: Socket, body: Buffer, done: () => void): void {
  let at = 0;
  const next = (): void => {
    if (socket.destroyed) return;
    if (at >= body.length) return done();
    socket.write(body.subarray(at, at + 4096));
    at += 4096;
    setImmediate(next);
  };
  next();
}

/**
 * A raw upstream: `/length/<seed>` answers with Content-Length, `/close/<seed>` as HTTP/1.0
 * without a length (the body ends when the connection closes). Bodies go out in many small writes.
 */
async function startRawUpstream(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const head = pending.slice(0, end);
        pending = pending.slice(end + 4);
        const [, kind, seed] = /^GET \/(length|close)\/(\d+) /.exec(head) ?? [];
        const body = bodyFor(Number(seed));
        if (kind === 'close') {
          socket.write('HTTP/1.0 200 OK\r\ncontent-type: application/octet-stream\r\n\r\n');
          sendInPieces(socket, body, () => socket.end());
          return;
        }
        socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n\r\n`);
        sendInPieces(socket, body, () => undefined);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * GETs `path` on a raw connection. A slow client reads nothing for a while: its receive window
 * fills (the kernel grows it only for a reader), the gateway's writes queue, and it must pause
 * the upstream while the queued bytes still refer to what it read.
 */
async function fetchBody(
  gatewayUrl: string,
  path: string,
  slow: boolean,
): Promise<{ head: string; body: Buffer }> {
  const { hostname, port } = new URL(gatewayUrl);
  const socket = connect(Number(port), hostname);
  const chunks: Buffer[] = [];
  if (slow) {
    socket.pause();
    setTimeout(() => socket.resume(), 300);
  }
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.write(`GET ${path} HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n`);
  await new Promise<void>((resolve, reject) => {
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  const all = Buffer.concat(chunks);
  const end = all.indexOf('\r\n\r\n');
  const head = all.toString('latin1', 0, end);
  if (!/transfer-encoding: chunked/i.test(head)) return { head, body: all.subarray(end + 4) };
  // Chunked (an answer that ended with its connection, to an HTTP/1.1 client): decode.
  const pieces: Buffer[] = [];
  for (let at = end + 4; ;) {
    const lineEnd = all.indexOf('\r\n', at);
    const size = parseInt(all.toString('latin1', at, lineEnd), 16);
    if (!(size > 0)) break;
    pieces.push(all.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return { head, body: Buffer.concat(pieces) };
}

describe('fast path: upstream bytes read into a shared buffer', () => {
  let upstream: { url: string; close(): Promise<void> };
  let gateway: TestGateway;

  before(async () => {
    upstream = await startRawUpstream();
    gateway = await startTestGateway({
      upstreams: [{ name: 'raw', targets: [{ url: upstream.url }] }],
      routes: [{ name: 'all', match: { paths: ['/*'] }, upstream: 'raw' }],
      analytics: { enabled: false },
    });
  });

  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('relays concurrent large answers intact to slow and fast clients', async () => {
    const seeds = [1, 2, 3];
    const answers = await Promise.all(
      seeds.map((seed) => fetchBody(gateway.url, `/length/${seed}`, seed !== 2)),
    );
    for (const [index, answer] of answers.entries()) {
      assert.match(answer.head, /^HTTP\/1\.1 200 /);
      assert.equal(answer.body.length, bodyBytes);
      assert.equal(digest(answer.body), digest(bodyFor(seeds[index]!)), `answer ${seeds[index]}`);
    }
  });

  it('relays an answer delimited by the upstream closing, intact', async () => {
    const [slow, fast] = await Promise.all([
      fetchBody(gateway.url, '/close/5', true),
      fetchBody(gateway.url, '/close/6', false),
    ]);
    assert.equal(digest(slow.body), digest(bodyFor(5)));
    assert.equal(digest(fast.body), digest(bodyFor(6)));
  });
});
