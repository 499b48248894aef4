import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '@exosphere/common';
import { AppDiscovery, type AppTargetSource } from '../../src/discovery/app-discovery.js';
import { masterLocation } from '../../src/discovery/master-api.js';
import { MasterDouble, until, type DoubleTask } from './master-double.js';

const fast = { reconnectInitialMs: 20, reconnectMaxMs: 100, idleTimeoutMs: 5000 };

function task(id: string, port: number, state = 'TASK_RUNNING'): DoubleTask {
  return { id, host: '127.0.0.1', ports: [port, port + 1], state };
}

/** A discovery on the double with one watched app; `seen` holds every list announced. */
function follow(
  master: MasterDouble,
  app: string,
  portIndex = 0,
): { discovery: AppDiscovery; seen: string[][]; latest(): string[]; stop(): void } {
  const discovery = new AppDiscovery({
    defaultMaster: masterLocation(master.url, undefined),
    logger: silentLogger(),
    settings: fast,
  });
  const source = discovery.sourceFor(undefined) as AppTargetSource;
  const seen: string[][] = [];
  const stopWatching = source.watch({
    app,
    portIndex,
    onChange: (urls) => seen.push([...urls].sort()),
  });
  return {
    discovery,
    seen,
    latest: () => seen.at(-1) ?? [],
    stop() {
      stopWatching();
      discovery.close();
    },
  };
}

describe('the master resolver (against a test double of the master API)', () => {
  it('syncs the ready tasks of the app at start, at the chosen port index', async () => {
    const master = new MasterDouble();
    await master.start();
    master.apps.set('/web', {
      healthChecks: [],
      tasks: [task('web.a', 1000), task('web.b', 2000), task('web.c', 3000, 'TASK_STAGING')],
    });
    const followed = follow(master, '/web', 1);
    try {
      await until(() => followed.seen.length > 0, 'the first sync');
      assert.deepEqual(followed.latest(), ['http://127.0.0.1:1001', 'http://127.0.0.1:2001']);
      assert.ok(master.requests.includes('GET /v2/events'));
      assert.ok(master.requests.includes('GET /v2/apps/web'));
      assert.deepEqual(followed.discovery.status()[0]?.apps, [['/web', 2]]);
      assert.equal(followed.discovery.status()[0]?.connected, true);
    } finally {
      followed.stop();
      await master.stop();
    }
  });

  it('applies task started, killed and health events as they arrive', async () => {
    const master = new MasterDouble();
    await master.start();
    master.apps.set('/web', { healthChecks: [], tasks: [task('web.a', 1000)] });
    master.apps.set('/checked', { healthChecks: [{ protocol: 'HTTP' }], tasks: [] });
    const web = follow(master, '/web');
    const checked = follow(master, '/checked');
    try {
      await until(() => web.seen.length > 0 && checked.seen.length > 0, 'the first syncs');
      master.setTaskState('/web', task('web.b', 2000), 'TASK_RUNNING');
      await until(() => web.latest().length === 2, 'the started task');
      master.setTaskState('/web', task('web.a', 1000), 'TASK_KILLED');
      await until(() => web.latest().join() === 'http://127.0.0.1:2000', 'the killed task gone');

      // With health checks, a running task takes traffic only once its checks pass.
      master.setTaskState('/checked', task('checked.a', 4000), 'TASK_RUNNING');
      master.emit('status_update_event', {
        appId: '/other',
        taskId: 'other.x',
        taskStatus: 'TASK_RUNNING',
        host: 'h',
        ports: [1],
      });
      master.setTaskHealth('/checked', 'checked.a', true);
      await until(() => checked.latest().join() === 'http://127.0.0.1:4000', 'the healthy task');
      assert.equal(
        checked.seen.filter((list) => list.length > 0).length,
        1,
        'the task was not announced before it was healthy',
      );
      master.setTaskHealth('/checked', 'checked.a', false);
      await until(() => checked.latest().length === 0, 'the unhealthy task gone');
      master.emit('instance_health_changed_event', {
        runSpecId: '/checked',
        instanceId: 'checked.a',
        healthy: true,
      });
      await until(() => checked.latest().length === 1, 'instance_health_changed_event applied');
    } finally {
      web.stop();
      checked.stop();
      await master.stop();
    }
  });

  it('replays events that arrive while a snapshot is in flight on top of it', async () => {
    const master = new MasterDouble();
    await master.start();
    master.apps.set('/web', {
      healthChecks: [],
      tasks: [task('web.a', 1000), task('web.b', 2000)],
    });
    let release = (): void => undefined;
    master.holdAppFetches = new Promise<void>((resolve) => (release = resolve));
    const followed = follow(master, '/web');
    try {
      await until(() => master.requests.includes('GET /v2/apps/web'), 'the snapshot request');
      // The snapshot (already computed) still lists web.a; the kill happens after it.
      master.setTaskState('/web', task('web.a', 1000), 'TASK_KILLED');
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(followed.seen.length, 0, 'nothing is announced before the snapshot');
      release();
      await until(() => followed.seen.length > 0, 'the first sync');
      assert.deepEqual(followed.latest(), ['http://127.0.0.1:2000']);
    } finally {
      master.holdAppFetches = undefined;
      followed.stop();
      await master.stop();
    }
  });

  it('resyncs after the event stream drops, catching changes it missed', async () => {
    const master = new MasterDouble();
    await master.start();
    master.apps.set('/web', { healthChecks: [], tasks: [task('web.a', 1000)] });
    const followed = follow(master, '/web');
    try {
      await until(() => followed.seen.length > 0, 'the first sync');
      master.dropStreams();
      // Changed while no stream was open: no event can tell the gateway.
      master.apps.get('/web')!.tasks = [task('web.b', 2000)];
      await until(() => followed.latest().join() === 'http://127.0.0.1:2000', 'the resync');
      assert.equal(master.requests.filter((r) => r === 'GET /v2/events').length, 2);
      await until(() => master.openStreams === 1, 'the stream reopened');
      master.setTaskState('/web', task('web.c', 3000), 'TASK_RUNNING');
      await until(() => followed.latest().length === 2, 'events after the reconnect');
    } finally {
      followed.stop();
      await master.stop();
    }
  });

  it('keeps the last known targets while the master is down, and resyncs when it returns', async () => {
    const master = new MasterDouble();
    await master.start();
    master.apps.set('/web', {
      healthChecks: [],
      tasks: [task('web.a', 1000), task('web.b', 2000)],
    });
    const followed = follow(master, '/web');
    try {
      await until(() => followed.seen.length > 0, 'the first sync');
      const announced = followed.seen.length;
      const port = master.port;
      await master.stop();
      await until(() => followed.discovery.status()[0]?.connected === false, 'the outage seen');
      await until(() => (followed.discovery.status()[0]?.failures ?? 0) >= 2, 'retries');
      assert.equal(followed.seen.length, announced, 'no change announced while the master is down');
      assert.equal(followed.latest().length, 2);

      master.apps.get('/web')!.tasks = [task('web.b', 2000)];
      await master.start(port);
      await until(() => followed.latest().join() === 'http://127.0.0.1:2000', 'the resync');
      assert.equal(followed.discovery.status()[0]?.connected, true);
    } finally {
      followed.stop();
      await master.stop();
    }
  });

  it('refetches an app on deployment events, and empties it when the app is removed', async () => {
    const master = new MasterDouble();
    await master.start();
    const followed = follow(master, '/later');
    try {
      await until(() => followed.seen.length > 0, 'the first sync (no such app yet)');
      assert.deepEqual(followed.latest(), []);
      master.apps.set('/later', { healthChecks: [], tasks: [task('later.a', 1000)] });
      master.emit('deployment_info', {
        plan: { id: 'd1', original: { apps: [] }, target: { apps: [{ id: '/later' }] }, steps: [] },
        currentStep: { actions: [{ action: 'StartApplication', app: '/later' }] },
      });
      await until(() => followed.latest().length === 1, 'the app fetched after the deployment');
      master.apps.delete('/later');
      master.emit('app_terminated_event', { appId: '/later' });
      await until(() => followed.latest().length === 0, 'the removed app');
    } finally {
      followed.stop();
      await master.stop();
    }
  });

  it('sends the token from its source (here an environment variable) and closes when unused', async () => {
    const master = new MasterDouble();
    master.token = 'secret-token';
    await master.start();
    master.apps.set('/web', { healthChecks: [], tasks: [task('web.a', 1000)] });
    process.env.EXO_TEST_DISCOVERY_TOKEN = 'secret-token';
    const discovery = new AppDiscovery({ logger: silentLogger(), settings: fast });
    const source = discovery.sourceFor({
      url: master.url,
      token: { env: 'EXO_TEST_DISCOVERY_TOKEN' },
    })!;
    const seen: string[][] = [];
    const stop = source.watch({
      app: '/web',
      portIndex: 0,
      onChange: (urls) => seen.push([...urls]),
    });
    try {
      await until(() => seen.length > 0, 'the first sync with a token');
      assert.deepEqual(seen.at(-1), ['http://127.0.0.1:1000']);
      stop();
      assert.equal(discovery.status().length, 0, 'the resolver closes with its last upstream');
    } finally {
      stop();
      discovery.close();
      delete process.env.EXO_TEST_DISCOVERY_TOKEN;
      await master.stop();
    }
  });
});
