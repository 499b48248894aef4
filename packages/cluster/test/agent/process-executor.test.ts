import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { TaskStatus } from '../../src/core/protocol.js';
import {
  isAlive,
  keepProcessAlive,
  newExecutor,
  statusOf,
  taskSpec,
  temporaryDirectory,
  waitFor,
  waitForState,
} from './helpers.js';

void describe('ProcessExecutor without cgroups', () => {
  const home = temporaryDirectory();
  const executor = newExecutor(home.path);
  const updates: TaskStatus[] = [];
  executor.onUpdate((status) => updates.push(status));
  const release = keepProcessAlive();
  after(async () => {
    await executor.shutdown({ killTasks: true });
    await home.remove();
    release();
  });

  void test('a command that exits 0 goes RUNNING then FINISHED', async () => {
    const spec = taskSpec({ cmd: 'sleep 0.2; echo done' });
    await executor.launch(spec);
    const final = await waitForState(executor, spec.taskId, 'TASK_FINISHED');
    assert.equal(final.exitCode, 0);
    const states = updates.filter((u) => u.taskId === spec.taskId).map((u) => u.state);
    assert.deepEqual(states, ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    const sandbox = join(home.path, 'sandboxes', spec.taskId);
    assert.equal(await readFile(join(sandbox, 'stdout'), 'utf8'), 'done\n');
  });

  void test('a non-zero exit is TASK_FAILED with the code', async () => {
    const spec = taskSpec({ cmd: 'echo oops >&2; exit 3' });
    await executor.launch(spec);
    const final = await waitForState(executor, spec.taskId, 'TASK_FAILED');
    assert.equal(final.exitCode, 3);
    assert.equal(final.message, 'exited with code 3');
    const stderr = await readFile(join(home.path, 'sandboxes', spec.taskId, 'stderr'), 'utf8');
    assert.equal(stderr, 'oops\n');
  });

  void test('death by a signal is TASK_FAILED naming the signal', async () => {
    const spec = taskSpec({ cmd: 'kill -USR1 $$' });
    await executor.launch(spec);
    const final = await waitForState(executor, spec.taskId, 'TASK_FAILED');
    assert.equal(final.message, 'killed by signal SIGUSR1');
  });

  void test('args run without a shell; a missing executable fails the launch with a message', async () => {
    const good = taskSpec({ args: ['sh', '-c', 'exit 0'] });
    await executor.launch(good);
    await waitForState(executor, good.taskId, 'TASK_FINISHED');
    const bad = taskSpec({ args: ['no-such-program-exo'] });
    await executor.launch(bad);
    const final = await waitForState(executor, bad.taskId, 'TASK_FAILED');
    assert.match(final.message ?? '', /executable not found.*no-such-program-exo/);
  });

  void test('the environment carries Exosphere and Marathon variables', async () => {
    const spec = taskSpec({
      cmd: 'env > env.txt',
      env: { GREETING: 'hello', EXO_TASK_ID: 'spoofed' },
      ports: [31001, 31002],
      portNames: ['http', undefined],
    });
    await executor.launch(spec);
    await waitForState(executor, spec.taskId, 'TASK_FINISHED');
    const sandbox = join(home.path, 'sandboxes', spec.taskId);
    const text = await readFile(join(sandbox, 'env.txt'), 'utf8');
    const environment = Object.fromEntries(
      text
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    const expected: Record<string, string> = {
      GREETING: 'hello',
      EXO_TASK_ID: spec.taskId,
      EXO_APP_ID: '/test/app',
      EXO_APP_VERSION: spec.version,
      EXO_HOST: '127.0.0.1',
      EXO_SANDBOX: sandbox,
      EXO_PORTS: '31001,31002',
      EXO_PORT0: '31001',
      EXO_PORT1: '31002',
      EXO_PORT_HTTP: '31001',
      PORT0: '31001',
      PORT1: '31002',
      PORT: '31001',
      PORTS: '31001,31002',
      PORT_HTTP: '31001',
      HOST: '127.0.0.1',
      MESOS_TASK_ID: spec.taskId,
      MESOS_SANDBOX: sandbox,
      MARATHON_APP_ID: '/test/app',
      MARATHON_APP_VERSION: spec.version,
      PATH: process.env.PATH ?? '',
    };
    for (const [name, value] of Object.entries(expected)) {
      assert.equal(environment[name], value, name);
    }
  });

  void test('kill: SIGTERM to the whole tree, SIGKILL after the grace period', async () => {
    // The task and its child both ignore SIGTERM, so only SIGKILL after the grace ends them.
    const spec = taskSpec({
      cmd: "trap '' TERM; sh -c \"trap '' TERM; echo \\$\\$ > grandchild.pid; sleep 60\" & echo $$ > child.pid; wait",
      killGracePeriodMs: 400,
    });
    await executor.launch(spec);
    const sandbox = join(home.path, 'sandboxes', spec.taskId);
    const grandchild = await waitFor(
      'grandchild pid',
      async () =>
        Number(await readFile(join(sandbox, 'grandchild.pid'), 'utf8').catch(() => '')) ||
        undefined,
    );
    assert.ok(isAlive(grandchild));
    const started = performance.now();
    const killing = executor.kill(spec.taskId, spec.killGracePeriodMs);
    assert.equal(statusOf(executor, spec.taskId)?.state, 'TASK_KILLING');
    await killing;
    assert.ok(performance.now() - started >= 350, 'SIGKILL came only after the grace period');
    assert.equal(statusOf(executor, spec.taskId)?.state, 'TASK_KILLED');
    await waitFor('grandchild to die', () => !isAlive(grandchild));
  });

  void test('a task that obeys SIGTERM ends before the grace period', async () => {
    const spec = taskSpec({ cmd: 'sleep 60', killGracePeriodMs: 10_000 });
    await executor.launch(spec);
    await waitForState(executor, spec.taskId, 'TASK_RUNNING');
    const started = performance.now();
    await executor.kill(spec.taskId, spec.killGracePeriodMs);
    assert.ok(performance.now() - started < 5000);
    assert.equal(statusOf(executor, spec.taskId)?.state, 'TASK_KILLED');
  });

  void test('launch is idempotent and forget drops only ended tasks', async () => {
    const spec = taskSpec({ cmd: 'sleep 60' });
    await executor.launch(spec);
    await executor.launch(spec);
    assert.equal(executor.list().filter((s) => s.taskId === spec.taskId).length, 1);
    executor.forget(spec.taskId);
    assert.ok(statusOf(executor, spec.taskId), 'a running task is not forgotten');
    await executor.kill(spec.taskId, 100);
    executor.forget(spec.taskId);
    assert.equal(statusOf(executor, spec.taskId), undefined);
  });

  void test('an unsafe task id is TASK_ERROR, not an exception', async () => {
    const spec = taskSpec({ taskId: '../escape', cmd: 'true' });
    await executor.launch(spec);
    assert.equal(statusOf(executor, spec.taskId)?.state, 'TASK_ERROR');
  });

  void test('isolation says it is off', () => {
    assert.match(executor.isolation(), /^not enforced/);
  });
});
