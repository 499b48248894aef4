import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RawClient } from './fast/raw-client.js';
import { simpleConfig, startTestGateway, startUpstream } from './helpers.js';

async function exchange(gatewayUrl: string, version: string): Promise<string> {
  const client = await RawClient.open(gatewayUrl);
  try {
    client.write(`GET /x HTTP/${version}\r\nHost: x\r\nConnection: close\r\n\r\n`);
    return await client.untilClosed();
  } finally {
    client.close();
  }
}

// RFC 9110 §2.5: the gateway serves HTTP/1; a request line of another major version gets a
// 505 (as from nginx) rather than an HTTP/1.1 answer it did not ask for.
for (const dataPath of ['fast', 'node'] as const) {
  describe(`HTTP versions, data path ${dataPath}`, () => {
    it('answers 505 to a major version other than 1, without calling the upstream', async () => {
      const upstream = await startUpstream('u');
      const gateway = await startTestGateway(simpleConfig([upstream.url]), { dataPath });
      try {
        for (const version of ['2.0', '0.9']) {
          const received = await exchange(gateway.url, version);
          assert.match(received, /^HTTP\/1\.1 505 HTTP Version Not Supported\r\n/, version);
          assert.match(received, /"code":"EXO_GATEWAY_HTTP_VERSION"/);
        }
        assert.equal(upstream.hits.length, 0);
        assert.match(await exchange(gateway.url, '1.1'), /^HTTP\/1\.1 200 /);
      } finally {
        await gateway.close();
        await upstream.close();
      }
    });
  });
}

describe('HTTP versions, data path fast', () => {
  // node:http's parser refuses these itself (400), so only the fast path is asked.
  it('serves a higher minor version of HTTP/1 as HTTP/1.1; 505 to HTTP/3.0', async () => {
    const upstream = await startUpstream('u');
    const gateway = await startTestGateway(simpleConfig([upstream.url]));
    try {
      assert.match(await exchange(gateway.url, '1.2'), /^HTTP\/1\.1 200 [^]*"upstream":"u"/);
      assert.match(await exchange(gateway.url, '3.0'), /^HTTP\/1\.1 505 /);
    } finally {
      await gateway.close();
      await upstream.close();
    }
  });
});
