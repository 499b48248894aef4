import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { test } from 'node:test';
import { RealClock, silentLogger } from '@exosphere/common';
import { createFastServer } from '../../src/proxy/fast/fast-server.js';
import { eventually, simpleConfig, startTestGateway, startUpstream } from '../helpers.js';
import { RawClient } from './raw-client.js';

test('a client that leaves while a slow upstream thinks: the upstream connection is dropped', async () => {
  const held: ServerResponse[] = [];
  let upstreamClosed = 0;
  const upstream = await startUpstream('slow', (incoming, response) => {
    held.push(response);
    incoming.socket.once('close', () => upstreamClosed++);
  });
  const gateway = await startTestGateway(simpleConfig([upstream.url]));
  try {
    const client = await RawClient.open(gateway.url);
    client.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => held.length === 1);
    client.close();
    // The gateway's connection to the upstream closes: it was mid-exchange, so not reusable.
    await eventually(() => upstreamClosed === 1);
    // And the gateway serves on.
    const next = await RawClient.open(gateway.url);
    next.write('GET /next HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => held.length === 2);
    held[1]!.end('late');
    await next.until((text) => text.endsWith('late'));
    next.close();
  } finally {
    for (const response of held) response.destroy();
    await gateway.close();
    await upstream.close();
  }
});

test('a client that leaves mid-body: the upstream request is aborted, not left open', async () => {
  let received = 0;
  let aborted = false;
  const upstream = await startUpstream('sink', (incoming: IncomingMessage) => {
    incoming.on('data', (chunk: Buffer) => (received += chunk.length));
    incoming.on('error', () => undefined);
    incoming.on('close', () => (aborted = !incoming.complete));
  });
  const gateway = await startTestGateway(simpleConfig([upstream.url]));
  try {
    const client = await RawClient.open(gateway.url);
    client.write('POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n');
    client.write(Buffer.alloc(1000, 1));
    await eventually(() => received === 1000);
    client.close();
    await eventually(() => aborted);
  } finally {
    await gateway.close();
    await upstream.close();
  }
});

test('a slow reader holds the upstream back (backpressure, no unbounded buffering)', async () => {
  const total = 128 * 1024 * 1024;
  let sent = 0;
  let blocked = false;
  let upstreamResponse: ServerResponse | undefined;
  const upstream = await startUpstream('firehose', (_incoming, response) => {
    upstreamResponse = response;
    response.writeHead(200, { 'content-length': total });
    const chunk = Buffer.alloc(256 * 1024, 7);
    const pump = (): void => {
      while (sent < total) {
        sent += chunk.length;
        if (!response.write(chunk)) {
          blocked = true;
          response.once('drain', () => {
            blocked = false;
            pump();
          });
          return;
        }
      }
      response.end();
    };
    pump();
  });
  const gateway = await startTestGateway(simpleConfig([upstream.url]));
  try {
    // A bare socket: the test's raw client would keep every byte it reads.
    const { port } = new URL(gateway.url);
    const client = connect(Number(port), '127.0.0.1');
    client.pause();
    client.write('GET /big HTTP/1.1\r\nHost: x\r\n\r\n');
    // The client reads nothing: the upstream must end up blocked with most of the body unsent.
    await eventually(() => blocked && sent > 0, 10_000);
    const sentWhenBlocked = sent;
    // Socket buffers on the way (kernel send and receive buffers, one chunk in the gateway)
    // hold a few MiB at most; without backpressure the whole 128 MiB would be read.
    assert.ok(sentWhenBlocked < 48 * 1024 * 1024, `the upstream sent ${sentWhenBlocked} bytes`);
    // Reading resumes the flow to the end.
    let read = 0;
    client.on('data', (data: Buffer) => (read += data.length));
    client.resume();
    await eventually(() => read > total, 60_000);
    client.destroy();
  } finally {
    upstreamResponse?.destroy();
    await gateway.close();
    await upstream.close();
  }
});

test('a head that trickles in is cut off after the head timeout', async () => {
  // The fast server alone, with a short head timeout: the head never completes, so no request
  // is routed, and the runtime and upstream callbacks are never called (they fail the test).
  const notCalled = (): never => {
    throw new Error('no request may reach routing');
  };
  const fast = createFastServer({
    httpServer: createServer(),
    limits: { headBytesMax: 16 * 1024, fieldsMax: 200, headTimeoutMs: 200 },
    handler: {
      runtime: notCalled,
      logger: silentLogger(),
      clock: new RealClock(),
      onUpstreamError: notCalled,
      onComplete: notCalled,
      ownsPath: () => false,
    },
  });
  const url = await fast.listen('127.0.0.1', 0);
  try {
    const client = await RawClient.open(url);
    client.write('GET / HTTP/1.1\r\nHost: x\r\n');
    const trickle = setInterval(() => client.write('X'), 40);
    try {
      await client.untilClosed(3000);
    } finally {
      clearInterval(trickle);
    }
    assert.equal(client.received, '');
  } finally {
    await fast.close();
  }
});
