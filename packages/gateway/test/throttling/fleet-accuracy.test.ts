import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RespClient, parseRedisUrl } from '../../src/policies/throttling/index.js';
import { eventually, startUpstream, type Upstream } from '../helpers.js';
import { inOneWindow, sendSpread, startFleet, type Fleet } from './fleet.js';
import { startTestRedis, type TestRedis } from './redis-server.js';

let redis: TestRedis;
let upstream: Upstream;
let fleet: Fleet;
let admin: RespClient;

before(async () => {
  redis = await startTestRedis();
  upstream = await startUpstream('orders');
  fleet = await startFleet({
    count: 3,
    config: {
      upstreams: [{ name: 'orders', targets: [{ url: upstream.url }] }],
      routes: [
        {
          name: 'orders',
          match: { paths: ['/orders/*'] },
          upstream: 'orders',
          // Bronze: 1,000 per minute.
          policies: [{ type: 'rate-limit', tier: 'Bronze' }],
        },
      ],
      // A generous store timeout: this test is about counting, and the three gateways share
      // the test's event loop with its load; failover has its own test.
      rateLimit: { store: { redis: redis.url, timeoutMs: 2000 }, instances: 3 },
    },
  });
  const endpoint = parseRedisUrl(redis.url);
  assert.ok(typeof endpoint !== 'string');
  admin = new RespClient({ endpoint, timeoutMs: 2000 });
});

after(async () => {
  admin.close();
  await fleet.close();
  await upstream.close();
  await redis.close();
});

test('three gateways sharing one Redis allow 1,000 of 3,000 requests in a minute (within 1 %)', async (context) => {
  const urls = fleet.gateways.map((gateway) => gateway.url);
  await eventually(
    () => admin.state === 'ready' && fleet.gateways.every((g) => g.rateLimitMode() === 'store'),
  );
  // The minute must not turn while the 3,000 requests are counted; see inOneWindow. Each
  // attempt starts from empty counters.
  const answers = await inOneWindow(60_000, async () => {
    await admin.command(['FLUSHALL']);
    return sendSpread({ urls, path: '/orders/1', total: 3000, inFlight: 30 });
  });
  const allowed = answers.filter((answer) => answer.status === 200).length;
  const refused = answers.filter((answer) => answer.status === 429);
  context.diagnostic(`allowed ${allowed} of 3000 across 3 gateways`);
  assert.ok(allowed >= 990 && allowed <= 1010, `allowed ${allowed}, wanted 1,000 ± 1 %`);
  assert.equal(allowed, 1000, 'an atomic shared counter is exact');
  assert.equal(refused.length, 3000 - allowed, 'every other request was refused with 429');
  for (const answer of refused) {
    assert.equal(answer.headers.get('ratelimit-limit'), '1000');
    assert.equal(answer.headers.get('ratelimit-remaining'), '0');
    assert.equal(answer.headers.get('ratelimit-policy'), '1000;w=60');
    const retryAfter = Number(answer.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60);
    assert.equal(JSON.parse(answer.body).code, 'EXO_GATEWAY_RATE_LIMITED');
  }
  // Each gateway served part of the quota: the counting was shared, not one gateway's own.
  const perGateway = urls.map(
    (_, index) =>
      answers.filter((answer, position) => position % 3 === index && answer.status === 200).length,
  );
  context.diagnostic(`allowed per gateway: ${perGateway.join(', ')}`);
  assert.ok(perGateway.every((count) => count > 0));
  for (const gateway of fleet.gateways) {
    const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    assert.doesNotMatch(
      metrics,
      /exo_gateway_ratelimit_store_errors_total\{[^}]*\} [1-9]/,
      'no check fell back to local counting',
    );
  }
});
