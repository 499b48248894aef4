import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMasterMemoryBench } from '../run.js';

void test('the master memory benchmark runs every task at small scale', async () => {
  const result = await runMasterMemoryBench({
    agents: 50,
    apps: 5,
    instances: 100,
    steadyRounds: 4,
  });
  assert.equal(result.tasks, 500);
  assert.equal(result.running, 500);
  assert.ok(result.heapUsedBytes > 0);
  assert.ok(result.meanRoundMs >= 0);
});
