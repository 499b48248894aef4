import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '@exosphere/common';
import { startGateway } from '../../src/index.js';
import { getJson, httpRequest, startTestGateway, startUpstream } from '../helpers.js';
import type { TestGateway, Upstream } from '../helpers.js';
import { RawClient } from './raw-client.js';

async function handovers(gateway: TestGateway, reason: string): Promise<number> {
  const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
  const match = new RegExp(`exo_gateway_fast_handovers_total\\{reason="${reason}"\\} (\\d+)`).exec(
    metrics,
  );
  return Number(match?.[1] ?? 0);
}

describe('what the fast path hands over to node:http', () => {
  let upstream: Upstream;
  let gateway: TestGateway;

  before(async () => {
    upstream = await startUpstream('u', (incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const body = JSON.stringify({ url: incoming.url, body: Buffer.concat(chunks).toString() });
        response.writeHead(200, { 'content-length': Buffer.byteLength(body) });
        response.end(body);
      });
    });
    upstream.server.on('upgrade', (_incoming, socket) => {
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n\r\n',
      );
      socket.on('data', (data: Buffer) =>
        socket.write(Buffer.concat([Buffer.from('echo:'), data])),
      );
      socket.on('error', () => undefined);
      socket.on('end', () => socket.end());
    });
    gateway = await startTestGateway({
      upstreams: [{ name: 'u', targets: [{ url: upstream.url }] }],
      routes: [
        {
          name: 'mediated',
          match: { paths: ['/mediated/*'] },
          upstream: 'u',
          policies: [{ type: 'set-headers', phase: 'response', headers: { 'x-mediated': 'yes' } }],
        },
        { name: 'all', match: { paths: ['/*'] }, upstream: 'u' },
      ],
    });
  });

  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('a WebSocket upgrade after a plain request on the same connection', async () => {
    const before = await handovers(gateway, 'upgrade');
    const client = await RawClient.open(gateway.url);
    client.write('GET /plain HTTP/1.1\r\nHost: x\r\n\r\n');
    await client.until((text) => text.includes('"url":"/plain"'));
    client.write(
      'GET /chat HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
    );
    await client.until((text) => text.includes('101 Switching Protocols'));
    client.write('hello');
    await client.until((text) => text.endsWith('echo:hello'));
    client.close();
    assert.equal(await handovers(gateway, 'upgrade'), before + 1);
  });

  it('Expect: 100-continue', async () => {
    const before = await handovers(gateway, 'expect');
    const answer = await new Promise<string>((resolve, reject) => {
      const outgoing = request(`${gateway.url}/continue`, {
        method: 'POST',
        headers: { expect: '100-continue', 'content-length': '4' },
      });
      outgoing.on('continue', () => outgoing.end('body'));
      outgoing.on('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve(text));
      });
      outgoing.on('error', reject);
    });
    assert.deepEqual(JSON.parse(answer), { url: '/continue', body: 'body' });
    assert.equal(await handovers(gateway, 'expect'), before + 1);
  });

  it('a mediated route, with the requests pipelined behind it', async () => {
    const before = await handovers(gateway, 'mediation');
    const client = await RawClient.open(gateway.url);
    client.write(
      'GET /mediated/a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    const text = await client.untilClosed();
    assert.match(text, /x-mediated: yes/i);
    assert.ok(text.indexOf('"url":"/mediated/a"') < text.indexOf('"url":"/b"'), text);
    assert.equal(await handovers(gateway, 'mediation'), before + 1);
  });
});

// `dataPath: 'node'` keeps node:http and undici for every request (the switch that turns fast/ off).
describe('dataPath node', () => {
  it('proxies with node:http and never hands over', async () => {
    const upstream = await startUpstream('u');
    const home = await mkdtemp(join(tmpdir(), 'exo-gateway-node-'));
    const configPath = join(home, 'gateway.yaml');
    await writeFile(
      configPath,
      JSON.stringify({
        upstreams: [{ name: 'u', targets: [{ url: upstream.url }] }],
        routes: [{ name: 'all', match: { paths: ['/*'] }, upstream: 'u' }],
      }),
    );
    const gateway = await startGateway({
      home,
      configPath,
      logger: silentLogger(),
      dataPath: 'node',
    });
    try {
      const answer = await httpRequest(`${gateway.url}/x`);
      assert.equal(answer.status, 200);
      // node:http announces its keep-alive timeout; the fast path does not.
      assert.equal(answer.headers['keep-alive'], 'timeout=65');
      assert.equal((await getJson(`${gateway.url}/y`, { method: 'DELETE' })).status, 200);
      const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
      assert.doesNotMatch(metrics, /exo_gateway_fast_handovers_total\{/);
    } finally {
      await gateway.close();
      await upstream.close();
      await rm(home, { recursive: true, force: true });
    }
  });
});
