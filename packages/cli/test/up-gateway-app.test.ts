import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { api, exoMain, portRange, tasksOf, waitFor, type TaskJson } from './helpers/processes.js';

/** A task: a small HTTP server on $PORT0 that answers with its own task id. */
const serverScript =
  "require('http').createServer((q,s)=>s.end(process.env.MESOS_TASK_ID)).listen(+process.env.PORT0)";

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly atMs: number;
}

test('exo up: a gateway route to `app: /web` follows its healthy tasks through scale and kill', async () => {
  const home = await mkdtemp(join(tmpdir(), 'exo-up-gateway-'));
  const child = spawn(
    process.execPath,
    [
      exoMain,
      'up',
      '--home',
      home,
      '--master-port',
      '0',
      '--gateway-port',
      '0',
      '--gateway-admin-port',
      '0',
      '--sql-port',
      '0',
      '--resources',
      `cpus=2;mem=1024;disk=100;${portRange()}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EXO_LOG_LEVEL: 'warn' } },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const endpointsPath = join(home, 'endpoints.json');
    await waitFor(async () => (await stat(endpointsPath)).size > 0, 20_000, 'endpoints.json');
    const endpoints = JSON.parse(await readFile(endpointsPath, 'utf8')) as Record<string, string>;
    const master = endpoints.master!;
    const gateway = endpoints.gateway!;
    const ask = async (): Promise<Answer> => {
      const response = await fetch(`${gateway}/hello`);
      return { status: response.status, body: await response.text(), atMs: performance.now() };
    };

    // `exo up` gave its gateway the master: the file needs no master section.
    const applied = await api(endpoints.gateway_admin!, 'PUT', '/config', {
      upstreams: [{ name: 'web', app: '/web', healthCheck: { passive: {} } }],
      routes: [{ name: 'web', match: { paths: ['/*'] }, upstream: 'web' }],
    });
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    const before = await ask();
    assert.equal(before.status, 503, 'no app yet');
    assert.equal(
      (JSON.parse(before.body) as { code: string }).code,
      'EXO_GATEWAY_UPSTREAM_UNAVAILABLE',
    );

    const created = await api(master, 'POST', '/v2/apps', {
      id: '/web',
      cmd: `${process.execPath} -e "${serverScript}"`,
      instances: 1,
      cpus: 0.1,
      mem: 32,
      portDefinitions: [{ port: 0 }],
      healthChecks: [
        {
          protocol: 'HTTP',
          path: '/',
          portIndex: 0,
          gracePeriodSeconds: 10,
          intervalSeconds: 1,
          timeoutSeconds: 1,
          maxConsecutiveFailures: 3,
        },
      ],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await waitFor(
      async () => (await ask()).status === 200,
      20_000,
      'the first task behind the gateway',
    );
    const [firstTask] = await tasksOf(master, '/web');
    assert.equal((await ask()).body, firstTask!.id);

    const scaled = await api(master, 'PATCH', '/v2/apps/web', { instances: 2 });
    assert.equal(scaled.status, 200, JSON.stringify(scaled.body));
    const served = new Set<string>();
    await waitFor(
      async () => {
        const answer = await ask();
        assert.equal(answer.status, 200, answer.body);
        served.add(answer.body);
        return served.size === 2;
      },
      20_000,
      'both instances to receive traffic',
    );
    const tasks = await tasksOf(master, '/web');
    assert.deepEqual([...served].sort(), tasks.map((task) => task.id).sort());

    // Kill one task while requests flow; the gateway must stop sending to it.
    const victim = tasks.find((task) => task.id === firstTask!.id)!;
    const victimUrl = targetUrl(victim);
    const answers: Answer[] = [];
    let flowing = true;
    const flow = (async () => {
      while (flowing)
        answers.push(
          await ask().catch(() => ({ status: 0, body: 'fetch failed', atMs: performance.now() })),
        );
    })();
    const killedAtMs = performance.now();
    const killed = await api(
      master,
      'DELETE',
      `/v2/apps/web/tasks/${encodeURIComponent(victim.id)}`,
    );
    assert.equal(killed.status, 200, JSON.stringify(killed.body));
    let settledAtMs = 0;
    await waitFor(
      async () => {
        const upstreams = await api<Array<{ targets: Array<{ url: string }> }>>(
          endpoints.gateway_admin!,
          'GET',
          '/upstreams',
        );
        const listed = upstreams.body[0]!.targets.some((target) => target.url === victimUrl);
        if (!listed && settledAtMs === 0) settledAtMs = performance.now();
        return !listed;
      },
      10_000,
      'the killed task to leave the target list',
    );
    const duringChange = answers.filter((answer) => answer.atMs <= settledAtMs);
    console.log(
      `the gateway stopped sending to the killed task ${Math.round(settledAtMs - killedAtMs)} ms after the DELETE; ` +
        `${duringChange.filter((answer) => answer.status !== 200).length} of ${duringChange.length} requests meanwhile failed`,
    );
    let replacement: TaskJson | undefined;
    await waitFor(
      async () => {
        replacement = (await tasksOf(master, '/web')).find(
          (task) => task.id !== victim.id && !served.has(task.id),
        );
        return (
          replacement !== undefined && answers.some((answer) => answer.body === replacement!.id)
        );
      },
      20_000,
      'the replacement task to receive traffic',
    );
    flowing = false;
    await flow;
    const afterSettle = answers.filter((answer) => answer.atMs > settledAtMs + 50);
    assert.ok(afterSettle.length > 0);
    assert.deepEqual(
      afterSettle.filter((answer) => answer.status !== 200),
      [],
      'no request fails once the change has settled',
    );
    assert.ok(
      !afterSettle.some((answer) => answer.body === victim.id),
      'the killed task gets no request once it left the list',
    );

    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } catch (error) {
    console.log(output);
    throw error;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(home, { recursive: true, force: true });
  }
});

function targetUrl(task: TaskJson): string {
  const { host, ports } = task as TaskJson & { ports: number[] };
  return `http://${host}:${ports[0]}`;
}
