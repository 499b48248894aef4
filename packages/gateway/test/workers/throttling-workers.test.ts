import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MetricsRegistry, VirtualClock, silentLogger } from '@exosphere/common';
import { ThrottlingService } from '../../src/policies/throttling/throttling-service.js';
import { rateLimitSettingsSchema } from '../../src/policies/throttling/settings.js';

/**
 * A worker's throttling service whose primary never answers: the lease requester stands in
 * for the IPC channel (cluster.test.ts runs the real one), rejecting as its timeout would.
 */
test('a worker whose primary does not answer allows limit / workers, and counts it', async () => {
  const registry = new MetricsRegistry();
  const service = new ThrottlingService({
    clock: new VirtualClock(0),
    logger: silentLogger(),
    registry,
    workers: {
      count: 4,
      lease: () => Promise.reject(new Error('the primary did not answer lease within 1000 ms')),
    },
  });
  service.configure(rateLimitSettingsSchema.parse({}));
  const limits = [{ limit: 100, windowMs: 60_000 }];
  let allowed = 0;
  for (let i = 0; i < 60; i++) if ((await service.check('route:orders', limits)).allowed) allowed++;
  assert.equal(allowed, 25);
  assert.match(
    registry.render(),
    /exo_gateway_ratelimit_store_errors_total\{reason="primary"\} 60/,
  );
  assert.equal(service.mode, 'local');
  service.close();
});
