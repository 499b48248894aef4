import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBurstBench, runRoundBench } from '../run.js';

void test('the job burst benchmark runs every job at small scale', async () => {
  const result = await runBurstBench({ jobs: 50, agents: 3 });
  assert.equal(result.active, 50);
  assert.ok(result.dueToAllRunningSimulatedMs >= 0);
  assert.ok(result.masterRealMs > 0);
});

void test('the job round benchmark times rounds at small scale', async () => {
  const result = await runRoundBench({ schedules: 200, due: 5, rounds: 3 });
  assert.equal(result.schedules, 200);
  assert.ok(result.meanRoundMs > 0);
  assert.ok(result.heapUsedBytes > 0);
});
