import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCluster, waitFor, type TestCluster } from '../helpers/cluster.js';
import { appFixtures } from './compat/app-fixtures.js';
import { appConfig, assertIncludes, assertInvalid, request, type Body } from './compat/helpers.js';

/** Fields every app of GET /v2/apps/{id} has in Marathon, whatever was posted. */
const appFields = [
  'id',
  'cmd',
  'args',
  'user',
  'env',
  'instances',
  'cpus',
  'mem',
  'disk',
  'gpus',
  'executor',
  'constraints',
  'fetch',
  'backoffSeconds',
  'backoffFactor',
  'maxLaunchDelaySeconds',
  'container',
  'healthChecks',
  'readinessChecks',
  'dependencies',
  'upgradeStrategy',
  'unreachableStrategy',
  'killSelection',
  'labels',
  'portDefinitions',
  'ports',
  'requirePorts',
  'networks',
  'secrets',
  'version',
  'versionInfo',
  'tasksStaged',
  'tasksRunning',
  'tasksHealthy',
  'tasksUnhealthy',
  'deployments',
  'tasks',
];

describe('Marathon app JSON as users wrote it, against a real master and agent', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ agents: 1 });
  });
  after(async () => {
    await cluster.close();
  });
  const call = (method: string, path: string, body?: unknown) =>
    request(cluster.url, method, path, body);

  for (const fixture of appFixtures) {
    test(`${fixture.name}: POST → ${fixture.status}`, async () => {
      const posted = await call('POST', '/v2/apps', fixture.body);
      if (fixture.status === 422) {
        assertInvalid(posted, fixture.paths ?? []);
        return;
      }
      assert.equal(posted.status, 201, JSON.stringify(posted.body));
      assert.equal(posted.headers.has('warning'), fixture.warns === true, 'Warning header');
      const id = posted.body.id as string;
      const { body } = await call('GET', `/v2/apps${id}`);
      const app = body.app as Record<string, unknown>;
      for (const field of appFields) assert.ok(field in app, `GET shows ${field}`);
      assertIncludes(app, fixture.shows ?? {});

      // The round trip users do: GET the app, PUT the `app` object back unchanged. Read-only
      // fields are ignored and nothing about the configuration changes. force=true because
      // the first deployment may still be in progress (Marathon answers 409 then too).
      const put = await call('PUT', `/v2/apps${id}?force=true`, app);
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.equal(typeof put.body.deploymentId, 'string');
      const again = (await call('GET', `/v2/apps${id}`)).body.app as Record<string, unknown>;
      assert.deepEqual(appConfig(again), appConfig(app));
      assert.equal(
        (again.versionInfo as { lastConfigChangeAt: string }).lastConfigChangeAt,
        (app.versionInfo as { lastConfigChangeAt: string }).lastConfigChangeAt,
        'an unchanged PUT is not a configuration change',
      );
      const removed = await call('DELETE', `/v2/apps${id}?force=true`);
      assert.equal(removed.status, 200);
    });
  }

  test('a running app with an HTTP check: tasks, health, taskStats, and a round trip that keeps its task', async () => {
    const posted = await call('POST', '/v2/apps', {
      id: '/compat/live/web',
      cmd: 'exec python3 -m http.server $PORT0 --bind 127.0.0.1',
      cpus: 0.1,
      mem: 64,
      portDefinitions: [{ port: 0, name: 'http' }],
      healthChecks: [
        { protocol: 'HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 30, intervalSeconds: 1 },
      ],
    });
    assert.equal(posted.status, 201);
    let app: Body = {};
    await waitFor(
      async () => {
        app = (await call('GET', '/v2/apps/compat/live/web?embed=app.taskStats')).body.app;
        return app.tasksHealthy === 1 && app.deployments.length === 0;
      },
      20_000,
      'the app to be healthy and deployed',
    );
    assert.equal(app.tasksRunning, 1);
    const task = app.tasks[0];
    assert.equal(task.state, 'TASK_RUNNING');
    assert.equal(task.appId, '/compat/live/web');
    assert.equal(task.healthCheckResults[0].alive, true);
    assert.deepEqual(app.taskStats.totalSummary.stats.counts, {
      staged: 0,
      running: 1,
      healthy: 1,
      unhealthy: 0,
    });
    assert.equal(typeof app.taskStats.totalSummary.stats.lifeTime.averageSeconds, 'number');

    // Without force: no deployment locks the app any more.
    const put = await call('PUT', '/v2/apps/compat/live/web', app);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await waitFor(
      async () => (await call('GET', '/v2/deployments')).body.length === 0,
      10_000,
      'the round-trip deployment',
    );
    const after = (await call('GET', '/v2/apps/compat/live/web')).body.app;
    assert.equal(after.tasks.length, 1);
    assert.equal(after.tasks[0].id, task.id, 'the unchanged PUT did not replace the task');

    const list = (await call('GET', '/v2/apps?embed=apps.tasks&id=compat/live')).body.apps;
    assert.equal(list[0].tasks[0].id, task.id);
    const noEmbed = (await call('GET', '/v2/apps?id=compat/live')).body.apps;
    assert.equal('tasks' in noEmbed[0], false, 'the list embeds tasks only when asked');
    await call('DELETE', '/v2/apps/compat/live/web?force=true');
  });

  test('a group with nested apps and groups: POST, GET, PUT back unchanged', async () => {
    const group = {
      id: '/compat-shop',
      apps: [
        {
          id: 'frontend',
          cmd: 'sleep 3600',
          cpus: 0.1,
          mem: 32,
          dependencies: ['/compat-shop/backend/api'],
        },
      ],
      groups: [
        {
          id: 'backend',
          apps: [
            {
              id: 'api',
              cmd: 'sleep 3600',
              cpus: 0.1,
              mem: 32,
              constraints: ['hostname:MAX_PER:2'],
              healthChecks: [{ protocol: 'TCP', portIndex: 0 }],
            },
          ],
        },
      ],
    };
    const posted = await call('POST', '/v2/groups', group);
    assert.equal(posted.status, 201, JSON.stringify(posted.body));
    assert.equal(typeof posted.body.deploymentId, 'string');
    const got = (await call('GET', '/v2/groups/compat-shop?embed=group.apps&embed=group.groups'))
      .body;
    assert.equal(got.id, '/compat-shop');
    assert.deepEqual(
      (got.apps as { id: string }[]).map((a) => a.id),
      ['/compat-shop/frontend'],
    );
    assert.equal(got.groups[0].id, '/compat-shop/backend');
    assert.deepEqual(got.groups[0].apps[0].constraints, [['hostname', 'MAX_PER', '2']]);
    for (const field of ['version', 'dependencies', 'pods', 'enforceRole'])
      assert.ok(field in got, `a group shows ${field}`);

    const put = await call('PUT', '/v2/groups/compat-shop?force=true', got);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const again = (await call('GET', '/v2/groups/compat-shop')).body;
    assert.deepEqual(appConfig(again.groups[0].apps[0]), appConfig(got.groups[0].apps[0]));
    assert.deepEqual(appConfig(again.apps[0]), appConfig(got.apps[0]));

    const invalid = await call('POST', '/v2/groups', {
      id: '/compat-broken',
      apps: [{ id: 'a', cmd: 'sleep 1', container: { type: 'DOCKER', docker: { image: 'x' } } }],
    });
    assertInvalid(invalid, ['/apps/0/container']);
    assert.equal((await call('DELETE', '/v2/groups/compat-shop?force=true')).status, 200);
  });
  test('null fields: a group without apps, and a partial update that keeps the nulled fields', async () => {
    const group = await call('POST', '/v2/groups', {
      id: '/compat-null-group',
      apps: null,
      groups: [
        { id: 'inner', apps: [{ id: 'a', cmd: 'sleep 3600', cpus: 0.05, mem: 16 }], groups: null },
      ],
      dependencies: null,
    });
    assert.equal(group.status, 201, JSON.stringify(group.body));
    const inner = (await call('GET', '/v2/apps/compat-null-group/inner/a')).body.app;
    assert.equal(inner.cmd, 'sleep 3600');

    const posted = await call('POST', '/v2/apps', {
      id: '/compat/null-update',
      cmd: 'sleep 3600',
      cpus: 0.05,
      mem: 16,
      backoffSeconds: 7,
      labels: { team: 'web' },
    });
    assert.equal(posted.status, 201);
    const put = await call('PUT', '/v2/apps/compat/null-update?force=true', {
      instances: 2,
      backoffSeconds: null,
      labels: null,
      cmd: null,
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const app = (await call('GET', '/v2/apps/compat/null-update')).body.app;
    assertIncludes(app, {
      instances: 2,
      backoffSeconds: 7,
      labels: { team: 'web' },
      cmd: 'sleep 3600',
    });
    await call('DELETE', '/v2/apps/compat/null-update?force=true');
    await call('DELETE', '/v2/groups/compat-null-group?force=true');
  });
});
