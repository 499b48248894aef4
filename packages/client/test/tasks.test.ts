import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ClientError, isDeploymentResult } from '../src/index.js';
import { sleeper, startTestCluster, waitFor, type TestCluster } from './cluster-fixture.js';

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster.close();
});

void test('tasks are listed and a killed task is replaced unless scale is asked', async () => {
  const { client } = cluster;
  const created = await client.apps.create(sleeper('/workers', 2));
  await client.waitForDeployment(created.deployments[0]!.id, { timeoutMs: 20_000 });
  const running = await client.tasks.list({ status: 'running' });
  assert.equal(running.filter((t) => t.appId === '/workers').length, 2);
  assert.deepEqual(await client.tasks.list({ status: 'killing' }), []);

  const victim = running[0]!;
  const killed = await client.tasks.kill([victim.id]);
  assert.ok(!isDeploymentResult(killed));
  assert.deepEqual(
    killed.tasks.map((t) => t.id),
    [victim.id],
  );
  await waitFor(
    async () => {
      const tasks = await client.apps.tasks('/workers');
      return tasks.filter((t) => t.state === 'TASK_RUNNING' && t.id !== victim.id).length === 2;
    },
    { what: 'the killed task to be replaced' },
  );

  const [next] = (await client.apps.tasks('/workers')).filter((t) => t.state === 'TASK_RUNNING');
  const scaled = await client.tasks.kill([next!.id], { scale: true });
  assert.ok(isDeploymentResult(scaled), 'a kill with scale starts a deployment');
  await client.waitForDeployment(scaled.deploymentId, { timeoutMs: 20_000 });
  assert.equal((await client.apps.get('/workers')).instances, 1);

  await assert.rejects(client.tasks.kill(['no-such-task']), (error: unknown) => {
    assert.ok(error instanceof ClientError);
    assert.equal(error.code, 'EXO_TASK_NOT_FOUND');
    return true;
  });
});

void test('taskLogs reads the stdout of a task from its agent', async () => {
  const { client } = cluster;
  const created = await client.apps.create({
    id: '/talker',
    cmd: 'echo hello-from-task; echo oops >&2; sleep 1000',
    cpus: 0.05,
    mem: 16,
  });
  await client.waitForDeployment(created.deployments[0]!.id, { timeoutMs: 20_000 });
  const [task] = await client.apps.tasks('/talker');
  assert.ok(task);
  const text = await waitFor(
    async () => {
      let all = '';
      for await (const chunk of client.taskLogs(task.id)) all += chunk;
      return all.includes('hello-from-task') ? all : undefined;
    },
    { what: 'the task to write its greeting' },
  );
  assert.equal(text, 'hello-from-task\n');

  let stderr = '';
  for await (const chunk of client.taskLogs(task.id, { stream: 'stderr' })) stderr += chunk;
  assert.equal(stderr, 'oops\n');

  const tail = await client.readTaskLog(task.id, { offset: -5 });
  assert.deepEqual(tail, { text: 'task\n', startOffset: 11, endOffset: 16 });

  // Following stays open while the task runs; the signal ends it.
  const controller = new AbortController();
  let followed = '';
  for await (const chunk of client.taskLogs(task.id, { follow: true, signal: controller.signal })) {
    followed += chunk;
    if (followed.includes('hello-from-task')) controller.abort();
  }
  assert.equal(followed, 'hello-from-task\n');

  await assert.rejects(
    async () => {
      for await (const _chunk of client.taskLogs('talker.no-such-task'))
        assert.fail('no chunk expected');
    },
    (error: unknown) => error instanceof ClientError && error.status === 404,
  );
});
