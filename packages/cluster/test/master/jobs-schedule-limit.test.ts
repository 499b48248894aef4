import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCluster, type TestCluster } from '../helpers/cluster.js';

const run = { cmd: 'true', cpus: 0.1, mem: 16, disk: 0 };

/** A job has at most one schedule, as Metronome's JobSpec validator and schedule API allow. */
describe('one schedule per job', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ agents: 0 });
  });
  after(async () => {
    await cluster.close();
  });

  test('a second POST /v1/jobs/{id}/schedules is a 409; the same id first says so', async () => {
    await cluster.api('POST', '/v1/jobs', { id: 'limit-post', run });
    const first = await cluster.api('POST', '/v1/jobs/limit-post/schedules', {
      id: 'nightly',
      cron: '0 2 * * *',
    });
    assert.equal(first.status, 201);
    const second = await cluster.api<Record<string, unknown>>(
      'POST',
      '/v1/jobs/limit-post/schedules',
      { id: 'hourly', cron: '0 * * * *' },
    );
    assert.equal(second.status, 409, JSON.stringify(second.body));
    assert.equal(second.body.code, 'EXO_SCHEDULE_LIMIT');
    assert.equal(second.body.message, 'Only one schedule supported at the moment');
    const again = await cluster.api<Record<string, unknown>>(
      'POST',
      '/v1/jobs/limit-post/schedules',
      { id: 'nightly', cron: '0 3 * * *' },
    );
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'EXO_SCHEDULE_EXISTS');
    assert.equal(again.body.message, 'A schedule with id nightly already exists');
    const listed = await cluster.api<{ id: string }[]>('GET', '/v1/jobs/limit-post/schedules');
    assert.deepEqual(
      listed.body.map((s) => s.id),
      ['nightly'],
    );
    // Once removed, another can be added.
    await cluster.api('DELETE', '/v1/jobs/limit-post/schedules/nightly');
    const replaced = await cluster.api('POST', '/v1/jobs/limit-post/schedules', {
      id: 'hourly',
      cron: '0 * * * *',
    });
    assert.equal(replaced.status, 201);
  });

  test('a job body with two schedules is a 422 at /schedules (POST v1, POST v0)', async () => {
    const schedules = [
      { id: 'nightly', cron: '0 2 * * *' },
      { id: 'hourly', cron: '0 * * * *' },
    ];
    for (const path of ['/v1/jobs', '/v0/scheduled-jobs']) {
      const posted = await cluster.api<{ code: string; details: { path: string }[] }>(
        'POST',
        path,
        { id: 'limit-body', run, schedules },
      );
      assert.equal(posted.status, 422, path);
      assert.equal(posted.body.code, 'EXO_JOB_INVALID');
      assert.deepEqual(
        posted.body.details.map((d) => d.path),
        ['/schedules'],
      );
      assert.equal((await cluster.api('GET', '/v1/jobs/limit-body')).status, 404);
    }
  });
});
