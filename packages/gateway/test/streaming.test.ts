import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { test } from 'node:test';
import { getJson, httpRequest, simpleConfig, startTestGateway, startUpstream } from './helpers.js';

test('50 MiB streams through both ways without buffering', async () => {
  const size = 50 * 1024 * 1024;
  let clientSent = 0;
  let clientSentAtFirstUpstreamByte = -1;
  let upstreamSent = 0;
  let upstreamSentAtFirstClientByte = -1;
  const upstream = await startUpstream('sink', (incoming, response) => {
    let received = 0;
    incoming.on('data', (chunk: Buffer) => {
      if (received === 0) clientSentAtFirstUpstreamByte = clientSent;
      received += chunk.length;
    });
    incoming.on('end', () => {
      response.writeHead(200, { 'x-received': String(received) });
      const chunk = Buffer.alloc(1024 * 1024, 7);
      const pump = (): void => {
        while (upstreamSent < size) {
          upstreamSent += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      pump();
    });
  });
  const gateway = await startTestGateway(simpleConfig([upstream.url], {}, undefined));
  await gateway.writeConfig({
    ...simpleConfig([upstream.url]),
    limits: { bodyBytesMax: 100 * 1024 * 1024 },
  });
  await gateway.reload();
  try {
    const result = await new Promise<{ received: string; downloaded: number }>(
      (resolve, reject) => {
        const outgoing = request(`${gateway.url}/upload`, { method: 'PUT' }, (response) => {
          let downloaded = 0;
          response.on('data', (chunk: Buffer) => {
            if (downloaded === 0) upstreamSentAtFirstClientByte = upstreamSent;
            downloaded += chunk.length;
          });
          response.on('end', () =>
            resolve({ received: String(response.headers['x-received']), downloaded }),
          );
        });
        outgoing.on('error', reject);
        const chunk = Buffer.alloc(1024 * 1024, 1);
        const pump = (): void => {
          while (clientSent < size) {
            clientSent += chunk.length;
            if (!outgoing.write(chunk)) return void outgoing.once('drain', pump);
          }
          outgoing.end();
        };
        pump();
      },
    );
    assert.equal(result.received, String(size));
    assert.equal(result.downloaded, size);
    // The upstream saw the first bytes long before the client finished: the body was streamed.
    assert.ok(clientSentAtFirstUpstreamByte >= 0 && clientSentAtFirstUpstreamByte < size / 4);
    // And the client saw the response long before the upstream finished sending it. (Order,
    // not memory, is the evidence: client, gateway and upstream share this process, so its
    // memory also moves with whatever else the test run is doing.)
    assert.ok(
      upstreamSentAtFirstClientByte >= 0 && upstreamSentAtFirstClientByte < size / 4,
      `the upstream had sent ${upstreamSentAtFirstClientByte} bytes when the client got its first`,
    );
  } finally {
    await gateway.close();
    await upstream.close();
  }
});

test('a body over the limit gets 413, declared or chunked', async () => {
  const upstream = await startUpstream('u');
  const gateway = await startTestGateway({
    ...simpleConfig([upstream.url]),
    limits: { bodyBytesMax: 1000 },
  });
  try {
    const declared = await httpRequest(`${gateway.url}/x`, {
      method: 'POST',
      body: Buffer.alloc(2000),
    });
    assert.equal(declared.status, 413);
    assert.equal(declared.body.code, 'EXO_GATEWAY_BODY_TOO_LARGE');
    const chunked = await new Promise<number>((resolve, reject) => {
      const outgoing = request(`${gateway.url}/x`, { method: 'POST' }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      outgoing.on('error', reject);
      outgoing.write(Buffer.alloc(600));
      outgoing.write(Buffer.alloc(600));
      outgoing.end();
    });
    assert.equal(chunked, 413);
    assert.equal(
      (await httpRequest(`${gateway.url}/x`, { method: 'POST', body: Buffer.alloc(500) })).status,
      200,
    );
  } finally {
    await gateway.close();
    await upstream.close();
  }
});

test('traceparent: a valid one keeps its trace id with a new span; a missing one is created', async () => {
  const upstream = await startUpstream('u');
  const gateway = await startTestGateway(simpleConfig([upstream.url]));
  try {
    const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const kept = (await getJson(`${gateway.url}/x`, { headers: { traceparent: incoming } })).body
      .headers.traceparent as string;
    assert.match(kept, /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    assert.notEqual(kept.split('-')[2], '00f067aa0ba902b7');
    const created = (await getJson(`${gateway.url}/x`)).body.headers.traceparent as string;
    assert.match(created, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const invalid = '00-00000000000000000000000000000000-00f067aa0ba902b7-01';
    const replaced = (await getJson(`${gateway.url}/x`, { headers: { traceparent: invalid } })).body
      .headers.traceparent as string;
    assert.doesNotMatch(replaced, /^00-0{32}/);
  } finally {
    await gateway.close();
    await upstream.close();
  }
});

test('X-Forwarded-* are set and hop-by-hop headers are dropped both ways', async () => {
  const upstream = await startUpstream('u', (incoming, response) => {
    const body = JSON.stringify({ headers: incoming.headers });
    response.writeHead(200, {
      'content-type': 'application/json',
      'x-drop': 'secret',
      connection: 'x-drop',
      'keep-alive': 'timeout=5',
    });
    response.end(body);
  });
  const gateway = await startTestGateway(simpleConfig([upstream.url]));
  try {
    const response = await httpRequest(`${gateway.url}/x`, {
      headers: {
        host: 'shop.example.com',
        'x-forwarded-for': '203.0.113.9',
        connection: 'x-private',
        'x-private': '1',
        'proxy-authorization': 'Basic x',
      },
    });
    const seen = response.body.headers;
    assert.equal(seen['x-forwarded-for'], '203.0.113.9, 127.0.0.1');
    assert.equal(seen['x-forwarded-proto'], 'http');
    assert.equal(seen['x-forwarded-host'], 'shop.example.com');
    assert.equal(seen['x-private'], undefined);
    assert.equal(seen['proxy-authorization'], undefined);
    assert.equal(seen.host, new URL(upstream.url).host);
    assert.equal(response.headers['x-drop'], undefined);
  } finally {
    await gateway.close();
    await upstream.close();
  }
});

for (const dataPath of ['fast', 'node'] as const)
  test(`a WebSocket upgrade passes through and relays frames both ways, data path ${dataPath}`, async () => {
    const upstream = await startUpstream('ws');
    upstream.server.on('upgrade', (incoming, socket) => {
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nx-path: ${incoming.url}\r\n\r\n`,
      );
      socket.on('data', (data: Buffer) =>
        socket.write(Buffer.concat([Buffer.from('echo:'), data])),
      );
      socket.on('end', () => socket.end());
    });
    const gateway = await startTestGateway(simpleConfig([upstream.url]), { dataPath });
    try {
      const reply = await new Promise<{ path: string; echoed: string }>((resolve, reject) => {
        const outgoing = request(`${gateway.url}/chat?room=1`, {
          headers: { connection: 'Upgrade', upgrade: 'websocket' },
        });
        outgoing.on('upgrade', (response, socket) => {
          socket.write('hello');
          socket.once('data', (data: Buffer) => {
            resolve({ path: String(response.headers['x-path']), echoed: data.toString() });
            socket.destroy();
          });
        });
        outgoing.on('error', reject);
        outgoing.end();
      });
      assert.deepEqual(reply, { path: '/chat?room=1', echoed: 'echo:hello' });
    } finally {
      await gateway.close();
      await upstream.close();
    }
  });

test('malformed requests get a 400 and the gateway keeps serving', async () => {
  const upstream = await startUpstream('u');
  const gateway = await startTestGateway(simpleConfig([upstream.url]));
  try {
    const { port } = new URL(gateway.url);
    for (const raw of [
      'GARBAGE\r\n\r\n',
      'GET /x HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n',
      'GET * HTTP/1.1\r\nHost: a\r\n\r\n',
    ]) {
      const answer = await new Promise<string>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.write(raw));
        let text = '';
        socket.on('data', (data: Buffer) => (text += data.toString()));
        socket.on('close', () => resolve(text));
        socket.on('error', () => resolve(text));
        setTimeout(() => socket.end(), 300).unref();
      });
      assert.match(answer, /^HTTP\/1\.1 400/, raw);
      assert.match(answer, /EXO_GATEWAY_BAD_REQUEST/);
    }
    assert.equal((await getJson(`${gateway.url}/x`)).status, 200);
  } finally {
    await gateway.close();
    await upstream.close();
  }
});
