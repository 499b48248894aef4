import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCluster, waitFor, type TestCluster } from '../helpers/cluster.js';

describe('groups, events, info and auth', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ agents: 1 });
  });
  after(async () => {
    await cluster.close();
  });

  test('a group with dependencies deploys in order, and a cycle is rejected with its path', async () => {
    const group = {
      id: '/shop',
      apps: [
        { id: 'web', cmd: 'sleep 1000', cpus: 0.1, mem: 16, dependencies: ['/shop/db'] },
        { id: 'db', cmd: 'sleep 1000', cpus: 0.1, mem: 16 },
      ],
    };
    const created = await cluster.api<{ deploymentId: string }>('POST', '/v2/groups', group);
    assert.equal(created.status, 201);
    const deployments = await cluster.api<
      { id: string; steps: { actions: { app: string }[] }[] }[]
    >('GET', '/v2/deployments');
    const plan = deployments.body.find((d) => d.id === created.body.deploymentId);
    if (plan)
      assert.deepEqual(
        plan.steps.map((s) => s.actions.map((a) => a.app)),
        [['/shop/db'], ['/shop/web']],
      );
    await waitFor(
      async () => {
        const { body } = await cluster.api<{ id: string }[]>('GET', '/v2/deployments');
        return !body.some((d) => d.id === created.body.deploymentId);
      },
      20_000,
      'the group deployment',
    );
    const tree = await cluster.api<{ id: string; apps: { id: string; tasksRunning: number }[] }>(
      'GET',
      '/v2/groups/shop',
    );
    assert.deepEqual(
      tree.body.apps.map((a) => [a.id, a.tasksRunning]),
      [
        ['/shop/db', 1],
        ['/shop/web', 1],
      ],
    );
    const root = await cluster.api<{ groups: { id: string }[] }>('GET', '/v2/groups');
    assert.ok(root.body.groups.some((g) => g.id === '/shop'));

    const cycle = await cluster.api<{ code: string; message: string }>('PUT', '/v2/apps/shop/db', {
      dependencies: ['/shop/web'],
    });
    assert.equal(cycle.status, 422);
    assert.equal(cycle.body.code, 'EXO_DEPENDENCY_CYCLE');
    assert.match(
      cycle.body.message,
      /\/shop\/db -> \/shop\/web -> \/shop\/db|\/shop\/web -> \/shop\/db -> \/shop\/web/,
    );

    const scaled = await cluster.api<{ deploymentId: string }>('PUT', '/v2/groups/shop', {
      scaleBy: 2,
    });
    assert.equal(scaled.status, 200);
    await waitFor(
      async () =>
        (await cluster.api<{ app: { tasksRunning: number } }>('GET', '/v2/apps/shop/web')).body.app
          .tasksRunning === 2,
      15_000,
      'scaleBy',
    );

    const removed = await cluster.api('DELETE', '/v2/groups/shop?force=true');
    assert.equal(removed.status, 200);
    assert.equal((await cluster.api('GET', '/v2/groups/shop')).status, 404);
  });

  test('/v2/events streams Marathon events as server-sent events, filtered by event_type', async () => {
    const controller = new AbortController();
    const response = await fetch(
      `${cluster.url}/v2/events?event_type=deployment_success&event_type=status_update_event`,
      {
        headers: { accept: 'text/event-stream' },
        signal: controller.signal,
      },
    );
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    const reader = response.body!.getReader();
    const created = await cluster.api<{ deployments: { id: string }[] }>('POST', '/v2/apps', {
      id: '/evented',
      cmd: 'sleep 1000',
      cpus: 0.1,
      mem: 16,
    });
    const wanted = created.body.deployments[0]!.id;
    let text = '';
    const deadline = Date.now() + 15_000;
    while (!text.includes(`"id":"${wanted}"`) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
    controller.abort();
    assert.match(text, /event: status_update_event\ndata: \{.*"taskStatus":"TASK_RUNNING"/);
    const successes = [...text.matchAll(/event: deployment_success\ndata: (.*)\n/g)].map(
      (m) => JSON.parse(m[1]!) as { id: string },
    );
    assert.ok(
      successes.some((s) => s.id === wanted),
      'the deployment_success event of this deployment arrived',
    );
    assert.ok(
      !text.includes('event: instance_changed_event'),
      'unrequested types are filtered out',
    );
    await cluster.api('DELETE', '/v2/apps/evented?force=true');
  });

  test('info, leader, ping, health and metrics', async () => {
    const info = await cluster.api<{ name: string; leader: string; elected: boolean }>(
      'GET',
      '/v2/info',
    );
    assert.equal(info.body.name, 'exosphere');
    assert.equal(info.body.elected, true);
    assert.equal(
      (await cluster.api<{ leader: string }>('GET', '/v2/leader')).body.leader,
      new URL(cluster.url).host,
    );
    assert.equal(await (await fetch(`${cluster.url}/ping`)).text(), 'pong\n');
    assert.equal((await cluster.api<{ status: string }>('GET', '/health')).body.status, 'ok');
    const metrics = await (await fetch(`${cluster.url}/metrics`)).text();
    for (const name of [
      'exo_tasks{state="TASK_RUNNING"}',
      'exo_placements_total',
      'exo_agent_heartbeat_lag_seconds_bucket',
      'exo_agents{condition="active"}',
      'http_requests_total',
    ]) {
      assert.ok(metrics.includes(name), `metrics include ${name}`);
    }
  });

  test('agent traffic needs the cluster token even on loopback; unknown routes are JSON 404s', async () => {
    const register = await cluster.api<{ code: string }>(
      'POST',
      '/internal/v1/agents/register',
      {},
    );
    assert.equal(register.status, 401);
    assert.equal(register.body.code, 'EXO_UNAUTHORIZED');
    const wrong = await fetch(`${cluster.url}/internal/v1/agents/x/heartbeat`, {
      method: 'POST',
      headers: { authorization: 'Bearer nope' },
      body: '{}',
    });
    assert.equal(wrong.status, 401);
    const missing = await cluster.api<{ code: string }>('GET', '/v2/nothing');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'EXO_NOT_FOUND');
    const method = await cluster.api<{ code: string }>('PATCH', '/v2/info');
    assert.equal(method.status, 405);
    const agents = await cluster.api<{ agents: { condition: string; isolation: string }[] }>(
      'GET',
      '/v1/agents',
    );
    assert.equal(agents.body.agents[0]!.condition, 'active');
    assert.ok(agents.body.agents[0]!.isolation.length > 0);
  });
});
