import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { silentLogger } from '@exosphere/common';
import type { HeartbeatRequest, RegisterRequest } from '../../src/core/protocol.js';
import { HttpAgentLink } from '../../src/agent/http-master-link.js';
import { startAgent, type StartedAgent } from '../../src/agent/start-agent.js';
import { taskSpec, temporaryDirectory, waitFor } from './helpers.js';

const token = 'test-token-0123456789abcdefghijklmnopqrstuvwxyz';
const home = temporaryDirectory();
const registrations: RegisterRequest[] = [];
const heartbeats: HeartbeatRequest[] = [];
const authorizations: string[] = [];

/** A stand-in for the master's internal API (the real master is tested on its own). */
const master = createServer((request, response) => {
  void (async () => {
    authorizations.push(request.headers.authorization ?? '');
    const body = JSON.parse(await readBody(request)) as unknown;
    response.setHeader('content-type', 'application/json');
    if (request.url === '/internal/v1/agents/register') {
      registrations.push(body as RegisterRequest);
      response.end(JSON.stringify({ masterId: 'master-1', heartbeatIntervalMs: 50 }));
    } else {
      heartbeats.push(body as HeartbeatRequest);
      response.end(JSON.stringify({ known: true, kill: [], launch: [], acknowledged: [] }));
    }
  })();
});

let agent: StartedAgent;
const link = new HttpAgentLink({ token, timeoutMs: 5000 });

before(async () => {
  await new Promise<void>((resolve) => master.listen(0, '127.0.0.1', resolve));
  const masterPort = (master.address() as AddressInfo).port;
  agent = await startAgent({
    home: home.path,
    masterUrl: `http://127.0.0.1:${masterPort}`,
    port: 0,
    resources: 'cpus=2;mem=2048',
    attributes: { zone: 'a' },
    token,
    logger: silentLogger(),
    cgroupRoot: false,
  });
});

after(async () => {
  await agent.close({ killTasks: true });
  master.close();
  await home.remove();
});

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => resolve(text));
  });
}

void test('registers with the master using the token, and keeps its agent id on disk', async () => {
  await waitFor('registration', () => registrations.length > 0 && heartbeats.length > 0);
  const registration = registrations[0]!;
  assert.equal(registration.agentId, agent.agentId);
  assert.equal(registration.url, agent.url);
  assert.equal(registration.resources.cpus, 2);
  assert.equal(registration.resources.mem, 2048);
  assert.deepEqual(registration.resources.ports, [{ begin: 31000, end: 32000 }]);
  assert.ok(registration.resources.disk >= 0);
  assert.ok(authorizations.every((header) => header === `Bearer ${token}`));
  assert.equal((await readFile(join(home.path, 'agent-id'), 'utf8')).trim(), agent.agentId);
});

void test('internal routes need the token; bad input is a 422 with field paths', async () => {
  const url = `${agent.url}/internal/v1/tasks`;
  const anonymous = await fetch(url, { method: 'POST', body: '{"tasks":[]}' });
  assert.equal(anonymous.status, 401);
  const invalid = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tasks: [{ taskId: 7, appId: '/a', resources: {}, ports: [70000] }] }),
  });
  assert.equal(invalid.status, 422);
  const error = (await invalid.json()) as { code: string; details: { path: string }[] };
  assert.equal(error.code, 'EXO_AGENT_INVALID_REQUEST');
  const paths = error.details.map((detail) => detail.path);
  assert.ok(paths.includes('/tasks/0/taskId'));
  assert.ok(paths.includes('/tasks/0/ports/0'));
  assert.ok(paths.includes('/tasks/0'), 'neither cmd nor args');
  const kill = await fetch(`${url}/kill`, { method: 'POST', body: '{"kills":[]}' });
  assert.equal(kill.status, 401);
});

void test('launch through HttpAgentLink, follow the log until the task ends, read the tail', async () => {
  const spec = taskSpec({ cmd: 'for i in 1 2 3; do echo line$i; sleep 0.2; done' });
  await link.launch(agent.url, [spec]);
  const response = await fetch(`${agent.url}/v1/tasks/${spec.taskId}/logs?follow=true`);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'line1\nline2\nline3\n');
  const tasks = (await (await fetch(`${agent.url}/v1/tasks`)).json()) as {
    tasks: { taskId: string; state: string }[];
  };
  assert.equal(tasks.tasks.find((task) => task.taskId === spec.taskId)?.state, 'TASK_FINISHED');
  const tail = await fetch(`${agent.url}/v1/tasks/${spec.taskId}/logs?offset=-6`);
  assert.equal(await tail.text(), 'line3\n');
  const stderr = await fetch(`${agent.url}/v1/tasks/${spec.taskId}/logs?stream=stderr`);
  assert.equal(await stderr.text(), '');
});

void test('kill through HttpAgentLink', async () => {
  const spec = taskSpec({ cmd: 'sleep 60' });
  await link.launch(agent.url, [spec]);
  await link.kill(agent.url, [{ taskId: spec.taskId, gracePeriodMs: 100 }]);
  await waitFor('the kill', () =>
    agent.agent.list().some((task) => task.taskId === spec.taskId && task.state === 'TASK_KILLED'),
  );
});

void test('log and info routes validate their input', async () => {
  const missing = await fetch(`${agent.url}/v1/tasks/no-such-task/logs`);
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as { code: string }).code, 'EXO_AGENT_TASK_NOT_FOUND');
  const badStream = await fetch(`${agent.url}/v1/tasks/x/logs?stream=stdin`);
  assert.equal(badStream.status, 400);
  assert.equal(((await badStream.json()) as { code: string }).code, 'EXO_AGENT_INVALID_QUERY');
  const info = (await (await fetch(`${agent.url}/v1/info`)).json()) as Record<string, unknown>;
  assert.equal(info.agentId, agent.agentId);
  assert.equal(info.hostname, '127.0.0.1');
  assert.deepEqual(info.attributes, { zone: 'a' });
  assert.match(String(info.isolation), /not enforced/);
});

void test('a failing agent link reports the peer status', async () => {
  const unauthorized = new HttpAgentLink({ token: 'wrong' });
  await assert.rejects(unauthorized.launch(agent.url, []), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'EXO_AGENT_AGENT_REQUEST_FAILED');
    assert.match(error.message, /401/);
    return true;
  });
});
