import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RawClient } from './fast/raw-client.js';
import { simpleConfig, startTestGateway } from './helpers.js';
import { nginxMissing, startNginxUpstream } from './nginx-upstream.js';

/** What nginx saw as the request target ($request_uri: exactly as received). */
async function targetSeen(gatewayUrl: string, target: string): Promise<string> {
  const client = await RawClient.open(gatewayUrl);
  try {
    client.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    const received = await client.untilClosed();
    assert.match(received, /^HTTP\/1\.1 200 /);
    return received.slice(received.indexOf('\r\n\r\n') + 4).trimEnd();
  } finally {
    client.close();
  }
}

// Dot segments are removed (RFC 3986 §5.2.4) and nothing else: empty segments, escapes such as
// %2F and the query reach the upstream as the client sent them.
for (const dataPath of ['fast', 'node'] as const) {
  describe(`request targets sent upstream, data path ${dataPath}`, { skip: nginxMissing }, () => {
    it('keeps double slashes, escapes and the query; drops only dot segments', async () => {
      const nginx = await startNginxUpstream(`
    location / { default_type text/plain; return 200 "$request_uri\\n"; }`);
      const gateway = await startTestGateway(simpleConfig([nginx.url]), { dataPath });
      try {
        const cases: Array<[string, string]> = [
          ['//a%2Fb//c?x=%2F&y=%20&&z', '//a%2Fb//c?x=%2F&y=%20&&z'],
          ['//files/./a%2Fb/../c?q=1', '//files/c?q=1'],
          ['//.well-known/acme', '//.well-known/acme'],
          ['/a/b/%2e%2E/c/.', '/a/c/'],
          ['/a//../b', '/a/b'],
          ['/..', '/'],
        ];
        for (const [sent, expected] of cases)
          assert.equal(await targetSeen(gateway.url, sent), expected, sent);
      } finally {
        await gateway.close();
        await nginx.stop();
      }
    });
  });
}
