import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCluster, type TestCluster } from '../helpers/cluster.js';

/**
 * Metronome answers a missing job, schedule or run with a 404 whose body names what was asked
 * for (its UnknownJob, UnknownSchedule and UnknownJobRun): the same keys here, plus `code`.
 */
describe('Metronome not-found bodies', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ agents: 0 });
    await cluster.api('POST', '/v1/jobs', {
      id: 'present',
      run: { cmd: 'true', cpus: 0.1, mem: 16, disk: 0 },
    });
  });
  after(async () => {
    await cluster.close();
  });

  async function notFound(method: string, path: string): Promise<Record<string, unknown>> {
    const response = await cluster.api<Record<string, unknown>>(method, path);
    assert.equal(response.status, 404, `${method} ${path}: ${JSON.stringify(response.body)}`);
    return response.body;
  }

  test('a missing job: {id, message: "Job not found"}', async () => {
    for (const [method, path] of [
      ['GET', '/v1/jobs/absent'],
      ['DELETE', '/v1/jobs/absent'],
      ['GET', '/v1/jobs/absent/schedules'],
      ['GET', '/v1/jobs/absent/runs'],
      ['POST', '/v1/jobs/absent/runs'],
    ] as const) {
      assert.deepEqual(await notFound(method, path), {
        code: 'EXO_JOB_NOT_FOUND',
        message: 'Job not found',
        id: 'absent',
      });
    }
  });

  test('an id that cannot name a job: 400 {message: "Not a valid id: …", requestPath}', async () => {
    // Metronome's path binder refuses it before any lookup; parts between dots follow the
    // job-id rule (lower-case letters, digits, inner dashes), empty parts are dropped.
    for (const [method, path] of [
      ['GET', '/v1/jobs/Bad_Id'],
      ['PUT', '/v1/jobs/Bad_Id'],
      ['DELETE', '/v1/jobs/-dash'],
      ['GET', '/v1/jobs/ok.UPPER/runs'],
      ['POST', '/v1/jobs/a%20b/runs'],
      ['GET', '/v1/jobs/Bad_Id/schedules/nightly'],
    ] as const) {
      const response = await cluster.api<Record<string, unknown>>(method, path);
      const id = decodeURIComponent(path.split('/')[3] ?? '');
      assert.equal(response.status, 400, `${method} ${path}: ${JSON.stringify(response.body)}`);
      assert.deepEqual(response.body, {
        code: 'EXO_BAD_REQUEST',
        message: `Not a valid id: ${id}`,
        requestPath: new URL(path, 'http://x').pathname,
      });
    }
    // Valid ids still reach the lookup: present is found, a dotted absent one is a 404.
    assert.equal((await cluster.api('GET', '/v1/jobs/present')).status, 200);
    assert.equal((await cluster.api('GET', '/v1/jobs/team.absent-job')).status, 404);
  });

  test('a missing schedule: {id, message: "Schedule not found"} with the schedule id', async () => {
    for (const method of ['GET', 'DELETE']) {
      assert.deepEqual(await notFound(method, '/v1/jobs/present/schedules/nightly'), {
        code: 'EXO_SCHEDULE_NOT_FOUND',
        message: 'Schedule not found',
        id: 'nightly',
      });
    }
  });

  test('a missing run: {jobSpec, id, message: "Job Run not found"}', async () => {
    for (const [method, path] of [
      ['GET', '/v1/jobs/present/runs/20260101000000abcde'],
      ['POST', '/v1/jobs/present/runs/20260101000000abcde/actions/stop'],
    ] as const) {
      assert.deepEqual(await notFound(method, path), {
        code: 'EXO_RUN_NOT_FOUND',
        message: 'Job Run not found',
        jobSpec: 'present',
        id: '20260101000000abcde',
      });
    }
  });
});
