import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { api, exoMain, liveTaskIds, tasksOf, waitFor } from './helpers/processes.js';

test('exo up runs master and agent on loopback, writes endpoints.json, and stops everything on SIGTERM', async () => {
  const home = await mkdtemp(join(tmpdir(), 'exo-up-'));
  const child = spawn(
    process.execPath,
    [exoMain, 'up', '--home', home, '--master-port', '0', '--gateway-port', '0', '--sql-port', '0'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, EXO_LOG_LEVEL: 'warn' },
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const endpointsPath = join(home, 'endpoints.json');
    await waitFor(async () => (await stat(endpointsPath)).size > 0, 20_000, 'endpoints.json');
    const endpoints = JSON.parse(await readFile(endpointsPath, 'utf8')) as Record<string, string>;
    assert.deepEqual(
      Object.keys(endpoints).sort(),
      ['agent', 'gateway', 'gateway_admin', 'master', 'sql'],
      'no token is written: everything is on loopback',
    );
    assert.match(endpoints.gateway!, /^http:\/\/127\.0\.0\.1:\d+$/);
    // With `--gateway-port 0` and no admin port given, the admin API takes a free port too.
    assert.match(endpoints.gateway_admin!, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(new URL(endpoints.gateway_admin!).port, '8001');
    // The data plane answers the MySQL protocol at the `sql` endpoint (the mariadb CLI).
    const sql = /^mysql:\/\/root@127\.0\.0\.1:(\d+)$/.exec(endpoints.sql!);
    assert.ok(sql, `sql endpoint ${endpoints.sql}`);
    const { stdout } = await promisify(execFile)('mariadb', [
      '-h',
      '127.0.0.1',
      '-P',
      sql[1]!,
      '-u',
      'root',
      '-B',
      '-N',
      '-e',
      'SELECT 6 * 7',
    ]);
    assert.equal(stdout, '42\n');
    const noRoute = await fetch(`${endpoints.gateway}/nothing-here`);
    assert.equal(noRoute.status, 404, 'the gateway answers (no route configured yet)');
    assert.equal(((await noRoute.json()) as { code: string }).code, 'EXO_GATEWAY_NO_ROUTE');
    assert.match(endpoints.master!, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(endpoints.agent!, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(output, /cluster token \(printed once/);
    assert.equal(((await stat(join(home, 'token'))).mode & 0o777).toString(8), '600');

    const agents = await api<{ agents: { condition: string }[] }>(
      endpoints.master!,
      'GET',
      '/v1/agents',
    );
    assert.equal(
      agents.body.agents.length,
      1,
      'the agent is registered when endpoints.json appears',
    );
    const created = await api(endpoints.master!, 'POST', '/v2/apps', {
      id: '/up/sleeper',
      cmd: 'sleep 1000',
      instances: 2,
      cpus: 0.1,
      mem: 16,
    });
    assert.equal(created.status, 201);
    await waitFor(
      async () =>
        (await tasksOf(endpoints.master!, '/up/sleeper')).filter((t) => t.state === 'TASK_RUNNING')
          .length === 2,
      15_000,
      'tasks',
    );
    assert.equal((await liveTaskIds(home, '/up/sleeper')).length, 2);

    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    await waitFor(
      async () => (await liveTaskIds(home, '/up/sleeper')).length === 0,
      10_000,
      'tasks stopped with the platform',
    );
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(home, { recursive: true, force: true });
  }
});
