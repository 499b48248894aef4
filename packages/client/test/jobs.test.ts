import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ClientError } from '../src/index.js';
import { startTestCluster, type TestCluster } from './cluster-fixture.js';

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster.close();
});

function job(id: string, cmd: string) {
  return { id, run: { cmd, cpus: 0.05, mem: 16 } };
}

/** Asserts a rejection with this code and returns the error for more checks. */
async function rejection(promise: Promise<unknown>, code: string): Promise<ClientError> {
  let caught: unknown;
  await assert.rejects(promise, (error: unknown) => {
    caught = error;
    return true;
  });
  assert.ok(caught instanceof ClientError, String(caught));
  assert.equal(caught.code, code, caught.message);
  return caught;
}

void test('jobs are created, read with embeds, replaced and removed', async () => {
  const { client } = cluster;
  const created = await client.jobs.create({
    ...job('client.crud', 'true'),
    description: 'first',
    labels: { team: 'data' },
  });
  assert.equal(created.id, 'client.crud');
  assert.equal(created.run.mem, 16);
  assert.equal(created.run.restart.policy, 'NEVER', 'defaults are applied by the master');
  assert.deepEqual(created.schedules, []);
  await rejection(client.jobs.create(job('client.crud', 'true')), 'EXO_JOB_EXISTS');

  const read = await client.jobs.get('client.crud', {
    embed: ['activeRuns', 'schedules', 'historySummary'],
  });
  assert.equal(read.description, 'first');
  assert.deepEqual(read.activeRuns, []);
  assert.equal(read.historySummary?.successCount, 0);
  assert.equal(read.history, undefined, 'only the embeds asked for');
  const listed = await client.jobs.list({ embed: ['historySummary'] });
  assert.ok(listed.some((j) => j.id === 'client.crud' && j.historySummary !== undefined));

  const replaced = await client.jobs.replace('client.crud', {
    ...job('client.crud', 'true'),
    description: 'second',
  });
  assert.equal(replaced.description, 'second');
  assert.equal((await client.jobs.get('client.crud')).description, 'second');

  const removed = await client.jobs.remove('client.crud');
  assert.equal(removed.id, 'client.crud');
  await rejection(client.jobs.get('client.crud'), 'EXO_JOB_NOT_FOUND');
});

void test('a run is started, waited for until SUCCESS, and its log read from the agent', async () => {
  const { client } = cluster;
  await client.jobs.create(job('client.hello', 'echo hello-job; echo to-stderr >&2; exit 0'));
  const started = await client.jobs.startRun('client.hello');
  assert.equal(started.status, 'INITIAL');
  assert.equal(started.jobId, 'client.hello');

  const seen: string[] = [];
  const finished = await client.jobs.waitForRun('client.hello', started.id, {
    timeoutMs: 15_000,
    pollIntervalMs: 50,
    onProgress: (run) => seen.push(run.status),
  });
  assert.equal(finished.status, 'SUCCESS');
  assert.equal(finished.exitCode, 0);
  assert.equal(seen.at(-1), 'SUCCESS');
  assert.deepEqual(await client.jobs.runs('client.hello'), [], 'no active run left');

  const taskId = finished.tasks.at(-1)?.id;
  assert.ok(taskId, 'the finished run names its task');
  assert.match(taskId, /^client_hello_\w+\.1$/);
  let text = '';
  for await (const chunk of client.jobs.runLogs('client.hello')) text += chunk;
  assert.equal(text, 'hello-job\n', 'the latest run is the default');
  let stderr = '';
  for await (const chunk of client.jobs.runLogs('client.hello', {
    runId: started.id,
    stream: 'stderr',
  }))
    stderr += chunk;
  assert.equal(stderr, 'to-stderr\n');
  const tail = await client.jobs.readRunLog('client.hello', { offset: -4 });
  assert.deepEqual(tail, {
    runId: started.id,
    taskId,
    text: 'job\n',
    startOffset: 6,
    endOffset: 10,
  });

  // The generic task log reader finds job tasks too (by asking the agents).
  let generic = '';
  for await (const chunk of client.taskLogs(taskId)) generic += chunk;
  assert.equal(generic, 'hello-job\n');

  const history = await client.jobs.history('client.hello');
  assert.equal(history.successCount, 1);
  assert.equal(history.successfulFinishedRuns[0]?.id, started.id);
  assert.equal((await client.jobs.latestRun('client.hello'))?.id, started.id);
  await client.jobs.remove('client.hello');
});

void test('a failing run ends FAILED with its exit code', async () => {
  const { client } = cluster;
  await client.jobs.create(job('client.fail', 'echo failing; exit 3'));
  const started = await client.jobs.startRun('client.fail');
  const finished = await client.jobs.waitForRun('client.fail', started.id, { timeoutMs: 15_000 });
  assert.equal(finished.status, 'FAILED');
  assert.equal(finished.exitCode, 3);
  const history = await client.jobs.history('client.fail');
  assert.equal(history.failureCount, 1);
  assert.equal(history.failedFinishedRuns[0]?.exitCode, 3);
  await client.jobs.remove('client.fail');
});

void test('waitForRun times out on a long run, which is then stopped', async () => {
  const { client } = cluster;
  await client.jobs.create(job('client.long', 'echo started; sleep 1000'));
  const started = await client.jobs.startRun('client.long');
  const error = await rejection(
    client.jobs.waitForRun('client.long', started.id, { timeoutMs: 200, pollIntervalMs: 50 }),
    'EXO_CLIENT_TIMEOUT',
  );
  assert.equal(error.data?.runId, started.id);
  // Following the log of a run waits for its first attempt, then reads while it runs.
  const controller = new AbortController();
  let followed = '';
  for await (const chunk of client.jobs.runLogs('client.long', {
    follow: true,
    signal: controller.signal,
  })) {
    followed += chunk;
    if (followed.includes('started')) controller.abort();
  }
  assert.equal(followed, 'started\n');

  await rejection(client.jobs.remove('client.long'), 'EXO_JOB_HAS_ACTIVE_RUNS');
  const stopped = await client.jobs.stopRun('client.long', started.id);
  assert.equal(stopped.status, 'FAILED');
  const finished = await client.jobs.waitForRun('client.long', started.id, { timeoutMs: 15_000 });
  assert.equal(finished.status, 'FAILED');
  await client.jobs.remove('client.long', { stopCurrentJobRuns: true });
});

void test('schedules are added with the job or later, listed, replaced and removed', async () => {
  const { client } = cluster;
  const created = await client.jobs.create({
    ...job('client.cron', 'true'),
    schedules: [{ id: 'nightly', cron: '20 0 * * *', timezone: 'Europe/Berlin' }],
  });
  assert.deepEqual(
    created.schedules?.map((s) => [s.id, s.concurrencyPolicy, s.startingDeadlineSeconds]),
    [['nightly', 'ALLOW', 900]],
  );
  // One schedule per job, as in Metronome: the same id, then any other, is a conflict.
  await rejection(
    client.jobs.addSchedule('client.cron', { id: 'nightly', cron: '0 * * * *' }),
    'EXO_SCHEDULE_EXISTS',
  );
  await rejection(
    client.jobs.addSchedule('client.cron', { id: 'hourly', cron: '0 * * * *' }),
    'EXO_SCHEDULE_LIMIT',
  );
  await client.jobs.removeSchedule('client.cron', 'nightly');
  await rejection(client.jobs.getSchedule('client.cron', 'nightly'), 'EXO_SCHEDULE_NOT_FOUND');
  const hourly = await client.jobs.addSchedule('client.cron', { id: 'hourly', cron: '0 * * * *' });
  assert.equal(hourly.timezone, 'UTC');
  assert.ok(hourly.nextRunAt !== null && Date.parse(hourly.nextRunAt) > Date.now());
  assert.deepEqual(
    (await client.jobs.schedules('client.cron')).map((s) => s.id),
    ['hourly'],
  );

  const disabled = await client.jobs.replaceSchedule('client.cron', 'hourly', {
    cron: '0 * * * *',
    enabled: false,
  });
  assert.equal(disabled.enabled, false);
  assert.equal(disabled.nextRunAt, null);
  assert.equal((await client.jobs.getSchedule('client.cron', 'hourly')).enabled, false);

  await client.jobs.removeSchedule('client.cron', 'hourly');
  assert.deepEqual(await client.jobs.schedules('client.cron'), []);
  await client.jobs.remove('client.cron');
});

void test('invalid jobs and schedules are refused with 422 and the path of each bad field', async () => {
  const { client } = cluster;
  const invalid = await rejection(
    client.jobs.create({ id: 'Bad_Id', run: { cpus: -1, docker: { image: 'busybox' } } }),
    'EXO_JOB_INVALID',
  );
  assert.equal(invalid.status, 422);
  assert.ok(
    invalid.details?.some((d) => d.path === '/run/cpus'),
    JSON.stringify(invalid.details),
  );

  await client.jobs.create(job('client.schedules', 'true'));
  const badSchedule = await rejection(
    client.jobs.addSchedule('client.schedules', {
      id: 'nightly',
      cron: '61 * * * *',
      timezone: 'Mars/Olympus',
    }),
    'EXO_SCHEDULE_INVALID',
  );
  assert.equal(badSchedule.status, 422);
  assert.deepEqual(badSchedule.details?.map((d) => d.path).sort(), ['/cron', '/timezone']);
  const nested = await rejection(
    client.jobs.create({
      ...job('client.nested', 'true'),
      schedules: [{ id: 'x', cron: 'not a cron' }],
    }),
    'EXO_JOB_INVALID',
  );
  assert.deepEqual(
    nested.details?.map((d) => d.path),
    ['/schedules/0/cron'],
  );
  await rejection(client.jobs.get('client.nested'), 'EXO_JOB_NOT_FOUND');
  await client.jobs.remove('client.schedules');
});

void test('runs of missing jobs and logs of runs without tasks are refused clearly', async () => {
  const { client } = cluster;
  await rejection(client.jobs.startRun('client.missing'), 'EXO_JOB_NOT_FOUND');
  await client.jobs.create(job('client.never', 'true'));
  await rejection(client.jobs.getRun('client.never', '20200101000000aaaaa'), 'EXO_RUN_NOT_FOUND');
  const error = await rejection(client.jobs.readRunLog('client.never'), 'EXO_RUN_NOT_FOUND');
  assert.match(error.message, /has not run yet/);
  await client.jobs.remove('client.never');
  assert.ok(!(await client.jobs.list()).some((j) => j.id === 'client.never'));
});
