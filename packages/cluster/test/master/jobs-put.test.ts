import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCluster, type TestCluster } from '../helpers/cluster.js';

interface JobBody {
  id: string;
  description: string;
  schedules?: { id: string; cron: string }[];
}

const run = { cmd: 'true', cpus: 0.1, mem: 16, disk: 0 };

/**
 * PUT /v1/jobs/{id} as Metronome's JobSpecController.updateJob answers it: the job must exist,
 * the URL names the job, and schedules are left to /v1/jobs/{id}/schedules.
 */
describe('PUT /v1/jobs/{id} and /v0/scheduled-jobs/{id}', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ agents: 0 });
  });
  after(async () => {
    await cluster.close();
  });

  test('a missing job is a 404 with Metronome body, and is not created', async () => {
    const put = await cluster.api<Record<string, unknown>>('PUT', '/v1/jobs/put-missing', {
      id: 'put-missing',
      run,
    });
    assert.equal(put.status, 404, JSON.stringify(put.body));
    assert.equal(put.body.message, 'Job not found');
    assert.equal(put.body.id, 'put-missing');
    assert.equal(put.body.code, 'EXO_JOB_NOT_FOUND');
    assert.equal((await cluster.api('GET', '/v1/jobs/put-missing')).status, 404);
  });

  test('an invalid body is a 422 before the job is looked up', async () => {
    const put = await cluster.api<{ code: string }>('PUT', '/v1/jobs/put-missing-invalid', {
      id: 'put-missing-invalid',
      run: { ...run, cpus: 'many' },
    });
    assert.equal(put.status, 422);
    assert.equal(put.body.code, 'EXO_JOB_INVALID');
  });

  test('schedules in the body are ignored: the job keeps its own', async () => {
    const created = await cluster.api('POST', '/v1/jobs', {
      id: 'put-schedules',
      run,
      schedules: [{ id: 'nightly', cron: '0 2 * * *' }],
    });
    assert.equal(created.status, 201);
    const put = await cluster.api<JobBody>('PUT', '/v1/jobs/put-schedules', {
      id: 'put-schedules',
      description: 'changed',
      run,
      schedules: [{ id: 'hourly', cron: '0 * * * *' }],
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.description, 'changed');
    assert.deepEqual(
      put.body.schedules?.map((s) => [s.id, s.cron]),
      [['nightly', '0 2 * * *']],
    );
    const schedules = await cluster.api<{ id: string }[]>(
      'GET',
      '/v1/jobs/put-schedules/schedules',
    );
    assert.deepEqual(
      schedules.body.map((s) => s.id),
      ['nightly'],
    );
    // An empty list does not remove them either.
    await cluster.api('PUT', '/v1/jobs/put-schedules', { id: 'put-schedules', run, schedules: [] });
    assert.equal(
      (await cluster.api<unknown[]>('GET', '/v1/jobs/put-schedules/schedules')).body.length,
      1,
    );
  });

  test("a different id in the body is replaced by the URL's", async () => {
    await cluster.api('POST', '/v1/jobs', { id: 'put-url-id', run });
    const put = await cluster.api<JobBody>('PUT', '/v1/jobs/put-url-id', {
      id: 'some-other-id',
      description: 'by url',
      run,
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.id, 'put-url-id');
    const got = await cluster.api<JobBody>('GET', '/v1/jobs/put-url-id');
    assert.equal(got.body.description, 'by url');
    assert.equal((await cluster.api('GET', '/v1/jobs/some-other-id')).status, 404);
    // The body's id must still be a valid job id, as Metronome's schema checks it.
    const invalid = await cluster.api<{ code: string }>('PUT', '/v1/jobs/put-url-id', {
      id: 'Not Valid',
      run,
    });
    assert.equal(invalid.status, 422);
  });

  test('a schedule PUT takes the schedule id of the URL', async () => {
    await cluster.api('POST', '/v1/jobs', {
      id: 'put-schedule-id',
      run,
      schedules: [{ id: 'nightly', cron: '0 2 * * *' }],
    });
    const put = await cluster.api<{ id: string; cron: string }>(
      'PUT',
      '/v1/jobs/put-schedule-id/schedules/nightly',
      { id: 'other', cron: '0 3 * * *' },
    );
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.id, 'nightly');
    assert.equal(put.body.cron, '0 3 * * *');
  });

  test('v0: a missing job is a 404; the body replaces the schedules, none when absent', async () => {
    const missing = await cluster.api<Record<string, unknown>>(
      'PUT',
      '/v0/scheduled-jobs/v0-missing',
      { id: 'v0-missing', run },
    );
    assert.equal(missing.status, 404);
    assert.equal(missing.body.message, 'Job not found');
    await cluster.api('POST', '/v0/scheduled-jobs', {
      id: 'v0-put',
      run,
      schedules: [{ id: 'nightly', cron: '0 2 * * *' }],
    });
    const replaced = await cluster.api<JobBody>('PUT', '/v0/scheduled-jobs/v0-put', {
      id: 'v0-put',
      run,
      schedules: [{ id: 'hourly', cron: '0 * * * *' }],
    });
    assert.equal(replaced.status, 200);
    assert.deepEqual(
      replaced.body.schedules?.map((s) => s.id),
      ['hourly'],
    );
    const cleared = await cluster.api<JobBody>('PUT', '/v0/scheduled-jobs/v0-put', {
      id: 'v0-put',
      run,
    });
    assert.deepEqual(cleared.body.schedules, []);
  });
});
