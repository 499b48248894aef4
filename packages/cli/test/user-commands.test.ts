import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  runExo,
  startUserCluster,
  waitFor,
  type ExoRun,
  type UserCluster,
} from './user-cluster.js';

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

async function appFile(name: string, app: unknown): Promise<string> {
  const path = join(cluster.exoHome, name);
  await writeFile(path, JSON.stringify(app));
  return path;
}

void test('app add waits for the deployment, then list, scale, tasks and logs', async () => {
  const file = await appFile('web.json', {
    id: '/cli/web',
    cmd: 'echo hello-from-task; sleep 1000',
    cpus: 0.05,
    mem: 16,
    instances: 2,
  });
  const added = await exo(['app', 'add', file]);
  assertExit(added, 0);
  assert.match(added.stdout, /^app \/cli\/web: deployment [0-9a-f-]{36} started/m);
  assert.match(added.stdout, /^deployment [0-9a-f]{8}…: done/m);
  assert.equal(added.stderr, '');

  const listed = await exo(['app', 'list', '--json']);
  assertExit(listed, 0);
  const { apps } = JSON.parse(listed.stdout) as { apps: { id: string; tasksRunning: number }[] };
  assert.deepEqual(
    apps.map((a) => [a.id, a.tasksRunning]),
    [['/cli/web', 2]],
  );

  const table = await exo(['app', 'list']);
  assertExit(table, 0);
  assert.match(table.stdout, /^ID\s+RUNNING\s+HEALTHY\s+CPUS\s+MEM/m);
  assert.match(
    table.stdout,
    /^\/cli\/web\s+2\/2\s+-\s+0\.05\s+16\s+no\s+echo hello-from-task; sleep 1000$/m,
  );

  const scaled = await exo(['app', 'scale', '/cli/web', '3']);
  assertExit(scaled, 0);
  assert.match(scaled.stdout, /done — \/cli\/web 3\/3 running/);

  const tasks = await exo(['task', 'list', '--app', '/cli/web']);
  assertExit(tasks, 0);
  const rows = tasks.stdout.trim().split('\n');
  assert.match(rows[0]!, /^ID\s+APP\s+STATE/);
  assert.equal(rows.filter((row) => /\/cli\/web\s+RUNNING/.test(row)).length, 3, tasks.stdout);

  const taskId = rows[1]!.split(/\s+/)[0]!;
  const logs = await waitFor(
    async () => {
      const run = await exo(['task', 'logs', taskId]);
      return run.stdout.includes('hello-from-task') ? run : undefined;
    },
    { what: 'the task greeting in its log' },
  );
  assertExit(logs, 0);
  assert.equal(logs.stdout, 'hello-from-task\n');
  const tail = await exo(['task', 'logs', taskId, '--tail', '1', '--json']);
  assertExit(tail, 0);
  assert.deepEqual(JSON.parse(tail.stdout), {
    taskId,
    stream: 'stdout',
    text: 'hello-from-task\n',
  });

  const updated = await exo(
    ['app', 'update', '/cli/web', '-', '--no-wait', '--json'],
    '{"env": {"COLOR": "blue"}}',
  );
  assertExit(updated, 0);
  const result = JSON.parse(updated.stdout) as { deploymentId: string };
  await cluster.client.waitForDeployment(result.deploymentId, { timeoutMs: 20_000 });
  assert.equal((await cluster.client.apps.get('/cli/web')).env.COLOR, 'blue');

  const removed = await exo(['app', 'remove', '/cli/web']);
  assertExit(removed, 0);
  assert.match(removed.stdout, /StopApplication|done/);
});

void test('queue explains which resource and constraint refused an impossible app', async () => {
  const file = await appFile('huge.json', {
    id: '/cli/huge',
    cmd: 'sleep 1000',
    cpus: 1000,
    mem: 16,
    constraints: [['zone', 'LIKE', 'b']],
  });
  assertExit(await exo(['app', 'add', file, '--no-wait']), 0);
  const queue = await waitFor(
    async () => {
      const run = await exo(['queue']);
      return run.stdout.includes('cpus: needs 1000') ? run : undefined;
    },
    { what: 'the placement report' },
  );
  assertExit(queue, 0);
  assert.match(queue.stdout, /^\/cli\/huge: 1 instance waiting/m);
  assert.match(queue.stdout, /not enough cpus: refused by 1 agent/);
  assert.match(queue.stdout, /constraint zone:LIKE:b: refused by 1 agent/);
  assert.match(queue.stdout, /constraint zone:LIKE:b \(zone is a\)/);

  const timedOut = await exo(['app', 'scale', '/cli/huge', '2', '--force', '--timeout-s', '0.3']);
  assertExit(timedOut, 1);
  assert.match(timedOut.stderr, /did not finish within 0\.3 s/);
  assert.match(timedOut.stderr, /exo deployment rollback [0-9a-f-]{36}/);
  assert.doesNotMatch(timedOut.stderr, /\n\s+at /, 'no stack trace');

  const deployments = await exo(['deployment', 'list']);
  assertExit(deployments, 0);
  assert.match(deployments.stdout, /ScaleApplication \/cli\/huge/);
  const [deployment] = await cluster.client.deployments.list();
  const stopped = await exo(['deployment', 'rollback', deployment!.id, '--force']);
  assertExit(stopped, 0);
  assert.match(stopped.stdout, /stopped/);
  assertExit(await exo(['app', 'remove', '/cli/huge', '--force']), 0);
});

void test('node list shows the agent with its resources', async () => {
  const run = await exo(['node', 'list']);
  assertExit(run, 0);
  assert.match(run.stdout, /^ID\s+HOSTNAME\s+CONDITION\s+CPUS\s+MEM/m);
  assert.match(
    run.stdout,
    new RegExp(
      `^${cluster.agent.agentId}\\s+127\\.0\\.0\\.1\\s+active\\s+[\\d.]+/4\\s+\\d+/4096`,
      'm',
    ),
  );
  assert.match(run.stdout, /zone=a/);
});

void test('the master URL comes from endpoints.json when no flag or variable names it', async () => {
  await writeFile(
    join(cluster.exoHome, 'endpoints.json'),
    JSON.stringify({ master: cluster.master.url }),
  );
  const run = await runExo(['node', 'list', '--json'], { exoHome: cluster.exoHome });
  assertExit(run, 0);
  assert.equal((JSON.parse(run.stdout) as { agents: unknown[] }).agents.length, 1);
});

void test('a bad app file exits 1 and names each bad field', async () => {
  const file = await appFile('bad.json', { id: '/cli/bad', cpus: -1, instances: 'two' });
  const run = await exo(['app', 'add', file]);
  assertExit(run, 1);
  assert.match(run.stderr, /EXO_APP_INVALID/);
  assert.match(run.stderr, /^\s+\/cpus: /m);
  assert.match(run.stderr, /^\s+\/instances: /m);

  const notJson = join(cluster.exoHome, 'not-json.json');
  await writeFile(notJson, '{"id": ');
  const broken = await exo(['app', 'add', notJson]);
  assertExit(broken, 1);
  assert.match(broken.stderr, /not-json\.json is not valid JSON/);
});

void test('usage errors exit 2', async () => {
  const unknownFlag = await exo(['app', 'list', '--bogus']);
  assertExit(unknownFlag, 2);
  assert.match(unknownFlag.stderr, /--bogus/);
  assertExit(await exo(['app']), 2);
  assertExit(await exo(['app', 'scale', '/web', 'many']), 2);
  assertExit(await exo(['task', 'logs']), 2);
});

void test('an unreachable master is one clear line, exit 1', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  const run = await runExo(['app', 'list', '--master', `http://127.0.0.1:${port}`], {
    exoHome: cluster.exoHome,
  });
  assertExit(run, 1);
  assert.equal(
    run.stderr,
    `exo app: cannot reach http://127.0.0.1:${port}: ECONNREFUSED (EXO_CLIENT_UNREACHABLE)\n`,
  );
});
