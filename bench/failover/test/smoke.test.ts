import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runFailoverBench } from '../run.js';

// The benchmark's figures live in its README; this only checks that it runs end to end
// (one failover with real processes) so the benchmark cannot rot unnoticed.
test('the failover benchmark runs one failover end to end', async () => {
  const result = await runFailoverBench({
    runs: 1,
    agentTimeoutMs: 3000,
    heartbeatIntervalMs: 500,
  });
  assert.equal(result.runsMs.length, 1);
  assert.ok(result.runsMs[0]! > 0);
});
