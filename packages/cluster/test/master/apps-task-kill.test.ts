import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCluster, waitFor, type TestCluster } from '../helpers/cluster.js';

interface App {
  instances: number;
  tasksRunning: number;
  deployments: { id: string }[];
}

/** Killing tasks as Marathon's AppTasksResource.deleteMany and TasksResource.killTasks do. */
describe('DELETE /v2/apps/{id}/tasks and POST /v2/tasks/delete query parameters', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ agents: 1 });
  });
  after(async () => {
    await cluster.close();
  });

  async function app(id: string): Promise<App> {
    return (await cluster.api<{ app: App }>('GET', `/v2/apps${id}`)).body.app;
  }

  test('scale and wipe together are a 400 on every kill endpoint', async () => {
    const created = await cluster.api<App>('POST', '/v2/apps', {
      id: '/kill/wipe',
      cmd: 'sleep 1000',
      instances: 0,
      cpus: 0.1,
      mem: 16,
    });
    assert.equal(created.status, 201);
    for (const [method, path, body] of [
      ['DELETE', '/v2/apps/kill/wipe/tasks?scale=true&wipe=true', undefined],
      ['DELETE', '/v2/apps/kill/wipe/tasks/kill_wipe.x?scale=true&wipe=true', undefined],
      ['POST', '/v2/tasks/delete?scale=true&wipe=true', { ids: [] }],
    ] as const) {
      const response = await cluster.api<{ code: string; message: string }>(method, path, body);
      assert.equal(response.status, 400, `${method} ${path}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body.code, 'EXO_BAD_REQUEST');
      assert.equal(response.body.message, 'You cannot use scale and wipe at the same time.');
    }
  });

  test('host=* kills the tasks on every host', async () => {
    const created = await cluster.api<App>('POST', '/v2/apps', {
      id: '/kill/everywhere',
      cmd: 'sleep 1000',
      instances: 2,
      cpus: 0.1,
      mem: 16,
    });
    assert.equal(created.status, 201);
    await waitFor(
      async () => (await app('/kill/everywhere')).tasksRunning === 2,
      20_000,
      'two running tasks',
    );
    const killed = await cluster.api<{ deploymentId: string }>(
      'DELETE',
      '/v2/apps/kill/everywhere/tasks?host=*&scale=true',
    );
    assert.equal(killed.status, 200, JSON.stringify(killed.body));
    assert.equal((await app('/kill/everywhere')).instances, 0);
  });
});
