import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
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

/**
 * Real `exo master` and `exo agent` processes on loopback: agent death (SIGKILL), agent
 * pause (SIGSTOP), agent restart, and master kill -9 with restart.
 */
describe('failover with real processes', () => {
  let home: string;
  let master: ExoProcess | undefined;
  const agents: Array<ExoProcess | undefined> = [];

  async function startAgent(index: number): Promise<ExoProcess> {
    const agent = await startExo([
      'agent',
      '--home',
      join(home, `agent${index}`),
      '--master',
      master!.url,
      '--port',
      '0',
      '--hostname',
      `127.0.0.${index + 1}`,
      '--token-file',
      join(home, 'master', 'token'),
      '--resources',
      `cpus=2;mem=2048;disk=1000;${portRange()}`,
      '--heartbeat-interval-ms',
      '500',
    ]);
    agents[index] = agent;
    return agent;
  }

  async function startMaster(): Promise<ExoProcess> {
    master = await startExo([
      'master',
      '--home',
      join(home, 'master'),
      '--port',
      String(masterPort),
      '--agent-timeout-ms',
      '3000',
    ]);
    return master;
  }
  let masterPort = 0;

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'exo-failover-'));
    await startMaster();
    masterPort = Number(new URL(master!.url).port);
    await startAgent(0);
    await startAgent(1);
    await waitFor(
      async () =>
        (await api<{ agents: unknown[] }>(master!.url, 'GET', '/v1/agents')).body.agents.length ===
        2,
      10_000,
      'two agents',
    );
  });

  after(async () => {
    const apps = await api<{ apps: { id: string }[] }>(master!.url, 'GET', '/v2/apps').catch(
      () => undefined,
    );
    for (const app of apps?.body.apps ?? [])
      await api(master!.url, 'DELETE', `/v2/apps${app.id}?force=true`).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    for (const agent of agents) if (agent) await stopExo(agent);
    await stopExo(master);
    // Agents leave tasks running across restarts by design; end any left by a failed test.
    for (const id of ['/failover', '/paused', '/reattach', '/durable'])
      for (const pid of await taskProcesses(home, id)) process.kill(pid, 'SIGKILL');
    await rm(home, { recursive: true, force: true });
  });

  async function deploy(app: Record<string, unknown>): Promise<void> {
    const created = await api<{ deployments: { id: string }[] }>(
      master!.url,
      'POST',
      '/v2/apps',
      app,
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.deployments[0]!.id;
    await waitFor(
      async () =>
        !(await api<{ id: string }[]>(master!.url, 'GET', '/v2/deployments')).body.some(
          (d) => d.id === id,
        ),
      20_000,
      'deployment',
    );
  }

  test('SIGKILL of an agent: its tasks are replaced on the other agent; when it returns, duplicates are killed', async () => {
    await deploy({ id: '/failover', cmd: 'sleep 1000', instances: 2, cpus: 0.1, mem: 16 });
    const before = await tasksOf(master!.url, '/failover');
    const victimAgentId = before[0]!.agentId;
    const victim = before.filter((t) => t.agentId === victimAgentId);
    const agentList = await api<{ agents: { id: string; hostname: string }[] }>(
      master!.url,
      'GET',
      '/v1/agents',
    );
    const victimIndex =
      Number(agentList.body.agents.find((a) => a.id === victimAgentId)!.hostname.split('.')[3]) - 1;
    const killedAt = Date.now();
    agents[victimIndex]!.child.kill('SIGKILL');
    await agents[victimIndex]!.exited;
    await waitFor(
      async () => {
        const tasks = await tasksOf(master!.url, '/failover');
        return (
          tasks.filter((t) => t.state === 'TASK_RUNNING' && t.agentId !== victimAgentId).length ===
          2
        );
      },
      20_000,
      'replacements running on the live agent',
    );
    const failoverMs = Date.now() - killedAt;
    console.log(`# failover: replacements RUNNING ${failoverMs} ms after SIGKILL`);
    const during = await tasksOf(master!.url, '/failover');
    for (const task of victim)
      assert.equal(during.find((t) => t.id === task.id)?.state, 'TASK_UNREACHABLE');

    // The dead agent's tasks still run on its host (they are not its children any more).
    await startAgent(victimIndex);
    await waitFor(
      async () => (await tasksOf(master!.url, '/failover')).length === 2,
      20_000,
      'duplicates to be killed',
    );
    const final = await tasksOf(master!.url, '/failover');
    assert.ok(
      final.every((t) => t.agentId !== victimAgentId),
      'the returning tasks were the ones killed',
    );
    await waitFor(
      async () =>
        JSON.stringify(await liveTaskIds(home, '/failover')) ===
        JSON.stringify(final.map((t) => t.id).sort()),
      // Kills of returning duplicates travel master → agent → SIGTERM → exit; under a loaded CI
      // machine that took over 10 s once. Every other wait of this test allows 20 s.
      20_000,
      'exactly the 2 tasks the master knows to have processes on the machine',
    );
  });

  test('a pause shorter than the agent timeout replaces nothing', async () => {
    await deploy({ id: '/paused', cmd: 'sleep 1000', instances: 2, cpus: 0.1, mem: 16 });
    const before = (await tasksOf(master!.url, '/paused')).map((t) => t.id).sort();
    const agentId = (await tasksOf(master!.url, '/paused'))[0]!.agentId;
    const agentsList = await api<{ agents: { id: string; hostname: string }[] }>(
      master!.url,
      'GET',
      '/v1/agents',
    );
    const index =
      Number(agentsList.body.agents.find((a) => a.id === agentId)!.hostname.split('.')[3]) - 1;
    agents[index]!.child.kill('SIGSTOP');
    await new Promise((r) => setTimeout(r, 1500));
    agents[index]!.child.kill('SIGCONT');
    await new Promise((r) => setTimeout(r, 1500));
    const after = await tasksOf(master!.url, '/paused');
    assert.deepEqual(after.map((t) => t.id).sort(), before);
    assert.ok(after.every((t) => t.state === 'TASK_RUNNING'));
  });

  test('restarting an agent keeps its tasks running and re-attaches to them', async () => {
    await deploy({ id: '/reattach', cmd: 'sleep 1000', instances: 1, cpus: 0.1, mem: 16 });
    const [task] = await tasksOf(master!.url, '/reattach');
    const pidsBefore = (await taskProcesses(home, '/reattach')).sort();
    const agentsList = await api<{ agents: { id: string; hostname: string }[] }>(
      master!.url,
      'GET',
      '/v1/agents',
    );
    const index =
      Number(agentsList.body.agents.find((a) => a.id === task!.agentId)!.hostname.split('.')[3]) -
      1;
    await stopExo(agents[index]);
    assert.deepEqual(
      (await taskProcesses(home, '/reattach')).sort(),
      pidsBefore,
      'stopping the agent left the task running',
    );
    await startAgent(index);
    await new Promise((r) => setTimeout(r, 1500));
    const after = await tasksOf(master!.url, '/reattach');
    assert.deepEqual(
      after.map((t) => [t.id, t.state]),
      [[task!.id, 'TASK_RUNNING']],
    );
    assert.deepEqual((await taskProcesses(home, '/reattach')).sort(), pidsBefore);
    // Re-attached tasks are still controlled: killing through the API ends the process.
    await api(master!.url, 'DELETE', `/v2/apps/reattach/tasks/${task!.id}?scale=true`);
    await waitFor(
      async () => (await taskProcesses(home, '/reattach')).length === 0,
      10_000,
      're-attached task killed',
    );
  });

  test('kill -9 of the master loses no app or task; it reconciles with the agents', async () => {
    await deploy({ id: '/durable', cmd: 'sleep 1000', instances: 2, cpus: 0.1, mem: 16 });
    const before = (await tasksOf(master!.url, '/durable')).map((t) => t.id).sort();
    master!.child.kill('SIGKILL');
    await master!.exited;
    await startMaster();
    const app = await api<{ app: { instances: number } }>(master!.url, 'GET', '/v2/apps/durable');
    assert.equal(app.body.app.instances, 2);
    await new Promise((r) => setTimeout(r, 1500));
    const after = await tasksOf(master!.url, '/durable');
    assert.deepEqual(after.map((t) => t.id).sort(), before, 'the same tasks, not replacements');
    assert.ok(after.every((t) => t.state === 'TASK_RUNNING'));
    const scaled = await api<{ deploymentId: string }>(master!.url, 'PUT', '/v2/apps/durable', {
      instances: 3,
    });
    assert.equal(scaled.status, 200);
    await waitFor(
      async () =>
        (await tasksOf(master!.url, '/durable')).filter((t) => t.state === 'TASK_RUNNING')
          .length === 3,
      15_000,
      'scale after restart',
    );
  });
});
