import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  api,
  portRange,
  startExo,
  stopExo,
  taskProcesses,
  waitFor,
  type ExoProcess,
} from './helpers/processes.js';

interface History {
  successCount: number;
  failureCount: number;
  successfulFinishedRuns: { id: string }[];
}

/** A job run survives kill -9 of the master mid-run: it completes once, and is not started again. */
describe('jobs across a master kill -9', () => {
  let home: string;
  let master: ExoProcess | undefined;
  let agent: ExoProcess | undefined;
  let port = 0;

  async function startMaster(): Promise<void> {
    master = await startExo(['master', '--home', join(home, 'master'), '--port', String(port)]);
    port = Number(new URL(master.url).port);
  }

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'exo-jobs-restart-'));
    await startMaster();
    agent = await startExo([
      'agent',
      '--home',
      join(home, 'agent'),
      '--master',
      master!.url,
      '--port',
      '0',
      '--token-file',
      join(home, 'master', 'token'),
      '--resources',
      `cpus=2;mem=1024;disk=100;${portRange()}`,
    ]);
  });

  after(async () => {
    await stopExo(agent);
    await stopExo(master);
    for (const pid of await taskProcesses(home, 'job:restart-proof')) process.kill(pid, 'SIGKILL');
    await rm(home, { recursive: true, force: true });
  });

  test('a run in progress when the master dies completes exactly once after the restart', async () => {
    const created = await api(master!.url, 'POST', '/v1/jobs', {
      id: 'restart-proof',
      run: { cmd: 'sleep 2; echo done', cpus: 0.1, mem: 16 },
    });
    assert.equal(created.status, 201);
    const run = await api<{ id: string }>(master!.url, 'POST', '/v1/jobs/restart-proof/runs');
    await waitFor(
      async () =>
        (
          await api<{ status: string }>(
            master!.url,
            'GET',
            `/v1/jobs/restart-proof/runs/${run.body.id}`,
          )
        ).body.status === 'ACTIVE',
      15_000,
      'the run to be active',
    );
    master!.child.kill('SIGKILL');
    await master!.exited;
    await startMaster();
    await waitFor(
      async () =>
        (
          await api<{ history: History }>(
            master!.url,
            'GET',
            '/v1/jobs/restart-proof?embed=history',
          )
        ).body.history.successCount === 1,
      20_000,
      'the run to succeed after the restart',
    );
    await new Promise((r) => setTimeout(r, 1500));
    const { body } = await api<{ history: History }>(
      master!.url,
      'GET',
      '/v1/jobs/restart-proof?embed=history',
    );
    assert.equal(body.history.successCount, 1);
    assert.equal(body.history.failureCount, 0);
    assert.deepEqual(
      body.history.successfulFinishedRuns.map((r) => r.id),
      [run.body.id],
      'the same run, not a new one',
    );
    const finished = await api<{ tasks: unknown[] }>(
      master!.url,
      'GET',
      `/v1/jobs/restart-proof/runs/${run.body.id}`,
    );
    assert.equal(finished.body.tasks.length, 1, 'one task: the run was never relaunched');
  });
});
