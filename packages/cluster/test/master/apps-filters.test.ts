import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCluster, type TestCluster } from '../helpers/cluster.js';

describe('GET /v2/apps filters (cmd, id, label) as Marathon reads them', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ agents: 1 });
    const apps = [
      { id: '/filters/web', cmd: 'Python3 -m http.server', labels: { tier: 'web', env: 'prod' } },
      { id: '/filters/worker', cmd: 'sleep 1000', labels: { tier: 'worker', env: 'qa' } },
      { id: '/filters/plain', args: ['sleep', '1000'], labels: {} },
    ];
    for (const app of apps) {
      const created = await cluster.api('POST', '/v2/apps', { ...app, instances: 0 });
      assert.equal(created.status, 201);
    }
  });
  after(async () => {
    await cluster.close();
  });

  async function ids(query: string): Promise<string[]> {
    const response = await cluster.api<{ apps: { id: string }[] }>('GET', `/v2/apps?${query}`);
    assert.equal(response.status, 200, query);
    return response.body.apps.map((a) => a.id);
  }

  test('cmd and id match case-insensitive substrings', async () => {
    assert.deepEqual(await ids('cmd=python3'), ['/filters/web']);
    assert.deepEqual(await ids('cmd=SLEEP'), ['/filters/worker']);
    assert.deepEqual(await ids('id=FILTERS/W'), ['/filters/web', '/filters/worker']);
  });

  test('label selectors: !=, in, notin and several at once', async () => {
    const q = (selector: string) => ids(`label=${encodeURIComponent(selector)}`);
    assert.deepEqual(await q('tier!=web'), ['/filters/worker']);
    assert.deepEqual(await q('env in (prod, qa)'), ['/filters/web', '/filters/worker']);
    assert.deepEqual(await q('env notin (prod)'), ['/filters/worker']);
    assert.deepEqual(await q('tier==web, env==prod'), ['/filters/web']);
    assert.deepEqual(await q('tier'), ['/filters/web', '/filters/worker']);
  });

  test('an unparsable label selector is a 422', async () => {
    const response = await cluster.api<{ code: string; message: string }>(
      'GET',
      `/v2/apps?label=${encodeURIComponent('env in prod')}`,
    );
    assert.equal(response.status, 422);
    assert.equal(response.body.code, 'EXO_LABEL_SELECTOR_INVALID');
    assert.match(response.body.message, /label selector/);
  });
});
