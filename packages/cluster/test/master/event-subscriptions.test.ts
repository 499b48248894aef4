import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { silentLogger } from '@exosphere/common';
import { startMaster } from '../../src/master/start-master.js';
import { startTestCluster, waitFor, type TestCluster } from '../helpers/cluster.js';
import { assertInvalid, request, type Body } from './compat/helpers.js';

/** An HTTP receiver on port 0 that keeps every JSON body POSTed to it. */
async function startReceiver(): Promise<{ url: string; events: Body[]; server: Server }> {
  const events: Body[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      events.push({ ...JSON.parse(text), contentType: req.headers['content-type'] });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/callback`, events, server };
}

describe('Marathon HTTP callback subscriptions (/v2/eventSubscriptions)', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ agents: 1 });
  });
  after(async () => {
    await cluster.close();
  });
  const call = (method: string, path: string, body?: unknown) =>
    request(cluster.url, method, path, body);

  test('a subscribed URL receives every event as JSON until it unsubscribes', async () => {
    const receiver = await startReceiver();
    try {
      assert.deepEqual((await call('GET', '/v2/eventSubscriptions')).body, { callbackUrls: [] });
      const param = `callbackUrl=${encodeURIComponent(receiver.url)}`;
      const added = await call('POST', `/v2/eventSubscriptions?${param}`);
      assert.equal(added.status, 200, JSON.stringify(added.body));
      assert.equal(added.body.eventType, 'subscribe_event');
      assert.equal(added.body.callbackUrl, receiver.url);
      assert.equal(added.body.clientIp, '127.0.0.1');
      assert.equal(typeof added.body.timestamp, 'string');
      assert.equal((await call('POST', `/v2/eventSubscriptions?${param}`)).status, 200);
      assert.deepEqual((await call('GET', '/v2/eventSubscriptions')).body, {
        callbackUrls: [receiver.url],
      });

      const posted = await call('POST', '/v2/apps', {
        id: '/callbacks/sleeper',
        cmd: 'sleep 3600',
        cpus: 0.05,
        mem: 16,
      });
      assert.equal(posted.status, 201);
      await waitFor(
        () =>
          receiver.events.some(
            (e) => e.eventType === 'status_update_event' && e.taskStatus === 'TASK_RUNNING',
          ) && receiver.events.some((e) => e.eventType === 'deployment_success'),
        20_000,
        'the running task and the finished deployment to be called back',
      );
      const types = receiver.events.map((e): string => e.eventType as string);
      assert.equal(types[0], 'subscribe_event', 'events arrive in order');
      assert.ok(types.includes('api_post_event'));
      assert.ok(types.includes('deployment_info'));
      const update = receiver.events.find((e) => e.eventType === 'status_update_event');
      assert.equal(update.appId, '/callbacks/sleeper');
      assert.equal(update.contentType, 'application/json');

      const removed = await call('DELETE', `/v2/eventSubscriptions?${param}`);
      assert.equal(removed.status, 200);
      assert.equal(removed.body.eventType, 'unsubscribe_event');
      assert.deepEqual((await call('GET', '/v2/eventSubscriptions')).body, { callbackUrls: [] });
      const seen = receiver.events.length;
      await call('DELETE', '/v2/apps/callbacks/sleeper?force=true');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(receiver.events.length, seen, 'nothing is sent after unsubscribing');
    } finally {
      receiver.server.close();
    }
  });

  test('a callback URL that is missing or not http(s) is a 422 naming callbackUrl', async () => {
    assertInvalid(await call('POST', '/v2/eventSubscriptions'), ['/callbackUrl']);
    assertInvalid(await call('POST', '/v2/eventSubscriptions?callbackUrl=file:///etc/passwd'), [
      '/callbackUrl',
    ]);
  });

  test('a receiver that refuses connections does not stop delivery to the others', async () => {
    const receiver = await startReceiver();
    const dead = 'http://127.0.0.1:9/nobody-listens';
    try {
      for (const url of [dead, receiver.url]) {
        const added = await call('POST', `/v2/eventSubscriptions?callbackUrl=${url}`);
        assert.equal(added.status, 200);
      }
      await call('POST', '/v2/apps', { id: '/callbacks/other', cmd: 'sleep 3600', mem: 16 });
      await waitFor(
        () => receiver.events.some((e) => e.eventType === 'api_post_event'),
        10_000,
        'the live receiver to get the app creation',
      );
    } finally {
      await call('DELETE', `/v2/eventSubscriptions?callbackUrl=${dead}`);
      await call('DELETE', `/v2/eventSubscriptions?callbackUrl=${receiver.url}`);
      await call('DELETE', '/v2/apps/callbacks/other?force=true');
      receiver.server.close();
    }
  });
});

test('callback subscriptions survive a master restart', async () => {
  const home = await mkdtemp(join(tmpdir(), 'exo-callbacks-'));
  const options = { home, host: '127.0.0.1', port: 0, logger: silentLogger() };
  try {
    const first = await startMaster(options);
    const url = 'http://127.0.0.1:9/kept';
    const added = await request(first.url, 'POST', `/v2/eventSubscriptions?callbackUrl=${url}`);
    assert.equal(added.status, 200);
    await first.close();
    const second = await startMaster(options);
    try {
      const list = await request(second.url, 'GET', '/v2/eventSubscriptions');
      assert.deepEqual(list.body, { callbackUrls: [url] });
    } finally {
      await second.close();
    }
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});
