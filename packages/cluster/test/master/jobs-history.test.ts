import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCluster, waitFor, type TestCluster } from '../helpers/cluster.js';

describe('job history', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ agents: 1, settings: { jobHistoryMax: 2 } });
  });
  after(async () => {
    await cluster.close();
  });

  test('keeps the configured number of finished runs per outcome, and counts them all', async () => {
    await cluster.api('POST', '/v1/jobs', {
      id: 'counted',
      run: { cmd: 'true', cpus: 0.1, mem: 16 },
    });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await cluster.api<{ id: string }>('POST', '/v1/jobs/counted/runs');
      ids.push(run.body.id);
      await waitFor(
        async () =>
          (
            await cluster.api<{ historySummary: { successCount: number } }>(
              'GET',
              '/v1/jobs/counted?embed=historySummary',
            )
          ).body.historySummary.successCount ===
          i + 1,
        15_000,
        `run ${i + 1}`,
      );
    }
    const { body } = await cluster.api<{
      history: { successCount: number; successfulFinishedRuns: { id: string }[] };
    }>('GET', '/v1/jobs/counted?embed=history');
    assert.equal(body.history.successCount, 3);
    assert.deepEqual(
      body.history.successfulFinishedRuns.map((r) => r.id),
      [ids[2], ids[1]],
      'newest first, the oldest dropped',
    );
  });
});
