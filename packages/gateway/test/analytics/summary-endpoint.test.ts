import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Summary } from '../../src/analytics/summary.js';
import { generateApiKey } from '../../src/policies/security/api-key.js';
import {
  getJson,
  startTestGateway,
  startUpstream,
  type TestGateway,
  type Upstream,
} from '../helpers.js';

const slowMs = 40;
const payload = 'x'.repeat(2000);

describe('GET /analytics/summary through a real gateway', () => {
  let upstream: Upstream;
  let gateway: TestGateway;
  const key = generateApiKey({ id: 'shop-1' });

  before(async () => {
    upstream = await startUpstream('origin', (request, response) => {
      const answer = (status: number): void => {
        response.writeHead(status, { 'content-length': payload.length });
        response.end(payload);
      };
      if (request.url?.startsWith('/orders/slow')) setTimeout(() => answer(200), slowMs);
      else if (request.url?.startsWith('/orders/missing')) answer(404);
      else if (request.url?.startsWith('/orders/broken')) answer(500);
      else answer(200);
    });
    gateway = await startTestGateway({
      upstreams: [{ name: 'origin', targets: [{ url: upstream.url }], retries: { count: 0 } }],
      routes: [
        {
          name: 'orders',
          match: { paths: ['/orders/{id}'] },
          upstream: 'origin',
          policies: [
            { type: 'api-key', keys: [{ id: key.id, hash: key.hash, application: 'shop' }] },
          ],
        },
        { name: 'public', match: { paths: ['/public/*'] }, upstream: 'origin' },
      ],
      analytics: { drainIntervalMs: 20 },
    });
    const call = async (path: string, withKey = true): Promise<number> => {
      const response = await fetch(`${gateway.url}${path}`, {
        headers: withKey ? { apikey: key.key } : {},
      });
      await response.arrayBuffer();
      return response.status;
    };
    const calls: Array<Promise<number>> = [];
    for (let i = 0; i < 20; i++) calls.push(call(`/orders/${i}`));
    for (let i = 0; i < 10; i++) calls.push(call('/orders/slow'));
    for (let i = 0; i < 5; i++) calls.push(call('/orders/missing'));
    for (let i = 0; i < 5; i++) calls.push(call('/orders/broken'));
    for (let i = 0; i < 4; i++) calls.push(call('/orders/7', false));
    for (let i = 0; i < 6; i++) calls.push(call(`/public/${i}`, false));
    calls.push(call('/nowhere', false));
    await Promise.all(calls);
  });

  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('groups by route with counts, 4xx and 5xx error rates and latency percentiles', async () => {
    const { status, body } = await getJson(
      `${gateway.adminUrl}/analytics/summary?by=route&window=1h`,
    );
    assert.equal(status, 200);
    const summary = body as Summary;
    assert.equal(summary.by, 'route');
    assert.equal(summary.percentileRelativeError, 0.02);
    const byKey = new Map(summary.groups.map((group) => [group.key, group]));
    const orders = byKey.get('orders')!;
    const p99 = orders.total.latencyMs.p99 ?? NaN;
    const p50 = orders.total.latencyMs.p50 ?? NaN;
    // 20 fast + 10 slow + 5 missing + 5 broken + 4 without a key.
    assert.equal(orders.total.count, 44);
    assert.equal(orders.total.errors4xx, 9);
    assert.equal(orders.total.errors5xx, 5);
    assert.equal(orders.total.errorRate5xx, 5 / 44);
    // 10 of 44 calls waited ≥ 40 ms upstream: the 99th percentile is one of them, the median not.
    assert.ok(p99 >= slowMs * 0.98, `p99 ${p99}`);
    assert.ok(p50 < slowMs, `p50 ${p50}`);
    assert.ok((orders.total.upstreamLatencyMeanMs ?? 0) > 0);
    // Every answer but the gateway's own four 401s carried the 2,000-byte body.
    assert.ok(orders.total.responseBytes >= 40 * payload.length, `${orders.total.responseBytes}`);
    assert.ok(orders.total.requestBytes > 44 * 20);
    assert.equal(orders.windows.length, 1);
    assert.equal(byKey.get('public')?.total.count, 6);
    assert.equal(byKey.get('(unmatched)')?.total.count, 1);
  });

  async function countsBy(query: string): Promise<Record<string, number>> {
    const { body } = await getJson(`${gateway.adminUrl}/analytics/summary?${query}`);
    return Object.fromEntries(
      (body as Summary).groups.map((group) => [group.key, group.total.count]),
    );
  }

  it('groups by application and by status', async () => {
    assert.deepEqual(await countsBy('by=application'), { shop: 40, '(none)': 11 });
    assert.deepEqual(await countsBy('by=status&window=5m'), {
      '200': 36,
      '404': 6,
      '500': 5,
      '401': 4,
    });
    assert.deepEqual(Object.keys(await countsBy('by=operation')).sort(), [
      'GET (unmatched)',
      'GET /orders/{id}',
      'GET /public/*',
    ]);
  });

  it('rejects a bad query with a stable code', async () => {
    for (const query of ['by=planet', 'window=7m', 'from=yesterday', 'from=2000&to=1000']) {
      const { status, body: error } = await getJson(
        `${gateway.adminUrl}/analytics/summary?${query}`,
      );
      assert.equal(status, 400, query);
      assert.equal(error.code, 'EXO_GATEWAY_ANALYTICS_QUERY_INVALID', query);
    }
  });

  it('reports its counters in /analytics/status and /metrics', async () => {
    const { body: status } = await getJson(`${gateway.adminUrl}/analytics/status`);
    assert.equal(status.enabled, true);
    assert.equal(status.recorded, 51);
    assert.deepEqual(status.dropped, { queue: 0, sink: 0 });
    assert.equal(status.sql, null);
    const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    assert.match(metrics, /exo_gateway_analytics_recorded_total 51/);
    assert.match(metrics, /exo_gateway_analytics_dropped_total\{stage="queue"\} 0/);
    assert.match(metrics, /exo_gateway_analytics_queue_depth 0/);
  });
});
