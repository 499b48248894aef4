import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startTestGateway, type TestGateway, type Upstream } from '../helpers.js';
import { startUpstream } from '../helpers.js';
import { RawClient } from './raw-client.js';

/** How many complete responses (status lines) a raw transcript holds. */
function statuses(text: string): string[] {
  return [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => match[1]!);
}

describe('the fast HTTP/1.1 path (RFC 9112)', () => {
  let upstream: Upstream;
  let chunky: Upstream;
  let gateway: TestGateway;

  before(async () => {
    // Describes each request, body included; a request the gateway abandons is ignored.
    upstream = await startUpstream('echo', (incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', () => undefined);
      incoming.on('end', () => {
        const body = JSON.stringify({
          url: incoming.url,
          headers: incoming.headers,
          body: Buffer.concat(chunks).toString(),
        });
        response.writeHead(200, { 'content-length': Buffer.byteLength(body) });
        response.end(body);
      });
    });
    // Answers without Content-Length, so node:http sends the body chunked.
    chunky = await startUpstream('chunky', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('first,');
      setImmediate(() => response.end('second'));
    });
    gateway = await startTestGateway({
      upstreams: [
        { name: 'echo', targets: [{ url: upstream.url }] },
        { name: 'chunky', targets: [{ url: chunky.url }] },
      ],
      routes: [
        { name: 'chunky', match: { paths: ['/chunky'] }, upstream: 'chunky' },
        { name: 'all', match: { paths: ['/*'] }, upstream: 'echo' },
      ],
    });
  });

  after(async () => {
    await gateway.close();
    await upstream.close();
    await chunky.close();
  });

  it('answers pipelined requests in order on one connection', async () => {
    const client = await RawClient.open(gateway.url);
    client.write(
      'GET /a HTTP/1.1\r\nHost: x\r\n\r\n' +
        'POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello' +
        'GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    const text = await client.untilClosed();
    assert.deepEqual(statuses(text), ['200', '200', '200']);
    const order = ['"url":"/a"', '"url":"/b"', '"url":"/c"'].map((url) => text.indexOf(url));
    assert.ok(
      order.every((position, index) => position > (order[index - 1] ?? -1)),
      text,
    );
    assert.match(text, /"body":"hello"/);
    assert.match(text, /connection: close/i);
  });

  it('keeps an HTTP/1.1 connection open and closes it after Connection: close', async () => {
    const client = await RawClient.open(gateway.url);
    client.write('GET /one HTTP/1.1\r\nHost: x\r\n\r\n');
    await client.until((text) => text.includes('"url":"/one"'));
    assert.equal(client.closed, false);
    client.write('GET /two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const text = await client.untilClosed();
    assert.match(text, /"url":"\/two"/);
  });

  it('serves HTTP/1.0: closes by default, keeps alive when asked, sends no chunked coding', async () => {
    const plain = await RawClient.open(gateway.url);
    plain.write('GET /old HTTP/1.0\r\n\r\n');
    const text = await plain.untilClosed();
    assert.match(text, /^HTTP\/1\.1 200/);
    assert.match(text, /"url":"\/old"/);
    const kept = await RawClient.open(gateway.url);
    kept.write('GET /first HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    await kept.until((received) => received.includes('"url":"/first"'));
    assert.match(kept.received, /connection: keep-alive/i);
    kept.write('GET /second HTTP/1.0\r\n\r\n');
    assert.match(await kept.untilClosed(), /"url":"\/second"/);
    // A body without a length goes to an HTTP/1.0 client until the connection closes.
    const chunked = await RawClient.open(gateway.url);
    chunked.write('GET /chunky HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    const answer = await chunked.untilClosed();
    assert.doesNotMatch(answer, /transfer-encoding/i);
    assert.match(answer, /\r\n\r\nfirst,second$/);
  });

  it('relays a chunked response chunked to HTTP/1.1 clients', async () => {
    const client = await RawClient.open(gateway.url);
    client.write('GET /chunky HTTP/1.1\r\nHost: x\r\n\r\n');
    const text = await client.until((received) => received.endsWith('0\r\n\r\n'));
    assert.match(text, /transfer-encoding: chunked/i);
    assert.match(text, /6\r\nfirst,\r\n6\r\nsecond\r\n0\r\n\r\n$/);
    client.close();
  });

  it('streams a chunked request body upstream', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const outgoing = request(`${gateway.url}/upload`, { method: 'POST' }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve(text));
      });
      outgoing.on('error', reject);
      outgoing.write('part one, ');
      setImmediate(() => outgoing.end('part two'));
    });
    const seen = JSON.parse(answer) as { body: string; headers: Record<string, string> };
    assert.equal(seen.body, 'part one, part two');
    assert.equal(seen.headers['transfer-encoding'], 'chunked');
  });

  it('answers HEAD without a body and keeps the connection usable', async () => {
    const client = await RawClient.open(gateway.url);
    client.write('HEAD /h HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n');
    const text = await client.until((received) => received.includes('"url":"/after"'));
    assert.deepEqual(statuses(text), ['200', '200']);
    client.close();
  });

  it('refuses malformed heads with a 400 JSON error and closes the connection', async () => {
    for (const raw of [
      'GET /x HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n',
      'GET /x HTTP/1.1\r\nX-No-Host: 1\r\n\r\n',
      'GET /x HTTP/1.1\r\nHost : x\r\n\r\n',
      'BAD\x01 /x HTTP/1.1\r\nHost: x\r\n\r\n',
    ]) {
      const client = await RawClient.open(gateway.url);
      client.write(raw);
      const text = await client.untilClosed();
      assert.match(text, /^HTTP\/1\.1 400 /, JSON.stringify(raw));
      assert.match(text, /content-type: application\/json/);
      assert.match(text, /"code":"EXO_GATEWAY_BAD_REQUEST"/);
    }
  });

  it('answers 431 to an oversized head', async () => {
    const client = await RawClient.open(gateway.url);
    client.write(`GET /x HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    const text = await client.untilClosed();
    assert.match(text, /^HTTP\/1\.1 431 /);
    assert.match(text, /EXO_GATEWAY_BAD_REQUEST/);
  });

  it('refuses request smuggling: CL+TE, two CLs, bad chunk sizes', async () => {
    const hitsBefore = upstream.hits.length;
    const smuggled = 'GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n';
    for (const raw of [
      `POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`,
      `POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 40\r\n\r\nhello${smuggled}`,
      `POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n${smuggled}`,
      `POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n${smuggled}`,
    ]) {
      const client = await RawClient.open(gateway.url);
      client.write(raw);
      const text = await client.untilClosed();
      assert.deepEqual(statuses(text), ['400'], JSON.stringify(raw));
      assert.match(text, /EXO_GATEWAY_BAD_REQUEST/);
    }
    const paths = upstream.hits.slice(hitsBefore).map((hit) => hit.url);
    assert.ok(!paths.includes('/smuggled'), `the upstream saw ${paths.join(', ')}`);
  });

  it('reuses upstream connections (keep-alive) across client connections', async () => {
    let connections = 0;
    const counted = await startUpstream('counted', (_incoming, response) => response.end('ok'));
    counted.server.on('connection', () => connections++);
    const viaGateway = await startTestGateway({
      upstreams: [{ name: 'counted', targets: [{ url: counted.url }] }],
      routes: [{ name: 'all', match: { paths: ['/*'] }, upstream: 'counted' }],
    });
    try {
      for (let index = 0; index < 5; index++) {
        const client = await RawClient.open(viaGateway.url);
        client.write(`GET /${index} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
        assert.match(await client.untilClosed(), /\r\n\r\n(2\r\nok\r\n0\r\n\r\n|ok)$/);
      }
      assert.equal(connections, 1);
    } finally {
      await viaGateway.close();
      await counted.close();
    }
  });

  it('answers the gateway’s own errors as JSON with their codes', async () => {
    const gatewayOnly = await startTestGateway({});
    try {
      const client = await RawClient.open(gatewayOnly.url);
      client.write(
        'HEAD /nowhere HTTP/1.1\r\nHost: x\r\n\r\n' +
          'GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n' +
          'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n',
      );
      const text = await client.until(
        (received) => statuses(received).length === 3 && received.endsWith('}'),
      );
      assert.deepEqual(statuses(text), ['404', '404', '400']);
      // The answer to HEAD has the fields of the JSON error and no body (RFC 9110 §9.3.2).
      assert.equal(text.split('"code":"EXO_GATEWAY_NO_ROUTE"').length - 1, 1);
      assert.match(text, /^HTTP\/1\.1 404 [^]*?\r\n\r\nHTTP\/1\.1 404 /);
      client.close();
    } finally {
      await gatewayOnly.close();
    }
  });
});
