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
      tiers: { Five: { requestsPerMinute: 5 }, Ten: { requestsPerMinute: 10 } },
      upstreams: [{ name: 'limited', targets: [{ url: upstream.url }] }],
      routes: [
        // A policy that sets fields only through a record (CORS) beside the rate limit.
        {
          name: 'with-cors',
          match: { paths: ['/cors/*'] },
          upstream: 'limited',
          policies: [
            { type: 'cors', origins: ['https://app.example'] },
            { type: 'rate-limit', tier: 'Five' },
          ],
        },
        // Two limits that set the same fields: the one closest to its limit shows.
        {
          name: 'twice',
          match: { paths: ['/twice/*'] },
          upstream: 'limited',
          policies: [
            { type: 'rate-limit', tier: 'Ten', per: 'ip' },
            { type: 'rate-limit', tier: 'Five' },
          ],
        },
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

  test('beside a policy that sets fields by record, both sets arrive once', async () => {
    const response = await fetch(`${gateway.url}/cors/x`, {
      headers: { origin: 'https://app.example' },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(response.headers.get('ratelimit-limit'), '5');
    assert.equal(response.headers.get('ratelimit-remaining'), '4');
  });

  test('with two limits on one route, the most restrictive shows, once', async () => {
    const response = await fetch(`${gateway.url}/twice/x`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('ratelimit-limit'), '5');
    assert.equal(response.headers.get('ratelimit-remaining'), '4');
    assert.equal(response.headers.get('ratelimit-policy'), '5;w=60');
  });
});
