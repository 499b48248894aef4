import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { ClientError, ExosphereClient, type DeploymentProgress } from '../src/index.js';
import { sleeper, startTestCluster, type TestCluster } from './cluster-fixture.js';

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster.close();
});

void test('an app goes through create, get, update, scale, restart and remove', async () => {
  const { client } = cluster;
  const created = await client.apps.create(sleeper('/prod/web', 2));
  assert.equal(created.id, '/prod/web');
  const deploymentId = created.deployments[0]?.id;
  assert.ok(deploymentId, 'the created app names its deployment');
  const reports: DeploymentProgress[] = [];
  const outcome = await client.waitForDeployment(deploymentId, {
    timeoutMs: 20_000,
    onProgress: (p) => reports.push(p),
  });
  assert.equal(outcome.deploymentId, deploymentId);
  const final = reports.at(-1)!;
  assert.equal(final.done, true);
  assert.deepEqual(
    final.apps.map((a) => [a.id, a.running, a.instances]),
    [['/prod/web', 2, 2]],
  );

  const app = await client.apps.get('/prod/web', { embed: ['app.tasks'] });
  assert.equal(app.tasksRunning, 2);
  assert.equal(app.tasks?.length, 2);
  assert.deepEqual(
    (await client.apps.list()).map((a) => a.id),
    ['/prod/web'],
  );
  assert.deepEqual(
    (await client.apps.list({ id: 'nothing-like-this' })).map((a) => a.id),
    [],
  );

  const updated = await client.apps.update('/prod/web', { env: { COLOR: 'blue' } });
  await client.waitForDeployment(updated.deploymentId, { timeoutMs: 20_000 });
  assert.equal((await client.apps.get('/prod/web')).env.COLOR, 'blue');

  const scaled = await client.apps.scale('/prod/web', 3);
  await client.waitForDeployment(scaled.deploymentId, { timeoutMs: 20_000 });
  assert.equal((await client.apps.tasks('/prod/web')).length, 3);
  // A deployment that ended before the first poll still reports the apps it was told about
  // (the scale above has ended: the first poll finds nothing).
  const late: DeploymentProgress[] = [];
  await client.waitForDeployment(scaled.deploymentId, {
    timeoutMs: 20_000,
    appIds: ['/prod/web'],
    onProgress: (p) => late.push(p),
  });
  assert.deepEqual(
    late.map((p) => [p.done, p.apps.map((a) => [a.id, a.running, a.instances])]),
    [[true, [['/prod/web', 3, 3]]]],
  );

  const before = new Set((await client.apps.tasks('/prod/web')).map((t) => t.id));
  const restarted = await client.apps.restart('/prod/web');
  await client.waitForDeployment(restarted.deploymentId, { timeoutMs: 20_000 });
  const afterRestart = (await client.apps.tasks('/prod/web')).filter(
    (t) => t.state === 'TASK_RUNNING',
  );
  assert.equal(afterRestart.length, 3);
  assert.ok(
    afterRestart.every((t) => !before.has(t.id)),
    'a restart replaces every task',
  );

  const versions = await client.apps.versions('/prod/web');
  assert.ok(versions.length >= 4, `versions: ${versions.join(', ')}`);
  const oldest = await client.apps.version('/prod/web', versions.at(-1)!);
  assert.equal(oldest.instances, 2);

  const removed = await client.apps.remove('/prod/web');
  await client.waitForDeployment(removed.deploymentId, { timeoutMs: 20_000 });
  await assert.rejects(client.apps.get('/prod/web'), (error: unknown) => {
    assert.ok(error instanceof ClientError);
    assert.equal(error.status, 404);
    assert.equal(error.code, 'EXO_APP_NOT_FOUND');
    return true;
  });
});

void test('an invalid app is a ClientError with the path of each bad field', async () => {
  await assert.rejects(
    cluster.client.apps.create({ id: '/bad', cpus: -1, instances: 'two' as unknown as number }),
    (error: unknown) => {
      assert.ok(error instanceof ClientError);
      assert.equal(error.status, 422);
      assert.equal(error.code, 'EXO_APP_INVALID');
      const paths = (error.details ?? []).map((d) => d.path).sort();
      // Every problem at once: the types of cpus and instances, and the missing command.
      assert.deepEqual(paths, ['/cmd', '/cpus', '/instances']);
      return true;
    },
  );
  assert.deepEqual(
    await cluster.client.apps.list({ id: '/bad' }),
    [],
    'a rejected app changes nothing',
  );
});

void test('a write to a locked app names the blocking deployment', async () => {
  const { client } = cluster;
  const created = await client.apps.create({ ...sleeper('/locked'), cpus: 1000 });
  await assert.rejects(client.apps.scale('/locked', 2), (error: unknown) => {
    assert.ok(error instanceof ClientError);
    assert.equal(error.code, 'EXO_APP_LOCKED');
    assert.deepEqual(error.data?.deployments, [{ id: created.deployments[0]!.id }]);
    return true;
  });
  const forced = await client.apps.remove('/locked', { force: true });
  await client.waitForDeployment(forced.deploymentId, { timeoutMs: 20_000 });
});

void test('waiting for a deployment that does not end in time fails with EXO_CLIENT_TIMEOUT', async () => {
  const { client } = cluster;
  const created = await client.apps.create({ ...sleeper('/stuck'), cpus: 1000 });
  await assert.rejects(
    client.waitForDeployment(created.deployments[0]!.id, { timeoutMs: 300, pollIntervalMs: 50 }),
    (error: unknown) => {
      assert.ok(error instanceof ClientError);
      assert.equal(error.code, 'EXO_CLIENT_TIMEOUT');
      assert.match(error.message, /did not finish within/);
      return true;
    },
  );
  const removed = await client.apps.remove('/stuck', { force: true });
  await client.waitForDeployment(removed.deploymentId, { timeoutMs: 20_000 });
});

void test('a server that cannot be reached is EXO_CLIENT_UNREACHABLE', async () => {
  // A port that was just free and is closed again refuses connections.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  const client = new ExosphereClient({ url: `http://127.0.0.1:${port}`, timeoutMs: 2000 });
  await assert.rejects(client.info(), (error: unknown) => {
    assert.ok(error instanceof ClientError);
    assert.equal(error.code, 'EXO_CLIENT_UNREACHABLE');
    assert.equal(error.status, 0);
    assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
    return true;
  });
});

void test('groups, info and agents', async () => {
  const { client, agent } = cluster;
  const result = await client.groups.create({
    id: '/batch',
    apps: [sleeper('one'), sleeper('two')],
  });
  await client.waitForDeployment(result.deploymentId, { timeoutMs: 20_000 });
  const group = await client.groups.get('/batch');
  assert.deepEqual(
    group.apps.map((a) => a.id),
    ['/batch/one', '/batch/two'],
  );
  assert.ok((await client.groups.get()).groups.some((g) => g.id === '/batch'));
  const removed = await client.groups.remove('/batch');
  await client.waitForDeployment(removed.deploymentId, { timeoutMs: 20_000 });

  const info = await client.info();
  assert.equal(info.name, 'exosphere');
  const agents = await client.agents.list();
  assert.equal(agents.length, 1);
  const one = await client.agents.get(agent.agentId);
  assert.equal(one.url, agent.url);
  assert.equal(one.resources.cpus, 4);
  assert.equal(one.condition, 'active');
});
