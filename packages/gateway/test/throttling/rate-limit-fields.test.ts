import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestGateway, startUpstream, type TestGateway, type Upstream } from '../helpers.js';

describe('RateLimit-* fields of a rate-limited route', () => {
  let upstream: Upstream;
  let gateway: TestGateway;

  before(async () => {
    // An upstream with limits of its own: the client is told the gateway's, once each.
    upstream = await startUpstream('limited', (_request, response) => {
      response.writeHead(200, [
        'RateLimit-Limit',
        '999',
        'ratelimit-remaining',
        '998',
        'X-Upstream',
        'kept',
        'Content-Length',
        '2',
      ]);
      response.end('ok');
    });
    gateway = await startTestGateway({
      tiers: { Five: { requestsPerMinute: 5 } },
      upstreams: [{ name: 'limited', targets: [{ url: upstream.url }] }],
      routes: [
        {
          name: 'limited',
          match: { paths: ['/*'] },
          upstream: 'limited',
          policies: [{ type: 'rate-limit', tier: 'Five' }],
        },
      ],
    });
  });

  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  test("replace the upstream's fields of the same names", async () => {
    const response = await fetch(`${gateway.url}/x`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'ok');
    // Repeated fields would be joined here ("999, 5").
    assert.equal(response.headers.get('ratelimit-limit'), '5');
    assert.equal(response.headers.get('ratelimit-remaining'), '4');
    assert.equal(response.headers.get('x-upstream'), 'kept');
  });
});
