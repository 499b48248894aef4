import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCluster, waitFor, type TestCluster } from '../helpers/cluster.js';
import { jobFixtures, scheduleFixtures } from './compat/job-fixtures.js';
import { assertIncludes, assertInvalid, request } from './compat/helpers.js';

describe('Metronome job JSON as users wrote it, against a real master and agent', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ agents: 1 });
  });
  after(async () => {
    await cluster.close();
  });
  const call = (method: string, path: string, body?: unknown) =>
    request(cluster.url, method, path, body);

  for (const fixture of jobFixtures) {
    test(`${fixture.name}: POST → ${fixture.status}`, async () => {
      const posted = await call('POST', '/v1/jobs', fixture.body);
      if (fixture.status === 422) {
        assertInvalid(posted, fixture.paths ?? []);
        return;
      }
      assert.equal(posted.status, 201, JSON.stringify(posted.body));
      const id = fixture.body.id as string;
      const got = (await call('GET', `/v1/jobs/${id}?embed=schedules`)).body;
      assertIncludes(got, fixture.shows ?? {});

      // GET /v1/jobs/{id} with every embed, PUT back unchanged: accepted, nothing changes.
      const full = (
        await call(
          'GET',
          `/v1/jobs/${id}?embed=activeRuns&embed=schedules&embed=history&embed=historySummary`,
        )
      ).body;
      const put = await call('PUT', `/v1/jobs/${id}`, full);
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.deepEqual((await call('GET', `/v1/jobs/${id}?embed=schedules`)).body, got);
      assert.equal((await call('DELETE', `/v1/jobs/${id}`)).status, 200);
    });
  }

  test('schedules as users wrote them: POST, GET, PUT back', async () => {
    const job = await call('POST', '/v1/jobs', {
      id: 'compat-schedules',
      run: { cmd: 'true', cpus: 0.1, mem: 32, disk: 0 },
    });
    assert.equal(job.status, 201);
    for (const fixture of scheduleFixtures) {
      const posted = await call('POST', '/v1/jobs/compat-schedules/schedules', fixture.body);
      if (fixture.status === 422) {
        assertInvalid(posted, fixture.paths ?? []);
        continue;
      }
      assert.equal(posted.status, 201, `${fixture.name}: ${JSON.stringify(posted.body)}`);
      const id = fixture.body.id as string;
      const got = (await call('GET', `/v1/jobs/compat-schedules/schedules/${id}`)).body;
      assertIncludes(got, fixture.body);
      for (const field of [
        'timezone',
        'startingDeadlineSeconds',
        'concurrencyPolicy',
        'enabled',
        'nextRunAt',
      ])
        assert.ok(field in got, `${fixture.name}: the schedule shows ${field}`);
      const put = await call('PUT', `/v1/jobs/compat-schedules/schedules/${id}`, got);
      assert.equal(put.status, 200, `${fixture.name}: ${JSON.stringify(put.body)}`);
      const list = (await call('GET', '/v1/jobs?embed=schedules')).body as {
        id: string;
        schedules: { id: string }[];
      }[];
      const entry = list.find((j) => j.id === 'compat-schedules')!;
      assert.deepEqual(
        entry.schedules.map((s) => s.id),
        [id],
      );
      // A job has one schedule at most, as in Metronome: make room for the next fixture.
      assert.equal((await call('DELETE', `/v1/jobs/compat-schedules/schedules/${id}`)).status, 200);
    }
    await call('DELETE', '/v1/jobs/compat-schedules');
  });

  test('a schedule with both day fields runs when both match (Friday the 13th)', async () => {
    const job = await call('POST', '/v1/jobs', {
      id: 'compat-friday13',
      run: { cmd: 'true', cpus: 0.1, mem: 32, disk: 0 },
      schedules: [{ id: 'unlucky', cron: '0 0 13 * 5' }],
    });
    assert.equal(job.status, 201, JSON.stringify(job.body));
    const schedule = (await call('GET', '/v1/jobs/compat-friday13/schedules/unlucky')).body as {
      nextRunAt: string;
    };
    const next = new Date(schedule.nextRunAt);
    assert.equal(next.getUTCDate(), 13, schedule.nextRunAt);
    assert.equal(next.getUTCDay(), 5, schedule.nextRunAt);
    await call('DELETE', '/v1/jobs/compat-friday13');
  });

  test('a job with run.args runs to SUCCESS and shows in history', async () => {
    const posted = await call('POST', '/v1/jobs', {
      id: 'compat-runs-args',
      description: 'prints the date',
      run: { args: ['/bin/sh', '-c', 'date; exit 0'], cpus: 0.05, mem: 32, disk: 0 },
    });
    assert.equal(posted.status, 201);
    const run = await call('POST', '/v1/jobs/compat-runs-args/runs');
    assert.equal(run.status, 201);
    assert.equal(run.body.jobId, 'compat-runs-args');
    for (const field of ['id', 'status', 'createdAt', 'completedAt', 'tasks'])
      assert.ok(field in run.body, `a run shows ${field}`);
    await waitFor(
      async () =>
        (await call('GET', '/v1/jobs/compat-runs-args?embed=historySummary')).body.historySummary
          .successCount === 1,
      20_000,
      'the run to succeed',
    );
    const history = (await call('GET', '/v1/jobs/compat-runs-args?embed=history')).body.history;
    assert.equal(history.successfulFinishedRuns[0].id, run.body.id);
    await call('DELETE', '/v1/jobs/compat-runs-args');
  });
  test("Metronome's v0 scheduled-jobs API: a job with its schedules, created and replaced", async () => {
    const job = (cron: string) => ({
      id: 'compat-v0',
      run: { cmd: 'true', cpus: 0.01, mem: 32, disk: 0 },
      schedules: [{ id: 'nightly', cron, timezone: 'Europe/Berlin', concurrencyPolicy: 'ALLOW' }],
    });
    const posted = await call('POST', '/v0/scheduled-jobs', job('0 2 * * *'));
    assert.equal(posted.status, 201, JSON.stringify(posted.body));
    assert.equal(posted.body.schedules[0].cron, '0 2 * * *');
    const put = await call('PUT', '/v0/scheduled-jobs/compat-v0', job('30 3 * * *'));
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const schedules = (await call('GET', '/v1/jobs/compat-v0/schedules')).body;
    assert.equal(schedules.length, 1);
    assert.equal(schedules[0].cron, '30 3 * * *');
    assert.equal(schedules[0].timezone, 'Europe/Berlin');
    await call('DELETE', '/v1/jobs/compat-v0');
  });
});
