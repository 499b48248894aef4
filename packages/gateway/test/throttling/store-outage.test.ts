import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RespClient, parseRedisUrl } from '../../src/policies/throttling/index.js';
import { eventually, startUpstream } from '../helpers.js';
import { inOneWindow, sendSpread, startFleet } from './fleet.js';
import { startTestRedis } from './redis-server.js';

/**
 * The shared store fails and comes back: two gateways (instances: 2) share a tier of 10 per
 * hour. While Redis is down each gateway allows 10 / 2 = 5 on its own; once it is back, counting
 * is shared again. The scenario starts fresh on each attempt and must sit inside one hour.
 */
test('when Redis dies, each gateway limits alone at limit / instances; when it returns, counting is shared again', async () => {
  await inOneWindow(3_600_000, async () => {
    const redis = await startTestRedis();
    const upstream = await startUpstream('orders');
    const fleet = await startFleet({
      count: 2,
      recordLogs: true,
      config: {
        tiers: { Ten: { requestsPerHour: 10 } },
        upstreams: [{ name: 'orders', targets: [{ url: upstream.url }] }],
        routes: [
          {
            name: 'orders',
            match: { paths: ['/orders/*'] },
            upstream: 'orders',
            policies: [{ type: 'rate-limit', tier: 'Ten' }],
          },
        ],
        rateLimit: { store: { redis: redis.url, timeoutMs: 200 }, instances: 2 },
      },
    });
    const [first, second] = fleet.gateways as [
      (typeof fleet.gateways)[0],
      (typeof fleet.gateways)[0],
    ];
    const urls = [first.url, second.url];
    const statuses = async (url: string, total: number) =>
      (await sendSpread({ urls: [url], path: '/orders/1', total, inFlight: 1 })).map(
        (answer) => answer.status,
      );
    try {
      await eventually(() => fleet.gateways.every((g) => g.rateLimitMode() === 'store'));

      // Shared: six requests over both gateways leave four, whichever gateway is asked.
      const shared = await sendSpread({ urls, path: '/orders/1', total: 6, inFlight: 1 });
      assert.deepEqual(
        shared.map((answer) => answer.status),
        [200, 200, 200, 200, 200, 200],
      );
      assert.equal(shared.at(-1)!.headers.get('ratelimit-remaining'), '4');

      await redis.kill();
      await eventually(() => fleet.gateways.every((g) => g.rateLimitMode() === 'fallback'));
      // Requests keep being served, each gateway allowing 5 of its own.
      for (const url of urls) {
        const answers = await sendSpread({ urls: [url], path: '/orders/1', total: 7, inFlight: 1 });
        assert.deepEqual(
          answers.map((answer) => answer.status),
          [200, 200, 200, 200, 200, 429, 429],
        );
        assert.equal(answers[0]!.headers.get('ratelimit-limit'), '5');
      }
      const metrics = await (await fetch(`${first.adminUrl}/metrics`)).text();
      assert.match(
        metrics,
        /exo_gateway_ratelimit_store_errors_total\{reason="unavailable"\} ([1-9]\d*)/,
      );
      const outageLines = fleet.logLines.filter((line) => line.includes('store unreachable'));
      assert.equal(outageLines.length, 2, 'one line per gateway, however many requests');

      await redis.start();
      await eventually(() => fleet.gateways.every((g) => g.rateLimitMode() === 'store'), 10_000);
      // The restarted Redis is empty: a fresh shared quota of 10 over both gateways.
      assert.deepEqual(await statuses(first.url, 6), [200, 200, 200, 200, 200, 200]);
      assert.deepEqual(await statuses(second.url, 6), [200, 200, 200, 200, 429, 429]);
      const restored = fleet.logLines.filter((line) => line.includes('reachable again'));
      assert.equal(restored.length, 2);
    } finally {
      await fleet.close();
      await upstream.close();
      await redis.close();
    }
  });
});

/**
 * A store that is slow rather than gone: the server is frozen (DEBUG SLEEP) while a request
 * arrives. The gateway gives up on it after `timeoutMs` and answers from the fallback, before the
 * server even wakes; afterwards counting is shared again.
 */
test('a request never waits for a frozen Redis beyond the store timeout', async () => {
  const redis = await startTestRedis();
  const upstream = await startUpstream('orders');
  const fleet = await startFleet({
    count: 1,
    config: {
      upstreams: [{ name: 'orders', targets: [{ url: upstream.url }] }],
      routes: [
        {
          name: 'orders',
          match: { paths: ['/orders/*'] },
          upstream: 'orders',
          policies: [{ type: 'rate-limit', tier: 'Gold' }],
        },
      ],
      rateLimit: { store: { redis: redis.url, timeoutMs: 50 }, instances: 2 },
    },
  });
  const gateway = fleet.gateways[0]!;
  const endpoint = parseRedisUrl(redis.url);
  assert.ok(typeof endpoint !== 'string');
  const admin = new RespClient({ endpoint, timeoutMs: 5000 });
  try {
    await eventually(() => admin.state === 'ready' && gateway.rateLimitMode() === 'store');
    const order: string[] = [];
    const frozen = admin.command(['DEBUG', 'SLEEP', '1']).then(() => order.push('redis awake'));
    const response = await fetch(`${gateway.url}/orders/1`);
    order.push('answered');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('ratelimit-limit'), '2500', 'decided by the fallback');
    await frozen;
    assert.deepEqual(order, ['answered', 'redis awake']);
    const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    assert.match(metrics, /exo_gateway_ratelimit_store_errors_total\{reason="timeout"\} 1/);
    await eventually(() => gateway.rateLimitMode() === 'store', 10_000);
    const shared = await fetch(`${gateway.url}/orders/1`);
    assert.equal(shared.status, 200);
    assert.equal(shared.headers.get('ratelimit-limit'), '5000', 'the whole limit, shared again');
  } finally {
    admin.close();
    await fleet.close();
    await upstream.close();
    await redis.close();
  }
});
