import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { RawClient } from './fast/raw-client.js';
import { simpleConfig, startTestGateway } from './helpers.js';

const text = 'a body in the gzip transfer coding\n'.repeat(20);
const gzipped = gzipSync(Buffer.from(text));

/**
 * An upstream whose answers carry the gzip transfer coding: `/chunked` as
 * `Transfer-Encoding: gzip, chunked` (in two chunks, keep-alive), `/close` as
 * `Transfer-Encoding: gzip` delimited by the end of the connection (RFC 9112 §6.3 item 3).
 */
async function startGzipUpstream(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let received = '';
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = received.slice(0, end);
      received = received.slice(end + 4);
      const bodiless = head.startsWith('HEAD ');
      if (head.includes(' /close ')) {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n');
        socket.write('Transfer-Encoding: gzip\r\nConnection: close\r\n\r\n');
        socket.end(bodiless ? '' : gzipped);
        return;
      }
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n');
      socket.write('Transfer-Encoding: gzip, chunked\r\n\r\n');
      if (bodiless) return;
      const half = gzipped.length >> 1;
      for (const piece of [gzipped.subarray(0, half), gzipped.subarray(half)]) {
        socket.write(Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece]));
        socket.write('\r\n');
      }
      socket.write('0\r\n\r\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Status line, lower-cased fields (repeated ones joined), and the body bytes after the head. */
async function exchange(
  url: string,
  head: string,
): Promise<{ status: string; fields: Map<string, string>; body: Buffer }> {
  const client = await RawClient.open(url);
  try {
    client.write(head);
    const received = Buffer.from(await client.untilClosed(), 'latin1');
    const end = received.indexOf('\r\n\r\n');
    const lines = received.subarray(0, end).toString('latin1').split('\r\n');
    const fields = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      const previous = fields.get(name);
      fields.set(name, previous === undefined ? value : `${previous}, ${value}`);
    }
    return { status: lines[0]!, fields, body: received.subarray(end + 4) };
  } finally {
    client.close();
  }
}

/** The content of a chunked body (RFC 9112 §7.1), trailers ignored. */
function dechunk(body: Buffer): Buffer {
  const pieces: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    const size = parseInt(body.toString('latin1', offset, lineEnd), 16);
    if (size === 0) return Buffer.concat(pieces);
    pieces.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}

// Transfer codings are hop by hop, but the gateway does not decode gzip: an HTTP/1.1 client is
// told the codings the upstream applied, before the chunked coding the gateway applies itself.
// An HTTP/1.0 client cannot be sent Transfer-Encoding (RFC 9112 §6.1): 502, as nginx answers
// any upstream coding other than chunked.
for (const dataPath of ['fast', 'node'] as const) {
  describe(`an upstream's gzip transfer coding, data path ${dataPath}`, () => {
    it('reaches an HTTP/1.1 client as gzip, chunked; an HTTP/1.0 client gets a 502', async () => {
      const upstream = await startGzipUpstream();
      const gateway = await startTestGateway(simpleConfig([upstream.url]), { dataPath });
      try {
        for (const path of ['/chunked', '/close', '/chunked']) {
          const head = `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;
          const answer = await exchange(gateway.url, head);
          assert.equal(answer.status, 'HTTP/1.1 200 OK', path);
          assert.equal(answer.fields.get('transfer-encoding'), 'gzip, chunked', path);
          assert.equal(answer.fields.get('content-encoding'), undefined);
          assert.equal(gunzipSync(dechunk(answer.body)).toString(), text, path);
        }
        const headAnswer = await exchange(
          gateway.url,
          'HEAD /chunked HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
        );
        assert.equal(headAnswer.status, 'HTTP/1.1 200 OK');
        assert.equal(headAnswer.body.length, 0);
        for (const path of ['/chunked', '/close']) {
          const answer = await exchange(gateway.url, `GET ${path} HTTP/1.0\r\nHost: x\r\n\r\n`);
          assert.match(answer.status, /^HTTP\/1\.1 502 /, path);
          assert.equal(answer.fields.get('transfer-encoding'), undefined, path);
          assert.equal(JSON.parse(answer.body.toString()).code, 'EXO_GATEWAY_BAD_GATEWAY');
        }
        const plain = await exchange(gateway.url, 'HEAD /chunked HTTP/1.0\r\nHost: x\r\n\r\n');
        assert.equal(plain.status, 'HTTP/1.1 200 OK');
        assert.equal(plain.fields.get('transfer-encoding'), undefined);
      } finally {
        await gateway.close();
        await upstream.close();
      }
    });
  });
}
