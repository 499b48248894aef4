import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCluster, waitFor, type TestCluster } from '../helpers/cluster.js';

interface App {
  id: string;
  instances: number;
  version: string;
  tasksRunning: number;
  tasksHealthy: number;
  deployments: { id: string }[];
  tasks?: { id: string; state: string; host: string; ports: number[]; healthy?: boolean }[];
  lastTaskFailure?: { message: string };
  portDefinitions: { port: number }[];
}

describe('Marathon v2 apps API against a real master and agent', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ agents: 1 });
  });
  after(async () => {
    await cluster.close();
  });

  async function deployed(deploymentId: string): Promise<void> {
    await waitFor(
      async () => {
        const { body } = await cluster.api<{ id: string }[]>('GET', '/v2/deployments');
        return !body.some((d) => d.id === deploymentId);
      },
      20_000,
      `deployment ${deploymentId}`,
    );
  }

  async function app(id: string): Promise<App> {
    return (
      await cluster.api<{ app: App }>(
        'GET',
        `/v2/apps${id}?embed=app.tasks&embed=app.lastTaskFailure`,
      )
    ).body.app;
  }

  test('create, read, scale, restart and delete an app', async () => {
    const created = await cluster.api<App>('POST', '/v2/apps', {
      id: '/crud/sleeper',
      cmd: 'sleep 1000',
      instances: 2,
      cpus: 0.1,
      mem: 16,
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.deployments.length, 1);
    await deployed(created.body.deployments[0]!.id);
    let current = await app('/crud/sleeper');
    assert.equal(current.tasksRunning, 2);
    assert.equal(current.portDefinitions[0]!.port >= 10000, true, 'a service port was assigned');

    const duplicate = await cluster.api<{ code: string }>('POST', '/v2/apps', {
      id: '/crud/sleeper',
      cmd: 'sleep 1',
    });
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.body.code, 'EXO_APP_EXISTS');

    const scaled = await cluster.api<{ deploymentId: string; version: string }>(
      'PUT',
      '/v2/apps/crud/sleeper',
      { instances: 3 },
    );
    assert.equal(scaled.status, 200);
    assert.ok(scaled.body.deploymentId && scaled.body.version);
    await deployed(scaled.body.deploymentId);
    current = await app('/crud/sleeper');
    assert.equal(current.tasksRunning, 3);
    const before = new Set(current.tasks!.map((t) => t.id));

    const restarted = await cluster.api<{ deploymentId: string }>(
      'POST',
      '/v2/apps/crud/sleeper/restart',
    );
    await deployed(restarted.body.deploymentId);
    current = await app('/crud/sleeper');
    assert.equal(current.tasks!.length, 3);
    assert.ok(
      current.tasks!.every((t) => !before.has(t.id)),
      'a restart replaces every task',
    );

    const versions = await cluster.api<{ versions: string[] }>(
      'GET',
      '/v2/apps/crud/sleeper/versions',
    );
    assert.ok(versions.body.versions.length >= 3);
    const oldest = versions.body.versions.at(-1)!;
    const old = await cluster.api<App>('GET', `/v2/apps/crud/sleeper/versions/${oldest}`);
    assert.equal(old.body.instances, 2);
    const rolledBack = await cluster.api<{ deploymentId: string }>('PUT', '/v2/apps/crud/sleeper', {
      version: oldest,
    });
    await deployed(rolledBack.body.deploymentId);
    assert.equal(
      (await app('/crud/sleeper')).tasksRunning,
      2,
      'rollback to a version restores its instances',
    );

    const removed = await cluster.api<{ deploymentId: string }>('DELETE', '/v2/apps/crud/sleeper');
    await deployed(removed.body.deploymentId);
    assert.equal((await cluster.api('GET', '/v2/apps/crud/sleeper')).status, 404);
    const tasks = await cluster.api<{ tasks: { appId: string }[] }>('GET', '/v2/tasks');
    assert.ok(!tasks.body.tasks.some((t) => t.appId === '/crud/sleeper'));
  });

  test('PUT creates a missing app (201) and updates an existing one (200)', async () => {
    const created = await cluster.api<{ deploymentId: string }>('PUT', '/v2/apps/put/created', {
      cmd: 'sleep 1000',
      cpus: 0.1,
      mem: 16,
    });
    assert.equal(created.status, 201);
    await deployed(created.body.deploymentId);
    const updated = await cluster.api<{ deploymentId: string }>('PUT', '/v2/apps/put/created', {
      instances: 0,
    });
    assert.equal(updated.status, 200);
    await deployed(updated.body.deploymentId);
    await cluster.api('DELETE', '/v2/apps/put/created');
  });

  test('422 lists every invalid field path and changes nothing', async () => {
    const response = await cluster.api<{
      code: string;
      details: { path: string; errors: string[] }[];
    }>('POST', '/v2/apps', {
      id: '/invalid',
      cmd: 'sleep 1',
      instances: -2,
      container: { type: 'DOCKER', docker: { image: 'nginx' } },
    });
    assert.equal(response.status, 422);
    assert.equal(response.body.code, 'EXO_APP_INVALID');
    const paths = response.body.details.map((d) => d.path).sort();
    assert.deepEqual(paths, ['/container', '/instances']);
    assert.equal((await cluster.api('GET', '/v2/apps/invalid')).status, 404);

    const batch = await cluster.api('PUT', '/v2/apps', [
      { id: '/batch/good', cmd: 'sleep 1000', cpus: 0.1, mem: 16 },
      { id: '/batch/bad', cmd: 'sleep 1000', cpus: 'many' },
    ]);
    assert.equal(batch.status, 422);
    assert.equal(
      (await cluster.api('GET', '/v2/apps/batch/good')).status,
      404,
      'a batch with one invalid app changes nothing',
    );

    const malformed = await cluster.api<{ code: string }>('POST', '/v2/apps', '{"id": "x", ');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.code, 'EXO_BAD_REQUEST');
  });

  test('a deployment locks its app: 409 unless force=true', async () => {
    // Too big to place: the deployment stays in progress.
    const created = await cluster.api<App>('POST', '/v2/apps', {
      id: '/locked',
      cmd: 'sleep 1000',
      cpus: 100,
      mem: 16,
    });
    assert.equal(created.status, 201);
    const blocked = await cluster.api<{ code: string; deployments: { id: string }[] }>(
      'PUT',
      '/v2/apps/locked',
      { cpus: 0.1 },
    );
    assert.equal(blocked.status, 409);
    assert.equal(blocked.body.code, 'EXO_APP_LOCKED');
    assert.equal(blocked.body.deployments[0]!.id, created.body.deployments[0]!.id);

    type Entry = {
      app: { id: string };
      count: number;
      placement?: { rejections: Record<string, number>; agents: { reasons: string[] }[] };
    };
    // The placement diagnosis comes from the scheduler's next round, which runs on its own.
    let entry: Entry | undefined;
    await waitFor(
      async () => {
        const queue = await cluster.api<{ queue: Entry[] }>('GET', '/v2/queue');
        entry = queue.body.queue.find((q) => q.app.id === '/locked');
        return entry?.placement !== undefined;
      },
      10_000,
      'the app to wait in the queue with a placement diagnosis',
    );
    assert.ok(entry?.placement);
    assert.equal(entry.count, 1);
    assert.equal(entry.placement.rejections.InsufficientCpus, 1);
    assert.match(entry.placement.agents[0]!.reasons.join(' '), /cpus: needs 100/);

    const forced = await cluster.api<{ deploymentId: string }>(
      'PUT',
      '/v2/apps/locked?force=true',
      { cpus: 0.1 },
    );
    assert.equal(forced.status, 200);
    await deployed(forced.body.deploymentId);
    assert.equal((await app('/locked')).tasksRunning, 1);
    const deployments = await cluster.api<unknown[]>('GET', '/v2/deployments');
    assert.ok(
      !JSON.stringify(deployments.body).includes(created.body.deployments[0]!.id),
      'the forced change canceled the old deployment',
    );
  });

  test('DELETE of an app stuck in a deployment: removed by default, 409 only with force=false', async () => {
    const created = await cluster.api<App>('POST', '/v2/apps', {
      id: '/stuck/removed',
      cmd: 'sleep 1000',
      cpus: 100,
      mem: 16,
    });
    assert.equal(created.status, 201);
    const refused = await cluster.api<{ code: string }>(
      'DELETE',
      '/v2/apps/stuck/removed?force=false',
    );
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'EXO_APP_LOCKED');
    assert.equal((await cluster.api('GET', '/v2/apps/stuck/removed')).status, 200);

    // Marathon's DELETE /v2/apps/{id} defaults to force=true.
    const removed = await cluster.api<{ deploymentId: string }>('DELETE', '/v2/apps/stuck/removed');
    assert.equal(removed.status, 200);
    assert.ok(removed.body.deploymentId);
    assert.equal((await cluster.api('GET', '/v2/apps/stuck/removed')).status, 404);
    const queue = await cluster.api<{ queue: { app: { id: string } }[] }>('GET', '/v2/queue');
    assert.ok(!queue.body.queue.some((q) => q.app.id === '/stuck/removed'));
  });

  test('DELETE /v2/deployments/{id} rolls back; with force it only stops', async () => {
    const created = await cluster.api<App>('POST', '/v2/apps', {
      id: '/rollback',
      cmd: 'sleep 1000',
      cpus: 0.1,
      mem: 16,
    });
    await deployed(created.body.deployments[0]!.id);
    const stuck = await cluster.api<{ deploymentId: string }>('PUT', '/v2/apps/rollback', {
      cpus: 500,
    });
    const rolled = await cluster.api<{ deploymentId: string }>(
      'DELETE',
      `/v2/deployments/${stuck.body.deploymentId}`,
    );
    assert.equal(rolled.status, 200);
    await deployed(rolled.body.deploymentId);
    const current = await app('/rollback');
    assert.equal((current as unknown as { cpus: number }).cpus, 0.1);
    assert.equal(current.tasksRunning, 1);

    const stuckAgain = await cluster.api<{ deploymentId: string }>('PUT', '/v2/apps/rollback', {
      cpus: 600,
    });
    const stopped = await cluster.api(
      'DELETE',
      `/v2/deployments/${stuckAgain.body.deploymentId}?force=true`,
    );
    assert.equal(stopped.status, 202);
    assert.equal(
      (await cluster.api('DELETE', `/v2/deployments/${stuckAgain.body.deploymentId}`)).status,
      404,
    );
  });

  test('killing a task replaces it; with scale=true the app shrinks', async () => {
    const created = await cluster.api<App>('POST', '/v2/apps', {
      id: '/killme',
      cmd: 'sleep 1000',
      instances: 2,
      cpus: 0.1,
      mem: 16,
    });
    await deployed(created.body.deployments[0]!.id);
    const first = (await app('/killme')).tasks![0]!;
    const killed = await cluster.api<{ task: { id: string } }>(
      'DELETE',
      `/v2/apps/killme/tasks/${first.id}`,
    );
    assert.equal(killed.status, 200);
    assert.equal(killed.body.task.id, first.id);
    await waitFor(
      async () => {
        const tasks = (await app('/killme')).tasks!;
        return (
          tasks.length === 2 && tasks.every((t) => t.state === 'TASK_RUNNING' && t.id !== first.id)
        );
      },
      15_000,
      'the killed task to be replaced',
    );

    const victim = (await app('/killme')).tasks![0]!;
    const scaled = await cluster.api<{ deploymentId: string }>(
      'POST',
      '/v2/tasks/delete?scale=true',
      { ids: [victim.id] },
    );
    assert.equal(scaled.status, 200);
    await deployed(scaled.body.deploymentId);
    const after = await app('/killme');
    assert.equal(after.instances, 1);
    await waitFor(async () => (await app('/killme')).tasks!.length === 1, 10_000, 'one task left');
  });

  test('a crashing app backs off and reports its last failure', async () => {
    const created = await cluster.api<App>('POST', '/v2/apps', {
      id: '/crasher',
      cmd: 'echo boom >&2; exit 3',
      cpus: 0.1,
      mem: 16,
      backoffSeconds: 1,
      backoffFactor: 2,
    });
    assert.equal(created.status, 201);
    await waitFor(
      async () => (await app('/crasher')).lastTaskFailure !== undefined,
      10_000,
      'a task failure',
    );
    const failure = (await app('/crasher')).lastTaskFailure!;
    assert.match(failure.message, /code 3/);
    // Between backoffs the app is relaunched, and while that task lives (briefly) it has
    // nothing left to launch, so it is out of the queue: poll for it rather than look once.
    await waitFor(
      async () => {
        const queue = await cluster.api<{
          queue: { app: { id: string }; count: number; delay: { timeLeftSeconds: number } }[];
        }>('GET', '/v2/queue');
        return queue.body.queue.some((q) => q.app.id === '/crasher' && q.count === 1);
      },
      10_000,
      'the crashing app to wait in the queue',
    );
    assert.equal((await cluster.api('DELETE', '/v2/queue/crasher/delay')).status, 204);
    await cluster.api('DELETE', '/v2/apps/crasher?force=true');
  });
});
