import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPlacementBench } from '../run.js';

void test('the placement benchmark places every task at small scale', () => {
  const result = runPlacementBench({ apps: 12, instances: 100, agents: 200 });
  assert.deepEqual(result.shortApps, []);
  assert.equal(result.placed, 1200);
  assert.equal(result.requested, 1200);
  assert.ok(result.placementsPerSecond > 0);
});
