import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runExo, startUserCluster, type ExoRun, type UserCluster } from './user-cluster.js';

let cluster: UserCluster;
before(async () => {
  cluster = await startUserCluster();
});
after(async () => {
  await cluster.close();
});

/** `exo ARGS --master URL` against the test cluster. */
function exo(args: readonly string[], input?: string): Promise<ExoRun> {
  return runExo([...args, '--master', cluster.master.url], {
    exoHome: cluster.exoHome,
    ...(input === undefined ? {} : { input }),
  });
}

function assertExit(run: ExoRun, code: number): void {
  assert.equal(run.code, code, `exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
}

async function jobFile(name: string, content: unknown): Promise<string> {
  const path = join(cluster.exoHome, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

void test('job add, list, run --wait, logs, history, show and remove', async () => {
  const file = await jobFile('hello.json', {
    id: 'cli.hello',
    description: 'says hello',
    run: { cmd: 'echo hello-job; exit 0', cpus: 0.05, mem: 16 },
    schedules: [{ id: 'nightly', cron: '20 0 * * *', timezone: 'Europe/Berlin' }],
  });
  const added = await exo(['job', 'add', file]);
  assertExit(added, 0);
  assert.match(added.stdout, /^job cli\.hello added$/m);
  assert.match(added.stdout, /^ {2}schedule nightly: 20 0 \* \* \* Europe\/Berlin, next run 20/m);

  const listed = await exo(['job', 'list', '--json']);
  assertExit(listed, 0);
  const jobs = JSON.parse(listed.stdout) as { id: string; schedules: { id: string }[] }[];
  assert.deepEqual(
    jobs.map((j) => [j.id, j.schedules.map((s) => s.id)]),
    [['cli.hello', ['nightly']]],
  );
  const table = await exo(['job', 'list']);
  assertExit(table, 0);
  assert.match(table.stdout, /^ID\s+ACTIVE\s+SCHEDULE\s+OK\s+FAILED/m);
  assert.match(table.stdout, /^cli\.hello\s+0\s+20 0 \* \* \*\s+0\s+0\s+-\s+-\s+echo hello-job/m);

  const ran = await exo(['job', 'run', 'cli.hello', '--wait']);
  assertExit(ran, 0);
  const runId = /^job cli\.hello: run (\w+) started$/m.exec(ran.stdout)?.[1];
  assert.ok(runId, ran.stdout);
  assert.match(ran.stdout, new RegExp(`^run ${runId}: SUCCESS — exit code 0`, 'm'));

  const logs = await exo(['job', 'logs', 'cli.hello']);
  assertExit(logs, 0);
  assert.equal(logs.stdout, 'hello-job\n');
  const byRun = await exo(['job', 'logs', 'cli.hello', runId, '--tail', '1', '--json']);
  assertExit(byRun, 0);
  const line = JSON.parse(byRun.stdout) as { runId: string; taskId: string; text: string };
  assert.equal(line.runId, runId);
  assert.match(line.taskId, new RegExp(`^cli_hello_${runId}\\.1$`));
  assert.equal(line.text, 'hello-job\n');

  const history = await exo(['job', 'history', 'cli.hello']);
  assertExit(history, 0);
  assert.match(history.stdout, /^1 succeeded, 0 failed, 0 missed$/m);
  assert.match(history.stdout, /^RUN\s+STATUS\s+CREATED\s+FINISHED\s+TOOK\s+EXIT\s+MESSAGE/m);
  assert.match(
    history.stdout,
    new RegExp(`^${runId}\\s+SUCCESS\\s+20\\S+\\s+20\\S+\\s+\\S+\\s+0`, 'm'),
  );

  const show = await exo(['job', 'show', 'cli.hello']);
  assertExit(show, 0);
  assert.match(show.stdout, /^description\s+says hello$/m);
  assert.match(show.stdout, /^schedules\s+nightly: 20 0 \* \* \* Europe\/Berlin/m);
  assert.match(show.stdout, /^history\s+1 succeeded, 0 failed, 0 missed; last success \d+s ago/m);
  assert.match(show.stdout, /^no active runs$/m);

  const removed = await exo(['job', 'remove', 'cli.hello']);
  assertExit(removed, 0);
  assert.equal(removed.stdout, 'job cli.hello removed\n');
  assertExit(await exo(['job', 'show', 'cli.hello']), 1);
});

void test('job run --wait exits 1 when the run fails, and history shows why', async () => {
  const added = await exo(
    ['job', 'add', '-'],
    JSON.stringify({
      id: 'cli.fail',
      run: { cmd: 'echo broken >&2; exit 3', cpus: 0.05, mem: 16 },
    }),
  );
  assertExit(added, 0);
  const ran = await exo(['job', 'run', 'cli.fail', '--wait', '--json']);
  assertExit(ran, 1);
  const run = JSON.parse(ran.stdout) as { status: string; exitCode: number };
  assert.equal(run.status, 'FAILED');
  assert.equal(run.exitCode, 3);
  assert.match(ran.stderr, /: FAILED — exit code 3/);

  const stderr = await exo(['job', 'logs', 'cli.fail', '--stderr']);
  assertExit(stderr, 0);
  assert.equal(stderr.stdout, 'broken\n');
  const history = await exo(['job', 'history', 'cli.fail', '--json']);
  assertExit(history, 0);
  const parsed = JSON.parse(history.stdout) as {
    failureCount: number;
    failedFinishedRuns: { exitCode: number }[];
  };
  assert.equal(parsed.failureCount, 1);
  assert.equal(parsed.failedFinishedRuns[0]?.exitCode, 3);
  assertExit(await exo(['job', 'remove', 'cli.fail']), 0);
});

void test('a long run is listed, refuses a plain remove, and is stopped by remove --stop-runs', async () => {
  assertExit(
    await exo(
      ['job', 'add', '-'],
      JSON.stringify({ id: 'cli.long', run: { cmd: 'sleep 1000', cpus: 0.05, mem: 16 } }),
    ),
    0,
  );
  const started = await exo(['job', 'run', 'cli.long', '--json']);
  assertExit(started, 0);
  const { id: runId } = JSON.parse(started.stdout) as { id: string };
  const runs = await exo(['job', 'runs', 'cli.long']);
  assertExit(runs, 0);
  assert.match(runs.stdout, /^RUN\s+STATUS\s+TRIGGER/m);
  assert.match(runs.stdout, new RegExp(`^${runId}\\s+(INITIAL|STARTING|ACTIVE)\\s+manual`, 'm'));

  const refused = await exo(['job', 'remove', 'cli.long']);
  assertExit(refused, 1);
  assert.match(refused.stderr, /--stop-runs/);
  const removed = await exo(['job', 'remove', 'cli.long', '--stop-runs']);
  assertExit(removed, 0);
  assert.match(removed.stdout, /its active runs stopped/);
});

void test('schedules are added, listed and removed', async () => {
  assertExit(
    await exo(
      ['job', 'add', '-'],
      JSON.stringify({ id: 'cli.cron', run: { cmd: 'true', cpus: 0.05, mem: 16 } }),
    ),
    0,
  );
  const added = await exo(
    ['job', 'schedule', 'add', 'cli.cron', '-'],
    '{"id":"hourly","cron":"0 * * * *"}',
  );
  assertExit(added, 0);
  assert.match(added.stdout, /^job cli\.cron: schedule hourly: 0 \* \* \* \* UTC, next run 20/m);
  const listed = await exo(['job', 'schedule', 'list', 'cli.cron', '--json']);
  assertExit(listed, 0);
  assert.deepEqual(
    (JSON.parse(listed.stdout) as { id: string }[]).map((s) => s.id),
    ['hourly'],
  );
  const bad = await exo(
    ['job', 'schedule', 'add', 'cli.cron', '-'],
    '{"id":"bad","cron":"61 * * * *"}',
  );
  assertExit(bad, 1);
  assert.match(bad.stderr, /EXO_SCHEDULE_INVALID/);
  assert.match(bad.stderr, /^ {2}\/cron: /m);
  const removed = await exo(['job', 'schedule', 'remove', 'cli.cron', 'hourly']);
  assertExit(removed, 0);
  const table = await exo(['job', 'schedule', 'list', 'cli.cron']);
  assert.equal(table.stdout, 'job cli.cron has no schedules\n');
  assertExit(await exo(['job', 'remove', 'cli.cron']), 0);
});

void test('bad job files exit 1 naming the file or each invalid field', async () => {
  const invalid = await jobFile('invalid.json', {
    id: 'Bad_Id',
    run: { docker: { image: 'busybox' } },
  });
  const refused = await exo(['job', 'add', invalid]);
  assertExit(refused, 1);
  assert.match(refused.stderr, /Object is not valid \(EXO_JOB_INVALID\)/);
  for (const path of ['/id', '/run/cmd', '/run/docker']) {
    assert.match(refused.stderr, new RegExp(`^ {2}${path}: `, 'm'), refused.stderr);
  }
  const notJson = await jobFile('broken.json', '{"id": ');
  const broken = await exo(['job', 'add', notJson]);
  assertExit(broken, 1);
  assert.match(broken.stderr, /broken\.json is not valid JSON/);
  const usage = await exo(['job', 'logs']);
  assertExit(usage, 2);
  const missing = await exo(['job', 'logs', 'cli.nothing']);
  assertExit(missing, 1);
  assert.match(missing.stderr, /Job not found: 'cli\.nothing' \(EXO_JOB_NOT_FOUND\)/);
  assert.deepEqual(JSON.parse((await exo(['job', 'list', '--json'])).stdout), []);
});
