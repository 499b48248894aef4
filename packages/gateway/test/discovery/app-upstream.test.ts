import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { silentLogger } from '@exosphere/common';
import { startGateway, validateConfig } from '../../src/index.js';
import { getJson, startUpstream, type Upstream } from '../helpers.js';
import { MasterDouble, type DoubleTask } from './master-double.js';

function taskOf(id: string, upstream: Upstream): DoubleTask {
  const port = (upstream.server.address() as AddressInfo).port;
  return { id, host: '127.0.0.1', ports: [port], state: 'TASK_RUNNING' };
}

function appConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    upstreams: [{ name: 'web', app: '/web', ...extra }],
    routes: [{ name: 'all', match: { paths: ['/*'] }, upstream: 'web' }],
  };
}

describe('an upstream that follows an app (tasks are real servers; the master is a test double)', () => {
  it('sends to the ready tasks, follows kills and starts, and answers 503 with none', async () => {
    const master = new MasterDouble();
    await master.start();
    const [first, second] = await Promise.all([startUpstream('first'), startUpstream('second')]);
    master.apps.set('/web', { healthChecks: [], tasks: [taskOf('web.1', first)] });
    const home = await mkdtemp(join(tmpdir(), 'exo-gateway-app-'));
    const configPath = join(home, 'gateway.yaml');
    await writeFile(configPath, JSON.stringify(appConfig({ loadBalancing: 'least-connections' })));
    const gateway = await startGateway({
      home,
      configPath,
      logger: silentLogger(),
      master: { url: master.url },
      discovery: { reconnectInitialMs: 20, reconnectMaxMs: 100 },
    });
    const served = async (): Promise<string> => {
      const answer = await getJson(`${gateway.url}/hello`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return (answer.body as { upstream: string }).upstream;
    };
    try {
      assert.equal(await served(), 'first', 'the first sync happened before start returned');
      master.setTaskState('/web', taskOf('web.2', second), 'TASK_RUNNING');
      const startedAt = Date.now();
      const seen = new Set<string>();
      while (seen.size < 2 && Date.now() - startedAt < 5000) seen.add(await served());
      assert.deepEqual([...seen].sort(), ['first', 'second']);

      const admin = await getJson(`${gateway.adminUrl}/upstreams`);
      assert.equal(admin.body[0].targets.length, 2);

      master.setTaskState('/web', taskOf('web.1', first), 'TASK_KILLED');
      await waitForOnly(served, 'second');
      const hitsAfter = first.hits.length;
      for (let i = 0; i < 20; i++) assert.equal(await served(), 'second');
      assert.equal(first.hits.length, hitsAfter, 'the killed task gets nothing more');

      master.setTaskState('/web', taskOf('web.2', second), 'TASK_KILLED');
      await untilAsync(async () => (await getJson(`${gateway.url}/x`)).status === 503);
      const empty = await getJson(`${gateway.url}/x`);
      assert.equal(empty.body.code, 'EXO_GATEWAY_UPSTREAM_UNAVAILABLE');
    } finally {
      await gateway.close();
      await Promise.all([first.close(), second.close(), master.stop()]);
      await rm(home, { recursive: true, force: true });
    }
  });

  it('keeps a kept target object (and its state) when the list changes', async () => {
    const master = new MasterDouble();
    await master.start();
    const [first, second] = await Promise.all([startUpstream('first'), startUpstream('second')]);
    master.apps.set('/web', { healthChecks: [], tasks: [taskOf('web.1', first)] });
    const home = await mkdtemp(join(tmpdir(), 'exo-gateway-app-'));
    const configPath = join(home, 'gateway.yaml');
    await writeFile(configPath, JSON.stringify({ ...appConfig(), master: { url: master.url } }));
    const gateway = await startGateway({ home, configPath, logger: silentLogger() });
    try {
      const before = await getJson(`${gateway.adminUrl}/upstreams`);
      assert.equal(before.body[0].targets.length, 1, 'the file’s master section is used');
      master.setTaskState('/web', taskOf('web.2', second), 'TASK_RUNNING');
      await untilAsync(
        async () => (await getJson(`${gateway.adminUrl}/upstreams`)).body[0].targets.length === 2,
      );
      const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
      assert.match(metrics, /exo_gateway_master_connected\{master="[^"]+"\} 1/);
      assert.match(metrics, /exo_gateway_app_ready_tasks\{[^}]*app="\/web"[^}]*\} 2/);
    } finally {
      await gateway.close();
      await Promise.all([first.close(), second.close(), master.stop()]);
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('configuration of app upstreams', () => {
  it('accepts app with a master from the file or from outside it', () => {
    assert.equal(validateConfig({ ...appConfig(), master: { url: 'http://m:8080' } }).ok, true);
    assert.equal(validateConfig(appConfig({ portIndex: 1 }), { defaultMaster: true }).ok, true);
  });

  it('reports each mistake with its path', () => {
    const errorsOf = (input: unknown, defaultMaster = false): Record<string, string> => {
      const result = validateConfig(input, { defaultMaster });
      assert.equal(result.ok, false);
      return Object.fromEntries(
        result.ok ? [] : result.errors.map((error) => [error.path, error.errors.join('; ')]),
      );
    };
    assert.match(errorsOf(appConfig())['/upstreams/0/app'] ?? '', /no master is configured/);
    assert.match(
      errorsOf(appConfig({ targets: [{ url: 'http://a:1' }] }), true)['/upstreams/0/targets'] ?? '',
      /mutually exclusive/,
    );
    assert.match(
      errorsOf({ upstreams: [{ name: 'u', targets: [] }] })['/upstreams/0/targets'] ?? '',
      /needs targets, or app/,
    );
    assert.match(
      errorsOf({ upstreams: [{ name: 'u', targets: [{ url: 'http://a:1' }], portIndex: 1 }] })[
        '/upstreams/0/portIndex'
      ] ?? '',
      /needs app/,
    );
    assert.ok(errorsOf(appConfig({ app: 'web' }), true)['/upstreams/0/app']);
    assert.ok(errorsOf(appConfig({ app: '/Web' }), true)['/upstreams/0/app']);
    assert.ok(
      errorsOf({ ...appConfig(), master: { url: 'ftp://m', token: { file: '' } } })['/master/url'],
    );
  });
});

async function untilAsync(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Waits until `served` returns only `name` (the change reached the target list). */
async function waitForOnly(served: () => Promise<string>, name: string): Promise<void> {
  await untilAsync(async () => (await served()) === name && (await served()) === name);
}
