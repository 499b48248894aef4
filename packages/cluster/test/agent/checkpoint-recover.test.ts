import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  isAlive,
  keepProcessAlive,
  newExecutor,
  statusOf,
  taskSpec,
  temporaryDirectory,
  uniqueId,
  waitFor,
  waitForState,
} from './helpers.js';

interface CheckpointFile {
  tasks: {
    spec: { taskId: string };
    pid: number;
    processStartTime: string;
    status: { state: string };
  }[];
}

const home = temporaryDirectory();
const release = keepProcessAlive();
after(async () => {
  release();
  await home.remove();
});

/** Waits for a file named "go" in the sandbox, so the test decides when the task ends. */
const waitForGo = 'while [ ! -f go ]; do sleep 0.05; done';

void test('an agent restart re-attaches to a running task and learns its exit code', async () => {
  const workDir = join(home.path, 'restart');
  const agentId = uniqueId('agent');
  const first = newExecutor(workDir, { agentId });
  const spec = taskSpec({ cmd: `${waitForGo}; exit 7` });
  await first.launch(spec);
  await waitForState(first, spec.taskId, 'TASK_RUNNING');
  await first.shutdown({ killTasks: false });

  const checkpoint = JSON.parse(
    await readFile(join(workDir, 'checkpoint.json'), 'utf8'),
  ) as CheckpointFile;
  const entry = checkpoint.tasks.find((task) => task.spec.taskId === spec.taskId);
  assert.ok(entry);
  assert.equal(entry.status.state, 'TASK_RUNNING');
  assert.match(entry.processStartTime, /^\d+$/);
  assert.ok(isAlive(entry.pid), 'shutdown without killTasks leaves the task running');

  const second = newExecutor(workDir, { agentId, livenessPollIntervalMs: 50 });
  await second.recover();
  assert.equal(statusOf(second, spec.taskId)?.state, 'TASK_RUNNING');
  await writeFile(join(workDir, 'sandboxes', spec.taskId, 'go'), '');
  const final = await waitForState(second, spec.taskId, 'TASK_FAILED');
  assert.equal(final.exitCode, 7);
  assert.equal(final.message, 'exited with code 7');
  await second.shutdown({ killTasks: true });
});

void test('a re-attached task can be killed', async () => {
  const workDir = join(home.path, 'kill');
  const agentId = uniqueId('agent');
  const first = newExecutor(workDir, { agentId });
  const spec = taskSpec({ cmd: 'sleep 60' });
  await first.launch(spec);
  await waitForState(first, spec.taskId, 'TASK_RUNNING');
  await first.shutdown({ killTasks: false });
  const second = newExecutor(workDir, { agentId, livenessPollIntervalMs: 50 });
  await second.recover();
  await second.kill(spec.taskId, 200);
  assert.equal(statusOf(second, spec.taskId)?.state, 'TASK_KILLED');
  await second.shutdown({ killTasks: true });
});

void test('a task that vanished while the agent was down is TASK_FAILED', async () => {
  const workDir = join(home.path, 'vanished');
  const agentId = uniqueId('agent');
  const first = newExecutor(workDir, { agentId });
  const spec = taskSpec({ cmd: 'sleep 60' });
  await first.launch(spec);
  await waitForState(first, spec.taskId, 'TASK_RUNNING');
  await first.shutdown({ killTasks: false });
  const checkpoint = JSON.parse(
    await readFile(join(workDir, 'checkpoint.json'), 'utf8'),
  ) as CheckpointFile;
  const pid = checkpoint.tasks[0]!.pid;
  // SIGKILL takes the wrapper too, so no exit status is recorded.
  process.kill(-pid, 'SIGKILL');
  await waitFor('the task to be gone', async () => {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    return stat === undefined || stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  });
  const second = newExecutor(workDir, { agentId });
  await second.recover();
  const status = statusOf(second, spec.taskId);
  assert.equal(status?.state, 'TASK_FAILED');
  assert.equal(status.message, 'process gone while the agent was down');
  await second.shutdown({ killTasks: true });
});

void test('a task that ended while the agent was down is reported from its exit status file', async () => {
  const workDir = join(home.path, 'ended');
  const agentId = uniqueId('agent');
  const first = newExecutor(workDir, { agentId });
  const spec = taskSpec({ cmd: `${waitForGo}; exit 0` });
  await first.launch(spec);
  await waitForState(first, spec.taskId, 'TASK_RUNNING');
  await first.shutdown({ killTasks: false });
  await writeFile(join(workDir, 'sandboxes', spec.taskId, 'go'), '');
  await waitFor('the exit status file', async () => {
    const text = await readFile(
      join(workDir, 'sandboxes', spec.taskId, '.exit_status'),
      'utf8',
    ).catch(() => '');
    return text.endsWith('\n') ? text : undefined;
  });
  const second = newExecutor(workDir, { agentId });
  await second.recover();
  await waitForState(second, spec.taskId, 'TASK_FINISHED');
  // Ended tasks stay in the checkpoint until forgotten, so their end is reported after a restart.
  second.forget(spec.taskId);
  await second.shutdown({ killTasks: true });
  const checkpoint = JSON.parse(
    await readFile(join(workDir, 'checkpoint.json'), 'utf8'),
  ) as CheckpointFile;
  assert.equal(checkpoint.tasks.length, 0);
});
