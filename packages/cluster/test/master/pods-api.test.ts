import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCluster, type TestCluster } from '../helpers/cluster.js';

/**
 * Marathon's /v2/pods against a real master. Pods need containers, so there are none: tools
 * that probe pod support (HEAD /v2/pods) or list pods next to apps get Marathon's answers for
 * an empty pod list, and a pod definition is refused with Marathon's error shape.
 */
describe('/v2/pods', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ agents: 0 });
  });
  after(async () => {
    await cluster.close();
  });

  test('lists no pods and no pod status', async () => {
    assert.deepEqual(await cluster.api('GET', '/v2/pods'), { status: 200, body: [] });
    assert.deepEqual(await cluster.api('GET', '/v2/pods/::status'), { status: 200, body: [] });
    const probe = await fetch(`${cluster.url}/v2/pods`, { method: 'HEAD' });
    assert.equal(probe.status, 200);
  });

  test('answers 404 for one pod and 422 for a pod definition', async () => {
    const missing = await cluster.api<{ code: string; message: string }>('GET', '/v2/pods/web/db');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'EXO_POD_NOT_FOUND');
    assert.equal(missing.body.message, "Pod '/web/db' does not exist");
    const pod = {
      id: '/simple-pod',
      scaling: { kind: 'fixed', instances: 1 },
      containers: [
        {
          name: 'sleep1',
          exec: { command: { shell: 'sleep 1000' } },
          resources: { cpus: 0.1, mem: 32 },
        },
      ],
      networks: [{ mode: 'host' }],
    };
    const created = await cluster.api<{ code: string; details: { path: string }[] }>(
      'POST',
      '/v2/pods',
      pod,
    );
    assert.equal(created.status, 422);
    assert.equal(created.body.code, 'EXO_POD_UNSUPPORTED');
    assert.deepEqual(
      created.body.details.map((detail) => detail.path),
      ['/containers'],
    );
    const replaced = await cluster.api('PUT', '/v2/pods/simple-pod', pod);
    assert.equal(replaced.status, 422);
    assert.deepEqual(await cluster.api('GET', '/v2/pods'), { status: 200, body: [] });
  });
});
