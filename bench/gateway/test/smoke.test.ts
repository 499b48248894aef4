import assert from 'node:assert/strict';
import { test } from 'node:test';
import { missingTools, runProxyBench, runReloadBench } from '../run.js';

const reason = missingTools();

test('gateway bench runs at tiny scale', { skip: reason }, async () => {
  const proxy = await runProxyBench({
    durationSeconds: 1,
    connections: 4,
    rounds: 1,
    analyticsOff: true,
  });
  const { rows } = proxy;
  for (const row of [
    rows.nginxPlain,
    rows.gatewayPlain,
    rows.undiciPlain,
    rows.nginxAuth,
    rows.gatewayAuth,
    rows.gatewayPlainAnalyticsOff,
    rows.gatewayAuthAnalyticsOff,
  ]) {
    assert.ok(row && row.requestsPerSecond > 0);
    // (b): the key is accepted and the rate limit never refuses, on both proxies.
    assert.equal(row.errors, 0);
  }
  assert.ok(proxy.ratios.plain > 0 && proxy.ratios.auth > 0 && proxy.ratios.undici > 0);
  assert.ok(proxy.analyticsRecorded > 0);
  const reload = await runReloadBench({ routes: 200 });
  assert.equal(reload.failedDuringReload, 0);
  assert.ok(reload.requestsDuringReload > 0);
});
