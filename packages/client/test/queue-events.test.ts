import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ClusterEvent } from '../src/index.js';
import { sleeper, startTestCluster, waitFor, type TestCluster } from './cluster-fixture.js';

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster.close();
});

void test('the queue explains why an impossible app is not placed', async () => {
  const { client, agent } = cluster;
  const created = await client.apps.create({
    ...sleeper('/huge'),
    cpus: 1000,
    constraints: [['zone', 'LIKE', 'b']],
  });
  const entry = await waitFor(
    async () => (await client.queue.list()).find((e) => e.app.id === '/huge' && e.placement),
    {
      what: 'a placement report for /huge',
    },
  );
  assert.equal(entry.count, 1);
  const placement = entry.placement!;
  assert.equal(placement.agentsConsidered, 1);
  assert.equal(placement.rejections.InsufficientCpus, 1);
  assert.equal(placement.constraintRejections['zone:LIKE:b'], 1);
  const refusal = placement.agents.find((a) => a.agentId === agent.agentId);
  assert.ok(
    refusal?.reasons.some((r) => r.startsWith('cpus: needs 1000')),
    JSON.stringify(refusal),
  );

  await client.queue.resetDelay('/huge');
  const deploymentId = created.deployments[0]!.id;
  assert.deepEqual(
    (await client.deployments.list()).map((d) => d.id),
    [deploymentId],
  );
  // A forced cancel stops the deployment where it is, without a rollback deployment.
  assert.equal(await client.deployments.cancel(deploymentId, { force: true }), undefined);
  assert.deepEqual(await client.deployments.list(), []);
  const removed = await client.apps.remove('/huge');
  await client.waitForDeployment(removed.deploymentId, { timeoutMs: 20_000 });
});

void test('rolling a deployment back starts one that restores the previous definition', async () => {
  const { client } = cluster;
  const created = await client.apps.create(sleeper('/rollme'));
  await client.waitForDeployment(created.deployments[0]!.id, { timeoutMs: 20_000 });
  const stuck = await client.apps.update('/rollme', { cpus: 1000 });
  const rollback = await client.deployments.cancel(stuck.deploymentId);
  assert.ok(rollback, 'a rollback is a new deployment');
  await client.waitForDeployment(rollback.deploymentId, { timeoutMs: 20_000 });
  assert.equal((await client.apps.get('/rollme')).cpus, 0.05);
});

void test('the event stream yields a deployment_success for a new app', async () => {
  const { client, master } = cluster;
  const controller = new AbortController();
  const events: ClusterEvent[] = [];
  const reading = (async () => {
    for await (const event of client.events({
      eventTypes: ['deployment_success', 'api_post_event'],
      signal: controller.signal,
    })) {
      events.push(event);
    }
  })();
  await waitFor(() => master.master.context.events.subscriberCount > 0, {
    what: 'the event subscription',
  });
  const created = await client.apps.create(sleeper('/evented'));
  const deploymentId = created.deployments[0]!.id;
  const success = await waitFor(
    () => events.find((e) => e.eventType === 'deployment_success' && e.id === deploymentId),
    {
      what: 'deployment_success',
    },
  );
  controller.abort();
  await reading;
  assert.equal(typeof success.timestamp, 'string');
  assert.ok(events.some((e) => e.eventType === 'api_post_event'));
  assert.ok(
    events.every((e) => e.eventType === 'deployment_success' || e.eventType === 'api_post_event'),
    'the type filter holds',
  );
});
