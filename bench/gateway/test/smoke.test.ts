import assert from 'node:assert/strict';
import { test } from 'node:test';
import { missingTools, runProxyBench, runReloadBench } from '../run.js';

const reason = missingTools();

test('gateway bench runs at tiny scale', { skip: reason }, async () => {
  const proxy = await runProxyBench({ durationSeconds: 1, connections: 4, rounds: 1 });
  assert.ok(proxy.gateway.requestsPerSecond > 0 && proxy.nginx.requestsPerSecond > 0);
  assert.equal(proxy.gateway.errors, 0);
  assert.ok(proxy.ratio > 0);
  // (b): the key is accepted and the rate limit never refuses, on both proxies.
  assert.equal(proxy.auth.gateway.errors, 0);
  assert.equal(proxy.auth.nginx.errors, 0);
  assert.ok(proxy.auth.ratio > 0);
  assert.equal(proxy.analyticsOff.plain.errors, 0);
  assert.ok(proxy.analyticsRecorded > 0);
  const reload = await runReloadBench({ routes: 200 });
  assert.equal(reload.failedDuringReload, 0);
  assert.ok(reload.requestsDuringReload > 0);
});
