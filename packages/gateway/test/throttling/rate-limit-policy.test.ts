import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { VirtualClock, silentLogger } from '@exosphere/common';
import {
  GatewayErrors,
  startGateway,
  validateConfig,
  type RunningGateway,
} from '../../src/index.js';
import {
  LocalWindowLimiter,
  RateLimitPolicy,
  rateLimitedCode,
} from '../../src/policies/throttling/index.js';
import { generateApiKey } from '../../src/policies/security/index.js';
import { getJson, startUpstream, type Upstream } from '../helpers.js';

/** 15 s into a minute, so every Reset and Retry-After below is exactly 45. */
const startMs = Date.UTC(2026, 0, 1, 0, 0, 15);

describe('rate-limit policies through a gateway (in-memory counters)', () => {
  let upstream: Upstream;
  let gateway: RunningGateway;
  let home: string;
  let configPath: string;
  const clock = new VirtualClock(startMs);
  const shop = generateApiKey({ id: 'shop' });
  const partner = generateApiKey({ id: 'partner' });

  before(async () => {
    upstream = await startUpstream('orders');
    home = await mkdtemp(join(tmpdir(), 'exo-gateway-rate-'));
    configPath = join(home, 'gateway.yaml');
    await writeFile(
      configPath,
      JSON.stringify({
        tiers: { Three: { requestsPerMinute: 3 }, Two: { requestsPerMinute: 2, burst: 2 } },
        upstreams: [{ name: 'orders', targets: [{ url: upstream.url }] }],
        routes: [
          {
            name: 'limited',
            match: { paths: ['/limited/*'] },
            upstream: 'orders',
            policies: [{ type: 'rate-limit', tier: 'Three' }],
          },
          {
            name: 'per-application',
            match: { paths: ['/apps/*'] },
            upstream: 'orders',
            policies: [
              {
                type: 'api-key',
                keys: [
                  { id: shop.id, hash: shop.hash, application: 'shop-web' },
                  { id: partner.id, hash: partner.hash, application: 'partner' },
                ],
              },
              { type: 'rate-limit', tier: 'Two', per: 'application' },
            ],
          },
          {
            name: 'unlimited',
            match: { paths: ['/free/*'] },
            upstream: 'orders',
            policies: [{ type: 'rate-limit', tier: 'Unlimited' }],
          },
        ],
      }),
    );
    gateway = await startGateway({ home, configPath, clock, logger: silentLogger() });
  });

  after(async () => {
    await gateway.close();
    await upstream.close();
    await rm(home, { recursive: true, force: true });
  });

  test('allowed responses carry RateLimit-*; past the limit 429 with Retry-After and the JSON error', async () => {
    assert.equal(gateway.rateLimitMode(), 'local');
    for (const remaining of [2, 1, 0]) {
      const response = await getJson(`${gateway.url}/limited/1`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('ratelimit-limit'), '3');
      assert.equal(response.headers.get('ratelimit-remaining'), String(remaining));
      assert.equal(response.headers.get('ratelimit-reset'), '45');
      assert.equal(response.headers.get('ratelimit-policy'), '3;w=60');
      assert.equal(response.headers.get('retry-after'), null);
    }
    const hits = upstream.hits.length;
    const refused = await getJson(`${gateway.url}/limited/1`);
    assert.equal(refused.status, 429);
    assert.equal(upstream.hits.length, hits, 'a refused request does not reach the upstream');
    assert.equal(refused.body.code, 'EXO_GATEWAY_RATE_LIMITED');
    assert.match(refused.body.message, /tier Three/);
    assert.equal(refused.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(refused.headers.get('retry-after'), '45');
    assert.equal(refused.headers.get('ratelimit-limit'), '3');
    assert.equal(refused.headers.get('ratelimit-remaining'), '0');
    assert.equal(refused.headers.get('ratelimit-reset'), '45');

    await clock.advance(45_000);
    const next = await getJson(`${gateway.url}/limited/1`);
    assert.equal(next.status, 200, 'a new minute has a new quota');
    assert.equal(next.headers.get('ratelimit-remaining'), '2');
    assert.equal(next.headers.get('ratelimit-reset'), '60');
  });

  test('per application: each consumer has its own counter; headers follow the closest window', async () => {
    const as = (key: string) => ({ headers: { apikey: key } });
    const first = await getJson(`${gateway.url}/apps/1`, as(shop.key));
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('ratelimit-policy'), '2;w=1, 2;w=60');
    assert.equal(first.headers.get('ratelimit-remaining'), '1');
    assert.equal(first.headers.get('ratelimit-reset'), '60', 'of the minute, the later reset');
    assert.equal((await getJson(`${gateway.url}/apps/1`, as(shop.key))).status, 200);
    const refused = await getJson(`${gateway.url}/apps/1`, as(shop.key));
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '60');
    assert.equal((await getJson(`${gateway.url}/apps/1`, as(partner.key))).status, 200);
    const unauthenticated = await getJson(`${gateway.url}/apps/1`);
    assert.equal(unauthenticated.status, 401, 'authentication runs first');
  });

  test('an Unlimited tier never refuses and adds no headers', async () => {
    for (let index = 0; index < 20; index++) {
      const response = await getJson(`${gateway.url}/free/1`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('ratelimit-limit'), null);
    }
  });

  test('a reload applies a changed tier and keeps the counts of the current window', async () => {
    const config = JSON.parse(await readFile(configPath, 'utf8')) as {
      tiers: Record<string, unknown>;
    };
    config.tiers['Three'] = { requestsPerMinute: 5 };
    await writeFile(configPath, JSON.stringify(config));
    assert.equal((await gateway.reload()).ok, true);
    const response = await getJson(`${gateway.url}/limited/1`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('ratelimit-limit'), '5');
    assert.equal(response.headers.get('ratelimit-remaining'), '3', 'one counted before the reload');
  });

  test('decisions are counted per policy in the metrics', async () => {
    const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    assert.match(
      metrics,
      /exo_gateway_ratelimit_requests_total\{per="route",result="limited",route="limited",tier="Three"\} 1/,
    );
    assert.match(
      metrics,
      /exo_gateway_ratelimit_requests_total\{per="route",result="allowed",route="limited",tier="Three"\} 5/,
    );
  });
});

describe('rate-limit configuration', () => {
  const base = {
    upstreams: [{ name: 'u', targets: [{ url: 'http://127.0.0.1:1' }] }],
  };

  test('the error code is registered with status 429', () => {
    assert.equal(GatewayErrors[rateLimitedCode].status, 429);
  });

  test('unknown tiers, bad tiers and bad store settings are reported with their paths', () => {
    const result = validateConfig({
      ...base,
      tiers: { Empty: {}, Both: { requestsPerSecond: 5, burst: 2 } },
      rateLimit: { store: { redis: 'http://cache' }, instances: 0 },
      routes: [
        {
          name: 'r',
          match: { paths: ['/x'] },
          upstream: 'u',
          policies: [{ type: 'rate-limit', tier: 'Platinum', per: 'planet' }],
        },
      ],
    });
    assert.equal(result.ok, false);
    const paths = result.ok ? [] : result.errors.map((error) => error.path);
    for (const path of [
      '/tiers/Empty',
      '/tiers/Both/burst',
      '/rateLimit/store/redis',
      '/rateLimit/instances',
      '/routes/0/policies/0/per',
    ])
      assert.ok(paths.includes(path), `${path} in ${paths.join(' ')}`);

    const unknown = validateConfig({
      ...base,
      routes: [
        {
          name: 'r',
          match: { paths: ['/x'] },
          upstream: 'u',
          policies: [{ type: 'rate-limit', tier: 'Platinum' }],
        },
      ],
    });
    assert.equal(unknown.ok, false);
    assert.deepEqual(unknown.ok ? [] : unknown.errors, [
      {
        path: '/routes/0/policies/0/tier',
        errors: ["unknown tier 'Platinum'; known tiers: Bronze, Gold, Silver, Unlimited"],
      },
    ]);
  });

  test('defaults: built-in tiers, in-memory counters, one instance', () => {
    const result = validateConfig({
      ...base,
      routes: [
        {
          name: 'r',
          match: { paths: ['/x'] },
          upstream: 'u',
          policies: [{ type: 'rate-limit', tier: 'Gold', per: 'subscription' }],
        },
      ],
    });
    assert.ok(result.ok);
    assert.deepEqual(result.config.tiers, {});
    assert.deepEqual(result.config.rateLimit, { instances: 1, localKeysMax: 100_000 });
  });
});

describe('rate-limit counter keys', () => {
  test('per application: the same name as application, credential or subject, or several applications, never share a counter', () => {
    const limiter = new LocalWindowLimiter({ clock: new VirtualClock(startMs), keysMax: 100 });
    const policy = new RateLimitPolicy({ tier: 'One', per: 'application' });
    policy.bind({ limiter, windows: [{ limit: 1, windowMs: 60_000 }], onDecision: () => {} });
    const request = (attribute: string, value: string) => ({
      method: 'GET',
      path: '/',
      query: new URLSearchParams(),
      headers: {},
      remoteAddress: '127.0.0.1',
      routeName: 'r',
      attributes: new Map<string, unknown>([[attribute, value]]),
      upstreamHeaders: { set: () => {}, remove: () => {} },
    });
    const allowed = (attribute: string, value: string): boolean =>
      policy.onRequest(request(attribute, value)) === undefined;
    for (const [attribute, value] of [
      ['application', 'x'],
      ['credential', 'x'],
      ['subject', 'x'],
      ['application', 'y'],
    ] as const) {
      assert.equal(allowed(attribute, value), true, `${attribute} ${value}: first request`);
      assert.equal(allowed(attribute, value), false, `${attribute} ${value}: over its limit`);
    }
  });
});
