import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestCluster, waitFor, type TestCluster } from '../helpers/cluster.js';
import { request, type Body } from './compat/helpers.js';

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster({ agents: 1 });
});
after(async () => {
  await cluster.close();
});

async function text(path: string, accept: string): Promise<{ type: string; body: string }> {
  const response = await fetch(cluster.url + path, { headers: { accept } });
  assert.equal(response.status, 200);
  return { type: response.headers.get('content-type') ?? '', body: await response.text() };
}

test('Accept: text/plain lists running tasks per service port, as haproxy bridge scripts read them', async () => {
  const apps = [
    { id: '/text/web', cmd: 'sleep 3600', cpus: 0.05, mem: 16, instances: 2, ports: [0, 0] },
    { id: '/text/worker', cmd: 'sleep 3600', cpus: 0.05, mem: 16, portDefinitions: [] },
  ];
  for (const app of apps)
    assert.equal((await request(cluster.url, 'POST', '/v2/apps', app)).status, 201);
  let tasks: Body[] = [];
  await waitFor(
    async () => {
      tasks = (await request(cluster.url, 'GET', '/v2/tasks?status=running')).body.tasks;
      return tasks.length === 3;
    },
    20_000,
    'three running tasks',
  );
  const web = (await request(cluster.url, 'GET', '/v2/apps/text/web')).body.app;
  const [first, second] = (web.portDefinitions as { port: number }[]).map((p) => p.port);
  const webTasks = tasks.filter((t) => t.appId === '/text/web');
  const endpoints = (index: number): string =>
    webTasks.map((t) => `127.0.0.1:${t.ports[index]}\t`).join('');
  const webLines = `text_web\t${first}\t${endpoints(0)}\ntext_web\t${second}\t${endpoints(1)}\n`;

  const all = await text('/v2/tasks', 'text/plain');
  assert.match(all.type, /^text\/plain/);
  assert.equal(all.body, `${webLines}text_worker\t \t127.0.0.1 \n`);
  assert.equal((await text('/v2/apps/text/web/tasks', 'text/plain')).body, webLines);

  const json = await text('/v2/tasks', 'application/json, text/plain');
  assert.match(json.type, /^application\/json/, 'JSON when the client accepts it');
});
