import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchDelayMs } from '../../src/core/backoff.js';

test('backoff grows by backoffFactor per consecutive failure, capped at maxLaunchDelaySeconds', () => {
  const policy = { backoffSeconds: 1, backoffFactor: 1.15, maxLaunchDelaySeconds: 300 };
  assert.equal(launchDelayMs(0, policy), 0);
  assert.equal(launchDelayMs(1, policy), 1000);
  assert.equal(launchDelayMs(2, policy), 1150);
  assert.equal(launchDelayMs(3, policy), Math.round(1000 * Math.pow(1.15, 2)));
  assert.equal(launchDelayMs(200, policy), 300_000);
  assert.equal(
    launchDelayMs(5, { backoffSeconds: 2, backoffFactor: 2, maxLaunchDelaySeconds: 10 }),
    10_000,
  );
});
