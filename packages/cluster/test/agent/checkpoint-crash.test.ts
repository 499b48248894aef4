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

interface CheckpointEntryJson {
  spec: { taskId: string };
  pid?: number;
  processStartTime?: string;
  status: { state: string };
}

const home = temporaryDirectory();
const release = keepProcessAlive();
after(async () => {
  release();
  await home.remove();
});

/**
 * An agent killed with -9 while a task starts leaves a checkpoint from an earlier instant.
 * A real task is started and left running, then its checkpoint entry is put back to what a
 * crash at that instant leaves on disk, and a new executor recovers from it.
 */
async function crashedAt(
  name: string,
  rewind: (entry: CheckpointEntryJson) => void,
): Promise<{ workDir: string; agentId: string; taskId: string; pid: number }> {
  const workDir = join(home.path, name);
  const agentId = uniqueId('agent');
  const first = newExecutor(workDir, { agentId });
  const spec = taskSpec({ cmd: 'sleep 60' });
  await first.launch(spec);
  await waitForState(first, spec.taskId, 'TASK_RUNNING');
  await first.shutdown({ killTasks: false });
  const path = join(workDir, 'checkpoint.json');
  const checkpoint = JSON.parse(await readFile(path, 'utf8')) as { tasks: CheckpointEntryJson[] };
  const entry = checkpoint.tasks.find((task) => task.spec.taskId === spec.taskId);
  assert.ok(entry?.pid !== undefined);
  const pid = entry.pid;
  rewind(entry);
  await writeFile(path, JSON.stringify(checkpoint));
  return { workDir, agentId, taskId: spec.taskId, pid };
}

void test('a crash before TASK_RUNNING was checkpointed: the live task becomes running', async () => {
  const { workDir, agentId, taskId, pid } = await crashedAt('starting', (entry) => {
    entry.status.state = 'TASK_STARTING';
  });
  const second = newExecutor(workDir, { agentId, livenessPollIntervalMs: 50 });
  await second.recover();
  // Left in TASK_STARTING, the task would never converge (nothing moves it on).
  assert.equal(statusOf(second, taskId)?.state, 'TASK_RUNNING');
  await second.kill(taskId, 200);
  assert.equal(statusOf(second, taskId)?.state, 'TASK_KILLED');
  await waitFor('the process to end', () => !isAlive(pid));
  await second.shutdown({ killTasks: true });
});

void test('a crash right after the spawn, before the pid was checkpointed: the process is found', async () => {
  const { workDir, agentId, taskId, pid } = await crashedAt('spawned', (entry) => {
    // The task is checkpointed before its process is spawned, without a pid.
    entry.status.state = 'TASK_STAGING';
    delete entry.pid;
    delete entry.processStartTime;
  });
  const second = newExecutor(workDir, { agentId, livenessPollIntervalMs: 50 });
  await second.recover();
  // Without finding it, the task would be reported failed while its process ran on, unknown.
  assert.equal(statusOf(second, taskId)?.state, 'TASK_RUNNING');
  assert.ok(isAlive(pid));
  await second.kill(taskId, 200);
  assert.equal(statusOf(second, taskId)?.state, 'TASK_KILLED');
  await waitFor('the process to end', () => !isAlive(pid));
  await second.shutdown({ killTasks: true });
});
