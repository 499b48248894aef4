import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { silentLogger } from '@exosphere/common';
import type { HealthCheckSpec } from '../../src/core/health.js';
import { HealthChecker } from '../../src/agent/health-checker.js';
import {
  clock,
  keepProcessAlive,
  newExecutor,
  statusOf,
  taskSpec,
  temporaryDirectory,
  waitFor,
  waitForState,
} from './helpers.js';

const home = temporaryDirectory();
const release = keepProcessAlive();
after(async () => {
  await home.remove();
  release();
});

function check(overrides: Partial<HealthCheckSpec>): HealthCheckSpec {
  return {
    protocol: 'HTTP',
    path: '/health',
    port: undefined,
    command: undefined,
    gracePeriodMs: 0,
    intervalMs: 40,
    timeoutMs: 2000,
    maxConsecutiveFailures: 2,
    delayMs: 0,
    ignoreHttp1xx: false,
    ...overrides,
  };
}

function checker(specs: HealthCheckSpec[], onChange: () => void = () => {}): HealthChecker {
  return new HealthChecker({
    specs,
    host: '127.0.0.1',
    sandboxDir: home.path,
    environment: { PATH: process.env.PATH ?? '', EXO_TASK_ID: 'task-1' },
    clock,
    logger: silentLogger(),
    onChange,
  });
}

void test('HTTP: healthy on 200, unhealthy after maxConsecutiveFailures, healthy again', async () => {
  let status = 200;
  const paths: string[] = [];
  const server = createHttpServer((request, response) => {
    paths.push(request.url ?? '');
    response.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let changes = 0;
  const health = checker([check({ port })], () => changes++);
  health.start();
  try {
    await waitFor('healthy', () => health.healthy() === true);
    assert.equal(paths[0], '/health');
    const first = health.results()[0]!;
    assert.equal(first.alive, true);
    assert.ok(first.firstSuccess !== null && first.lastSuccess !== null);
    assert.ok(!Number.isNaN(Date.parse(first.firstSuccess)));
    status = 503;
    await waitFor('unhealthy', () => health.healthy() === false);
    const failed = health.results()[0]!;
    assert.equal(failed.alive, false);
    assert.ok(failed.consecutiveFailures >= 2);
    assert.match(failed.lastFailureCause ?? '', /503/);
    status = 302;
    await waitFor('healthy again', () => health.healthy() === true);
    assert.equal(health.results()[0]!.consecutiveFailures, 0);
    assert.ok(changes >= 3, 'every health change was reported');
  } finally {
    health.stop();
    server.close();
  }
});

void test('TCP: healthy while something listens, unhealthy when it stops', async () => {
  const server = createTcpServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const health = checker([check({ protocol: 'TCP', port })]);
  health.start();
  try {
    await waitFor('healthy', () => health.healthy() === true);
    await new Promise((resolve) => server.close(resolve));
    await waitFor('unhealthy', () => health.healthy() === false);
    assert.match(health.results()[0]!.lastFailureCause ?? '', /ECONNREFUSED/);
  } finally {
    health.stop();
  }
});

void test('COMMAND: runs in the sandbox with the task environment', async () => {
  const marker = join(home.path, 'ok');
  await writeFile(marker, '');
  const health = checker([
    check({ protocol: 'COMMAND', command: 'test -f ok && [ "$EXO_TASK_ID" = task-1 ]' }),
  ]);
  health.start();
  try {
    await waitFor('healthy', () => health.healthy() === true);
    await rm(marker);
    await waitFor('unhealthy', () => health.healthy() === false);
    assert.match(health.results()[0]!.lastFailureCause ?? '', /exited with code 1/);
  } finally {
    health.stop();
  }
});

void test('COMMAND: a hung command times out', async () => {
  const health = checker([
    check({ protocol: 'COMMAND', command: 'sleep 30', timeoutMs: 100, maxConsecutiveFailures: 1 }),
  ]);
  health.start();
  try {
    await waitFor('unhealthy', () => health.healthy() === false);
    assert.match(health.results()[0]!.lastFailureCause ?? '', /timed out/);
  } finally {
    health.stop();
  }
});

void test('failures during the grace period are ignored until the first success', async () => {
  const failing = check({
    protocol: 'COMMAND',
    command: 'exit 1',
    gracePeriodMs: 60_000,
    maxConsecutiveFailures: 1,
  });
  const health = checker([failing]);
  health.start();
  try {
    // Several intervals pass with failures, none counted.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(health.healthy(), undefined);
    assert.equal(health.results()[0]!.consecutiveFailures, 0);
    assert.equal(health.results()[0]!.lastFailure, null);
  } finally {
    health.stop();
  }
});

void test('the task is healthy only when every check has a healthy verdict', async () => {
  const health = checker([
    check({ protocol: 'COMMAND', command: 'true' }),
    check({ protocol: 'COMMAND', command: 'exit 1', gracePeriodMs: 60_000 }),
  ]);
  health.start();
  try {
    await waitFor('the first check to succeed', () => health.results()[0]!.alive);
    assert.equal(health.healthy(), undefined);
  } finally {
    health.stop();
  }
});

void test('the executor reports health in task status and sends an update on each change', async () => {
  const executor = newExecutor(join(home.path, 'executor'));
  let healthUpdates = 0;
  executor.onUpdate((status) => {
    if (status.healthy !== undefined) healthUpdates++;
  });
  const spec = taskSpec({
    cmd: 'touch healthy; sleep 60',
    healthChecks: [
      check({ protocol: 'COMMAND', command: 'test -f healthy', maxConsecutiveFailures: 1 }),
    ],
  });
  await executor.launch(spec);
  await waitForState(executor, spec.taskId, 'TASK_RUNNING');
  const healthy = await waitFor(
    'a healthy task',
    () => statusOf(executor, spec.taskId)?.healthy === true,
  );
  assert.ok(healthy);
  assert.equal(statusOf(executor, spec.taskId)?.healthCheckResults?.length, 1);
  await rm(join(home.path, 'executor', 'sandboxes', spec.taskId, 'healthy'));
  await waitFor('an unhealthy task', () => statusOf(executor, spec.taskId)?.healthy === false);
  assert.equal(
    statusOf(executor, spec.taskId)?.state,
    'TASK_RUNNING',
    'unhealthy tasks are not killed by the agent',
  );
  assert.ok(healthUpdates >= 2);
  await executor.shutdown({ killTasks: true });
});
