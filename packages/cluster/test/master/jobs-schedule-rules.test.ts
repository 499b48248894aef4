import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCluster, type TestCluster } from '../helpers/cluster.js';

const run = { cmd: 'true', cpus: 0.1, mem: 16, disk: 0 };

interface Invalid {
  code: string;
  details: { path: string; errors: string[] }[];
}

/** Schedule fields checked as Metronome's ScheduleSpec validator and CronSpec parser check them. */
describe('schedule rules', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ agents: 0 });
    await cluster.api('POST', '/v1/jobs', { id: 'rules', run });
  });
  after(async () => {
    await cluster.close();
  });

  async function addSchedule(body: { id: string } & Record<string, unknown>) {
    const response = await cluster.api<Record<string, unknown>>(
      'POST',
      '/v1/jobs/rules/schedules',
      body,
    );
    if (response.status === 201) await cluster.api('DELETE', `/v1/jobs/rules/schedules/${body.id}`);
    return response;
  }

  test('startingDeadlineSeconds is at least 60 (one minute)', async () => {
    for (const seconds of [1, 30, 59]) {
      const refused = await addSchedule({
        id: 'short',
        cron: '0 * * * *',
        startingDeadlineSeconds: seconds,
      });
      assert.equal(refused.status, 422, `${seconds}: ${JSON.stringify(refused.body)}`);
      const body = refused.body as unknown as Invalid;
      assert.equal(body.code, 'EXO_SCHEDULE_INVALID');
      assert.deepEqual(
        body.details.map((d) => d.path),
        ['/startingDeadlineSeconds'],
      );
    }
    const accepted = await addSchedule({
      id: 'minute',
      cron: '0 * * * *',
      startingDeadlineSeconds: 60,
    });
    assert.equal(accepted.status, 201);
    const inJob = await cluster.api<Invalid>('POST', '/v1/jobs', {
      id: 'rules-short',
      run,
      schedules: [{ id: 'short', cron: '0 * * * *', startingDeadlineSeconds: 10 }],
    });
    assert.equal(inJob.status, 422);
    assert.deepEqual(
      inJob.body.details.map((d) => d.path),
      ['/schedules/0/startingDeadlineSeconds'],
    );
  });

  test('six cron fields end with a year; a Quartz seconds-first expression is refused', async () => {
    const yearly = await addSchedule({ id: 'in-2031', cron: '30 2 1 1 * 2031' });
    assert.equal(yearly.status, 201, JSON.stringify(yearly.body));
    assert.equal(Date.parse(String(yearly.body.nextRunAt)), Date.parse('2031-01-01T02:30:00Z'));
    assert.equal(yearly.body.cron, '30 2 1 1 * 2031');
    const quartz = await addSchedule({ id: 'quartz', cron: '0 0 12 * * ?' });
    assert.equal(quartz.status, 422);
    assert.deepEqual(
      (quartz.body as unknown as Invalid).details.map((d) => d.path),
      ['/cron'],
    );
  });

  test('the day fields take L, W and # as Metronome does; nextRunAt follows them', async () => {
    const lastFriday = await addSchedule({ id: 'last-friday', cron: '0 18 * * FRIL 2031' });
    assert.equal(lastFriday.status, 201, JSON.stringify(lastFriday.body));
    assert.equal(Date.parse(String(lastFriday.body.nextRunAt)), Date.parse('2031-01-31T18:00:00Z'));
    const lastDay = await addSchedule({ id: 'last-day', cron: '0 0 L 2 * 2032' });
    assert.equal(lastDay.status, 201, JSON.stringify(lastDay.body));
    assert.equal(Date.parse(String(lastDay.body.nextRunAt)), Date.parse('2032-02-29T00:00:00Z'));
    const misplaced = await addSchedule({ id: 'misplaced', cron: '0 0 * * 15W' });
    assert.equal(misplaced.status, 422);
  });
});
