import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCluster, waitFor, type TestCluster } from '../helpers/cluster.js';

/** Metronome's instants: `yyyy-MM-dd'T'HH:mm:ss.SSSZ` in UTC, so they end in `+0000`. */
const metronomeInstant = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;

function assertInstant(value: unknown, what: string): void {
  assert.equal(typeof value, 'string', `${what}: ${JSON.stringify(value)}`);
  assert.match(value as string, metronomeInstant, what);
  assert.ok(!Number.isNaN(Date.parse(value as string)), `${what} parses`);
}

interface RunBody {
  id: string;
  createdAt: string;
  completedAt: string | null;
  tasks: { startedAt: string; completedAt: string | null }[];
}

describe("job JSON renders instants as Metronome's, ending in +0000", () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ agents: 1 });
  });
  after(async () => {
    await cluster.close();
  });

  test('schedules, runs and history', async () => {
    const created = await cluster.api<{ schedules: { nextRunAt: string }[] }>('POST', '/v1/jobs', {
      id: 'dates',
      run: { cmd: 'true', cpus: 0.1, mem: 16, disk: 0 },
      schedules: [{ id: 'nightly', cron: '0 2 * * *' }],
    });
    assert.equal(created.status, 201);
    assertInstant(created.body.schedules[0]?.nextRunAt, 'nextRunAt in the job');
    const schedule = await cluster.api<{ nextRunAt: string }>(
      'GET',
      '/v1/jobs/dates/schedules/nightly',
    );
    assertInstant(schedule.body.nextRunAt, 'nextRunAt');

    const started = await cluster.api<RunBody>('POST', '/v1/jobs/dates/runs');
    assert.equal(started.status, 201);
    assertInstant(started.body.createdAt, 'createdAt of a new run');
    await waitFor(
      async () =>
        (
          await cluster.api<{ history: { successCount: number } }>(
            'GET',
            '/v1/jobs/dates?embed=history',
          )
        ).body.history.successCount === 1,
      15_000,
      'the run to succeed',
    );
    const done = await cluster.api<RunBody>('GET', `/v1/jobs/dates/runs/${started.body.id}`);
    assertInstant(done.body.createdAt, 'createdAt');
    assertInstant(done.body.completedAt, 'completedAt');
    assertInstant(done.body.tasks[0]?.startedAt, 'task startedAt');
    const { body } = await cluster.api<{
      history: {
        lastSuccessAt: string;
        lastFailureAt: string | null;
        successfulFinishedRuns: { createdAt: string; finishedAt: string }[];
      };
      historySummary: { lastSuccessAt: string };
    }>('GET', '/v1/jobs/dates?embed=history&embed=historySummary');
    assertInstant(body.history.lastSuccessAt, 'lastSuccessAt');
    assert.equal(body.history.lastFailureAt, null);
    assertInstant(body.historySummary.lastSuccessAt, 'lastSuccessAt in the summary');
    assertInstant(body.history.successfulFinishedRuns[0]?.createdAt, 'finished run createdAt');
    assertInstant(body.history.successfulFinishedRuns[0]?.finishedAt, 'finished run finishedAt');
  });
});
