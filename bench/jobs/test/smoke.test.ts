import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBurstBench, runRoundBench } from '../run.js';
import { runScheduleBench } from '../schedules.js';

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

void test('the schedule arithmetic benchmark compares both sides at small scale', () => {
  const result = runScheduleBench({ schedules: 20, seed: 7, rounds: 1 });
  assert.equal(result.schedules, 20);
  assert.ok(result.computations > 20 * 1000, 'each schedule is asked every 6 hours of a year');
  assert.ok(result.exosphereUs > 0 && result.cronerUs > 0);
});
