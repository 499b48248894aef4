import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MetricsRegistry, silentLogger } from '@exosphere/common';
import type {
  HeartbeatRequest,
  HeartbeatResponse,
  MasterLink,
  RegisterRequest,
  RegisterResponse,
} from '../../src/core/protocol.js';
import { Agent } from '../../src/agent/agent.js';
import {
  clock,
  keepProcessAlive,
  newExecutor,
  taskSpec,
  temporaryDirectory,
  waitFor,
} from './helpers.js';

const home = temporaryDirectory();
const release = keepProcessAlive();
after(async () => {
  await home.remove();
  release();
});

/**
 * A scripted master. The real master is tested on its own; here only the agent's side of the
 * protocol matters: what it sends, and how it applies the answers.
 */
class FakeMaster implements MasterLink {
  registrations: RegisterRequest[] = [];
  heartbeats: HeartbeatRequest[] = [];
  registerFailuresLeft = 0;
  heartbeatIntervalMs = 60_000;
  nextResponses: Partial<HeartbeatResponse>[] = [];

  register(request: RegisterRequest): Promise<RegisterResponse> {
    this.registrations.push(request);
    if (this.registerFailuresLeft > 0) {
      this.registerFailuresLeft--;
      return Promise.reject(new Error('master unavailable'));
    }
    return Promise.resolve({ masterId: 'master-1', heartbeatIntervalMs: this.heartbeatIntervalMs });
  }

  heartbeat(request: HeartbeatRequest): Promise<HeartbeatResponse> {
    this.heartbeats.push(request);
    const scripted = this.nextResponses.shift() ?? {};
    return Promise.resolve({ known: true, kill: [], launch: [], acknowledged: [], ...scripted });
  }

  lastReport(taskId: string): string | undefined {
    for (let i = this.heartbeats.length - 1; i >= 0; i--) {
      const status = this.heartbeats[i]!.tasks.find((task) => task.taskId === taskId);
      if (status) return status.state;
    }
    return undefined;
  }
}

function newAgent(name: string, master: FakeMaster, heartbeatIntervalMs?: number) {
  const executor = newExecutor(join(home.path, name));
  const metrics = new MetricsRegistry();
  const agent = new Agent({
    agentId: `agent-${name}`,
    hostname: '127.0.0.1',
    url: 'http://127.0.0.1:1',
    resources: { cpus: 2, mem: 1024, disk: 1024, ports: [{ begin: 31000, end: 32000 }] },
    attributes: { rack: 'r1' },
    executor,
    masterLink: master,
    clock,
    logger: silentLogger(),
    metrics,
    registerRetryInitialMs: 10,
    registerRetryMaximumMs: 50,
    ...(heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs }),
  });
  return { agent, executor, metrics };
}

void test('registers with retries, then reports task changes early and forgets acknowledged tasks', async () => {
  const master = new FakeMaster();
  master.registerFailuresLeft = 2;
  const { agent, metrics } = newAgent('early', master);
  await agent.start();
  await waitFor('registration', () => agent.isRegistered());
  assert.equal(master.registrations.length, 3);
  assert.equal(master.registrations[2]!.isolation, 'not enforced: cgroup isolation is turned off');
  assert.deepEqual(master.registrations[2]!.attributes, { rack: 'r1' });

  // The master's interval is a minute: every heartbeat seen here is an early one.
  const spec = taskSpec({ cmd: 'exit 0' });
  await agent.launch([spec]);
  await waitFor('the finish reported', () => master.lastReport(spec.taskId) === 'TASK_FINISHED');
  assert.match(metrics.render(), /exo_agent_tasks\{state="TASK_FINISHED"\} 1/);

  master.nextResponses.push({ acknowledged: [spec.taskId] });
  agent.kill([]); // no-op, just exercising the API
  const other = taskSpec({ cmd: 'exit 0' });
  await agent.launch([other]);
  await waitFor('the acknowledged task forgotten', () =>
    agent.list().every((status) => status.taskId !== spec.taskId),
  );
  await agent.stop({ killTasks: true });
});

void test('applies launch and kill lists from heartbeat answers', async () => {
  const master = new FakeMaster();
  const { agent } = newAgent('apply', master, 50);
  await agent.start();
  const spec = taskSpec({ cmd: 'sleep 60' });
  master.nextResponses.push({ launch: [spec] });
  await waitFor(
    'the resent launch running',
    () => master.lastReport(spec.taskId) === 'TASK_RUNNING',
  );
  master.nextResponses.push({ kill: [{ taskId: spec.taskId, gracePeriodMs: 100 }] });
  await waitFor('the kill reported', () => master.lastReport(spec.taskId) === 'TASK_KILLED');
  await agent.stop({ killTasks: true });
});

void test('registers again when the master does not know the agent, and survives heartbeat errors', async () => {
  const master = new FakeMaster();
  const { agent, metrics } = newAgent('unknown', master, 30);
  await agent.start();
  await waitFor(
    'registration',
    () => master.registrations.length === 1 && master.heartbeats.length > 0,
  );
  master.nextResponses.push({ known: false });
  await waitFor('a second registration', () => master.registrations.length === 2);
  const original = master.heartbeat.bind(master);
  let failures = 0;
  master.heartbeat = (request) => {
    if (failures < 2) {
      failures++;
      return Promise.reject(new Error('network down'));
    }
    return original(request);
  };
  const before = master.heartbeats.length;
  await waitFor('heartbeats after errors', () => master.heartbeats.length > before);
  assert.match(metrics.render(), /exo_agent_heartbeat_failures_total 2/);
  assert.match(metrics.render(), /exo_agent_heartbeat_round_trip_seconds_count \d+/);
  await agent.stop({ killTasks: true });
});
