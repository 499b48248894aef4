import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCluster, waitFor, type TestCluster } from '../helpers/cluster.js';

interface Run {
  id: string;
  jobId: string;
  status: string;
  tasks: { id: string; status: string; exitCode?: number }[];
  exitCode?: number;
  message?: string;
}

interface History {
  successCount: number;
  failureCount: number;
  successfulFinishedRuns: { id: string; exitCode?: number }[];
  failedFinishedRuns: { id: string; message?: string }[];
}

describe('Metronome v1 jobs API against a real master and agent', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ agents: 1 });
  });
  after(async () => {
    await cluster.close();
  });

  async function history(jobId: string): Promise<History> {
    return (await cluster.api<{ history: History }>('GET', `/v1/jobs/${jobId}?embed=history`)).body
      .history;
  }

  test('a Metronome job as users write it: create, read with embeds, replace, run, delete', async () => {
    const job = {
      id: 'prod.example.report',
      description: 'Nightly report',
      labels: { team: 'data' },
      run: {
        cmd: 'echo report-$METRONOME_RUN_ID; exit 0',
        cpus: 0.1,
        mem: 16,
        disk: 0,
        env: { MODE: 'test' },
        placement: { constraints: [{ attribute: 'hostname', operator: 'LIKE', value: '127.*' }] },
        restart: { policy: 'NEVER' },
        maxLaunchDelay: 3600,
      },
    };
    const created = await cluster.api<{ id: string; run: { cpus: number } }>(
      'POST',
      '/v1/jobs',
      job,
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.run.cpus, 0.1);
    assert.equal(
      (await cluster.api<{ code: string }>('POST', '/v1/jobs', job)).body.code,
      'EXO_JOB_EXISTS',
    );
    const listed = await cluster.api<{ id: string }[]>(
      'GET',
      '/v1/jobs?embed=activeRuns&embed=historySummary',
    );
    assert.ok(listed.body.some((j) => j.id === 'prod.example.report'));

    const started = await cluster.api<Run>('POST', '/v1/jobs/prod.example.report/runs');
    assert.equal(started.status, 201);
    assert.equal(started.body.status, 'INITIAL');
    await waitFor(
      async () => (await history('prod.example.report')).successCount === 1,
      15_000,
      'the run to succeed',
    );
    const done = await cluster.api<Run>(
      'GET',
      `/v1/jobs/prod.example.report/runs/${started.body.id}`,
    );
    assert.equal(done.body.status, 'SUCCESS');
    assert.equal(done.body.exitCode, 0);
    assert.equal(
      (await cluster.api<Run[]>('GET', '/v1/jobs/prod.example.report/runs')).body.length,
      0,
      'no active run left',
    );

    const replaced = await cluster.api('PUT', '/v1/jobs/prod.example.report', {
      ...job,
      description: 'changed',
    });
    assert.equal(replaced.status, 200);
    assert.equal(
      (await cluster.api<{ description: string }>('GET', '/v1/jobs/prod.example.report')).body
        .description,
      'changed',
    );
    assert.equal((await cluster.api('DELETE', '/v1/jobs/prod.example.report')).status, 200);
    assert.equal((await cluster.api('GET', '/v1/jobs/prod.example.report')).status, 404);
  });

  test('embed: repeated and comma forms give the same keys; an unknown value is a 400', async () => {
    const created = await cluster.api('POST', '/v1/jobs', {
      id: 'embeds',
      run: { cmd: 'true', cpus: 0.1, mem: 16, disk: 0 },
    });
    assert.equal(created.status, 201);
    const keys = async (query: string) => {
      const response = await cluster.api<Record<string, unknown>>(
        'GET',
        `/v1/jobs/embeds?${query}`,
      );
      assert.equal(response.status, 200, query);
      return Object.keys(response.body).sort();
    };
    const repeated = await keys('embed=activeRuns&embed=historySummary');
    assert.deepEqual(repeated, await keys('embed=activeRuns,historySummary'));
    assert.ok(repeated.includes('activeRuns') && repeated.includes('historySummary'));
    assert.ok(!repeated.includes('schedules') && !repeated.includes('history'));

    for (const path of ['/v1/jobs/embeds?embed=activeruns', '/v1/jobs?embed=history,runs']) {
      const refused = await cluster.api<{ code: string; message: string }>('GET', path);
      assert.equal(refused.status, 400, path);
      assert.equal(refused.body.code, 'EXO_BAD_REQUEST');
      assert.match(refused.body.message, /Valid options are: activeRuns, schedules, history/);
    }
    assert.equal((await cluster.api('DELETE', '/v1/jobs/embeds')).status, 200);
  });

  test('invalid jobs and schedules: 422 with the path of every bad field, nothing stored', async () => {
    const bad = await cluster.api<{ code: string; details: { path: string }[] }>(
      'POST',
      '/v1/jobs',
      {
        id: 'Bad_Id',
        run: { cpus: -1, docker: { image: 'busybox' } },
      },
    );
    assert.equal(bad.status, 422);
    assert.equal(bad.body.code, 'EXO_JOB_INVALID');
    assert.ok(bad.body.details.some((d) => d.path === '/run/cpus'));
    const noCommand = await cluster.api<{ details: { path: string }[] }>('POST', '/v1/jobs', {
      id: 'nocmd',
      run: { docker: { image: 'x' } },
    });
    const paths = noCommand.body.details.map((d) => d.path).sort();
    assert.deepEqual(paths, ['/run/cmd', '/run/docker']);
    assert.equal((await cluster.api('GET', '/v1/jobs/nocmd')).status, 404);

    await cluster.api('POST', '/v1/jobs', {
      id: 'scheduled',
      run: { cmd: 'true', cpus: 0.1, mem: 16 },
    });
    const badSchedule = await cluster.api<{ code: string; details: { path: string }[] }>(
      'POST',
      '/v1/jobs/scheduled/schedules',
      {
        id: 'nightly',
        cron: '61 * * * *',
        timezone: 'Mars/Olympus',
        concurrencyPolicy: 'SOMETIMES',
      },
    );
    assert.equal(badSchedule.status, 422);
    assert.deepEqual(badSchedule.body.details.map((d) => d.path).sort(), ['/concurrencyPolicy']);
    const badCron = await cluster.api<{ details: { path: string }[] }>(
      'POST',
      '/v1/jobs/scheduled/schedules',
      { id: 'nightly', cron: '61 * * * *', timezone: 'Mars/Olympus' },
    );
    assert.deepEqual(badCron.body.details.map((d) => d.path).sort(), ['/cron', '/timezone']);
    const good = await cluster.api<{
      nextRunAt: string;
      startingDeadlineSeconds: number;
      concurrencyPolicy: string;
    }>('POST', '/v1/jobs/scheduled/schedules', {
      id: 'nightly',
      cron: '20 0 * * *',
      timezone: 'Europe/Berlin',
    });
    assert.equal(good.status, 201);
    assert.equal(good.body.startingDeadlineSeconds, 900);
    assert.equal(good.body.concurrencyPolicy, 'ALLOW');
    assert.ok(Date.parse(good.body.nextRunAt) > Date.now());
    await cluster.api('DELETE', '/v1/jobs/scheduled');
  });

  test('ON_FAILURE retries with backoff until the active deadline, then the run fails', async () => {
    await cluster.api('POST', '/v1/jobs', {
      id: 'flaky',
      run: {
        cmd: 'exit 3',
        cpus: 0.1,
        mem: 16,
        restart: { policy: 'ON_FAILURE', activeDeadlineSeconds: 4 },
      },
    });
    const run = await cluster.api<Run>('POST', '/v1/jobs/flaky/runs');
    await waitFor(
      async () => (await history('flaky')).failureCount === 1,
      20_000,
      'the run to fail',
    );
    const finished = await cluster.api<Run>('GET', `/v1/jobs/flaky/runs/${run.body.id}`);
    assert.equal(finished.body.status, 'FAILED');
    assert.match(finished.body.message ?? '', /activeDeadlineSeconds|code 3/);
    const attempts = (await history('flaky')).failedFinishedRuns[0];
    assert.ok(attempts);
    await cluster.api('DELETE', '/v1/jobs/flaky');
  });

  test('stopping a run kills its task tree', async () => {
    await cluster.api('POST', '/v1/jobs', {
      id: 'long',
      run: { cmd: 'sleep 1000 & sleep 1000; wait', cpus: 0.1, mem: 16 },
    });
    const run = await cluster.api<Run>('POST', '/v1/jobs/long/runs');
    await waitFor(
      async () =>
        (await cluster.api<Run>('GET', `/v1/jobs/long/runs/${run.body.id}`)).body.status ===
        'ACTIVE',
      15_000,
      'the run to be active',
    );
    const active = await cluster.api<Run>('GET', `/v1/jobs/long/runs/${run.body.id}`);
    const taskId = active.body.tasks[0]!.id;
    const stopped = await cluster.api<Run>(
      'POST',
      `/v1/jobs/long/runs/${run.body.id}/actions/stop`,
    );
    assert.equal(stopped.status, 200);
    await waitFor(
      async () => {
        const { body } = await cluster.api<{ tasks: { taskId: string; state: string }[] }>(
          'GET',
          '/v1/agents',
        );
        void body;
        const agentTasks = await fetch(`${cluster.agents[0]!.url}/v1/tasks`).then(
          (r) => r.json() as Promise<{ tasks: { taskId: string; state: string }[] }>,
        );
        const task = agentTasks.tasks.find((t) => t.taskId === taskId);
        return task === undefined || task.state === 'TASK_KILLED';
      },
      15_000,
      'the task to be killed',
    );
    const finished = await history('long');
    assert.equal(finished.failureCount, 1);
    assert.match(finished.failedFinishedRuns[0]!.message ?? '', /stopped/);
    await cluster.api('DELETE', '/v1/jobs/long');
  });

  test('a job runs after all its parents succeed in the same cycle; a cycle is rejected with its path', async () => {
    for (const id of ['extract', 'fetch'])
      await cluster.api('POST', '/v1/jobs', { id, run: { cmd: 'true', cpus: 0.1, mem: 16 } });
    const load = await cluster.api('POST', '/v1/jobs', {
      id: 'load',
      run: { cmd: 'true', cpus: 0.1, mem: 16 },
      dependencies: [{ id: 'extract' }, { id: 'fetch' }],
    });
    assert.equal(load.status, 201);
    await cluster.api('POST', '/v1/jobs/extract/runs');
    await waitFor(async () => (await history('extract')).successCount === 1, 15_000, 'extract');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await history('load')).successCount, 0, 'one parent is not enough');
    assert.equal((await cluster.api<Run[]>('GET', '/v1/jobs/load/runs')).body.length, 0);
    await cluster.api('POST', '/v1/jobs/fetch/runs');
    await waitFor(
      async () => (await history('load')).successCount === 1,
      15_000,
      'load after both parents',
    );

    const cycle = await cluster.api<{ code: string; message: string }>('PUT', '/v1/jobs/extract', {
      id: 'extract',
      run: { cmd: 'true' },
      dependencies: [{ id: 'load' }],
    });
    assert.equal(cycle.status, 422);
    assert.equal(cycle.body.code, 'EXO_JOB_DEPENDENCY_CYCLE');
    assert.match(cycle.body.message, /extract -> load -> extract|load -> extract -> load/);
    const parentDelete = await cluster.api<{ code: string }>('DELETE', '/v1/jobs/extract');
    assert.equal(parentDelete.body.code, 'EXO_JOB_HAS_DEPENDENTS');
  });
});
