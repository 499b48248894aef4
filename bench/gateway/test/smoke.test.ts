import assert from 'node:assert/strict';
import { test } from 'node:test';
import { missingTools, runProxyBench, runReloadBench } from '../run.js';

const reason = missingTools();

test('gateway bench runs at tiny scale', { skip: reason }, async () => {
  const proxy = await runProxyBench({ durationSeconds: 1, connections: 4 });
  assert.ok(proxy.gateway.requestsPerSecond > 0 && proxy.nginx.requestsPerSecond > 0);
  assert.equal(proxy.gateway.errors, 0);
  assert.ok(proxy.ratio > 0);
  const reload = await runReloadBench({ routes: 200 });
  assert.equal(reload.failedDuringReload, 0);
  assert.ok(reload.requestsDuringReload > 0);
});
