import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isTerminal, type TaskState } from '../../src/core/task-state.js';
import { startTestCluster, waitFor, type TestCluster } from '../helpers/cluster.js';

interface Task {
  id: string;
  state: string;
  healthy?: boolean;
  version: string;
}

/**
 * A rolling upgrade with real processes and real health checks: while it runs, the number of
 * healthy tasks never falls below minimumHealthCapacity × instances, and the total never
 * exceeds (1 + maximumOverCapacity) × instances.
 */
describe('rolling upgrade', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ agents: 2 });
  });
  after(async () => {
    await cluster.close();
  });

  test('honours minimumHealthCapacity and maximumOverCapacity, and replaces every task', async () => {
    const instances = 4;
    const app = {
      id: '/rolling',
      cmd: 'sleep 0.4; touch ready; sleep 1000',
      instances,
      cpus: 0.1,
      mem: 16,
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.25 },
      healthChecks: [
        {
          protocol: 'COMMAND',
          command: { value: 'test -f ready' },
          intervalSeconds: 0.2,
          gracePeriodSeconds: 30,
        },
      ],
    };
    const created = await cluster.api<{ deployments: { id: string }[] }>('POST', '/v2/apps', app);
    const done = async (id: string): Promise<boolean> =>
      !(await cluster.api<{ id: string }[]>('GET', '/v2/deployments')).body.some(
        (d) => d.id === id,
      );
    await waitFor(() => done(created.body.deployments[0]!.id), 30_000, 'the first deployment');
    const before = (
      await cluster.api<{ tasks: Task[] }>('GET', '/v2/apps/rolling/tasks')
    ).body.tasks.map((t) => t.id);
    assert.equal(before.length, instances);

    const upgrade = await cluster.api<{ deploymentId: string }>('PUT', '/v2/apps/rolling', {
      env: { RELEASE: '2' },
    });
    assert.equal(upgrade.status, 200);
    let minimumHealthy = Infinity;
    let maximumTotal = 0;
    let largest = '';
    while (!(await done(upgrade.body.deploymentId))) {
      const { tasks } = (await cluster.api<{ tasks: Task[] }>('GET', '/v2/apps/rolling/tasks'))
        .body;
      // Tasks that ended (killed, finished, failed, lost…) hold no capacity.
      const alive = tasks.filter((t) => !isTerminal(t.state as TaskState));
      minimumHealthy = Math.min(
        minimumHealthy,
        alive.filter((t) => t.healthy === true && t.state === 'TASK_RUNNING').length,
      );
      if (alive.length > maximumTotal) {
        maximumTotal = alive.length;
        largest = alive.map((t) => `${t.id.slice(-8)} ${t.state} v${t.version}`).join(', ');
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(minimumHealthy >= instances * 0.5, `healthy tasks fell to ${minimumHealthy}`);
    // Tasks being killed still run until they exit, so they are counted too: a kill is only
    // sent once capacity allows it, which bounds the total by the upgrade strategy.
    assert.ok(maximumTotal <= instances * 1.25, `total reached ${maximumTotal}: ${largest}`);
    const after = (await cluster.api<{ tasks: Task[] }>('GET', '/v2/apps/rolling/tasks')).body
      .tasks;
    assert.equal(after.length, instances);
    assert.ok(after.every((t) => !before.includes(t.id) && t.healthy === true));
  });
});
