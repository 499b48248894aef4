import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestHost, netnsUnavailableReason, type TestHost } from './helpers/netns.js';
import {
  api,
  liveTaskIds,
  portRange,
  startExo,
  stopExo,
  taskProcesses,
  tasksOf,
  waitFor,
  type ExoProcess,
} from './helpers/processes.js';

const unavailable = netnsUnavailableReason();

/**
 * A real network partition: one agent runs in its own network namespace (a separate test
 * host with its own address); the link to it is cut for longer than the agent timeout, then
 * restored. Its tasks must be replaced during the partition and the duplicates removed after.
 */
describe('network partition between master and an agent', { skip: unavailable }, () => {
  let home: string;
  let host: TestHost;
  let master: ExoProcess;
  let token: string;
  let isolated: ExoProcess;
  let local: ExoProcess | undefined;

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'exo-partition-'));
    host = createTestHost(0);
    // The master listens on the link address, which is not loopback: users need the token too.
    master = await startExo([
      'master',
      '--home',
      join(home, 'master'),
      '--host',
      '0.0.0.0',
      '--port',
      '0',
      '--agent-timeout-ms',
      '3000',
    ]);
    token = (await readFile(join(home, 'master', 'token'), 'utf8')).trim();
    const port = new URL(master.url).port;
    isolated = await startExo(
      [
        'agent',
        '--home',
        join(home, 'isolated'),
        '--master',
        `http://${host.outerAddress}:${port}`,
        '--host',
        host.innerAddress,
        '--port',
        '0',
        '--token',
        token,
        '--resources',
        `cpus=2;mem=1024;disk=100;${portRange()}`,
        '--attribute',
        'zone=isolated',
      ],
      { prefix: ['ip', 'netns', 'exec', host.name] },
    );
  });

  async function startLocalAgent(): Promise<void> {
    const port = new URL(master.url).port;
    local = await startExo([
      'agent',
      '--home',
      join(home, 'local'),
      '--master',
      `http://127.0.0.1:${port}`,
      '--port',
      '0',
      '--token',
      token,
      '--resources',
      `cpus=2;mem=1024;disk=100;${portRange()}`,
      '--attribute',
      'zone=local',
    ]);
  }

  after(async () => {
    host?.setLink(true);
    const url = master ? `http://127.0.0.1:${new URL(master.url).port}` : undefined;
    if (url)
      await api(url, 'DELETE', '/v2/apps/partitioned?force=true', undefined, token).catch(
        () => undefined,
      );
    await new Promise((r) => setTimeout(r, 500));
    await stopExo(isolated);
    await stopExo(local);
    await stopExo(master);
    for (const pid of await taskProcesses(home, '/partitioned')) process.kill(pid, 'SIGKILL');
    host?.remove();
    await rm(home, { recursive: true, force: true });
  });

  test('tasks behind a partition are replaced; after it heals no duplicate remains', async () => {
    const url = `http://127.0.0.1:${new URL(master.url).port}`;
    const unauthenticated = await api(url, 'GET', '/v2/apps');
    assert.equal(
      unauthenticated.status,
      401,
      'a master on a non-loopback address refuses unauthenticated requests',
    );
    await waitFor(
      async () =>
        (await api<{ agents: unknown[] }>(url, 'GET', '/v1/agents', undefined, token)).body.agents
          .length === 1,
      15_000,
      'the isolated agent',
    );
    const created = await api<{ deployments: { id: string }[] }>(
      url,
      'POST',
      '/v2/apps',
      { id: '/partitioned', cmd: 'sleep 1000', instances: 2, cpus: 0.1, mem: 16 },
      token,
    );
    assert.equal(created.status, 201);
    await waitFor(
      async () =>
        (await tasksOf(url, '/partitioned', token)).filter((t) => t.state === 'TASK_RUNNING')
          .length === 2,
      15_000,
      'tasks on the isolated host',
    );
    const placed = (await tasksOf(url, '/partitioned', token)).map((t) => t.id).sort();
    // The second agent joins only now, so both tasks are certainly behind the partition.
    await startLocalAgent();
    await waitFor(
      async () =>
        (await api<{ agents: unknown[] }>(url, 'GET', '/v1/agents', undefined, token)).body.agents
          .length === 2,
      15_000,
      'both agents',
    );

    host.setLink(false);
    await waitFor(
      async () => {
        const tasks = await tasksOf(url, '/partitioned', token);
        return (
          tasks.filter((t) => t.state === 'TASK_RUNNING').length === 2 &&
          tasks.filter((t) => t.state === 'TASK_UNREACHABLE').length === 2
        );
      },
      20_000,
      'replacements while partitioned',
    );
    assert.deepEqual(
      (await liveTaskIds(home, '/partitioned')).length,
      4,
      'the isolated tasks keep running behind the partition',
    );

    host.setLink(true);
    await waitFor(
      async () => (await tasksOf(url, '/partitioned', token)).length === 2,
      30_000,
      'duplicates killed after the partition heals',
    );
    const final = (await tasksOf(url, '/partitioned', token)).map((t) => t.id).sort();
    for (const id of placed)
      assert.ok(!final.includes(id), 'the tasks that were cut off are the ones removed');
    await waitFor(
      async () => JSON.stringify(await liveTaskIds(home, '/partitioned')) === JSON.stringify(final),
      15_000,
      'no duplicate process left',
    );
  });
});
