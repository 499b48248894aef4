import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  cgroupSkipReason,
  isAlive,
  keepProcessAlive,
  newExecutor,
  taskSpec,
  temporaryDirectory,
  uniqueId,
  waitFor,
  waitForState,
} from './helpers.js';

const skip = cgroupSkipReason();

void describe('ProcessExecutor with cgroups v1', { skip: skip ?? false }, () => {
  const home = temporaryDirectory();
  const agentId = uniqueId('test-agent');
  const executor = newExecutor(home.path, { agentId, cgroupRoot: '/sys/fs/cgroup' });
  const taskCgroup = (controller: string, taskId: string): string =>
    join('/sys/fs/cgroup', controller, 'exosphere', agentId, taskId);
  const release = keepProcessAlive();
  after(async () => {
    await executor.shutdown({ killTasks: true });
    await home.remove();
    release();
    assert.equal(existsSync(join('/sys/fs/cgroup/memory/exosphere', agentId)), false);
  });

  void test('isolation names the enforced controllers', () => {
    assert.equal(executor.isolation(), 'cgroups v1: cpu, memory, pids enforced');
  });

  void test('limits are written, the task is inside its cgroups, and they are removed at the end', async () => {
    const spec = taskSpec({
      cmd: 'cat /proc/self/cgroup > cgroup.txt; sleep 60',
      resources: { cpus: 0.25, mem: 48, disk: 0 },
    });
    await executor.launch(spec);
    await waitForState(executor, spec.taskId, 'TASK_RUNNING');
    const memory = taskCgroup('memory', spec.taskId);
    const cpu = taskCgroup('cpu', spec.taskId);
    assert.equal(
      (await readFile(join(memory, 'memory.limit_in_bytes'), 'utf8')).trim(),
      String(48 * 1024 * 1024),
    );
    assert.equal((await readFile(join(cpu, 'cpu.cfs_period_us'), 'utf8')).trim(), '100000');
    assert.equal((await readFile(join(cpu, 'cpu.cfs_quota_us'), 'utf8')).trim(), '25000');
    assert.equal((await readFile(join(cpu, 'cpu.shares'), 'utf8')).trim(), '256');
    const sandbox = join(home.path, 'sandboxes', spec.taskId);
    const membership = await waitFor('the task to write its cgroups', async () => {
      // The shell creates the file before writing it: wait for the whole content.
      const text = await readFile(join(sandbox, 'cgroup.txt'), 'utf8').catch(() => '');
      return text.includes('memory:') ? text : undefined;
    });
    assert.match(membership, new RegExp(`memory:/exosphere/${agentId}/${spec.taskId}`));
    await executor.kill(spec.taskId, 200);
    await waitFor('cgroup removal', () => !existsSync(memory) && !existsSync(cpu));
  });

  void test('a task allocating past its memory limit is OOM killed', async () => {
    // 256 MiB of data against a 32 MiB limit; python3 when present, else a shell string.
    const allocate =
      'if command -v python3 >/dev/null; then python3 -c "x = bytearray(256 * 1024 * 1024); print(len(x))"; else x=$(head -c 268435456 /dev/zero | tr "\\0" a); echo ${#x}; fi';
    const spec = taskSpec({ cmd: allocate, resources: { cpus: 0.5, mem: 32, disk: 0 } });
    await executor.launch(spec);
    const final = await waitForState(executor, spec.taskId, 'TASK_FAILED', 30_000);
    assert.equal(final.message, 'OOM killed: memory limit 32 MiB');
  });

  void test('kill reaches a grandchild that escaped the process group with setsid', async () => {
    const spec = taskSpec({
      cmd: 'setsid sh -c "echo \\$\\$ > escaped.pid; trap \\"\\" TERM; sleep 60" & wait',
      killGracePeriodMs: 300,
    });
    await executor.launch(spec);
    const sandbox = join(home.path, 'sandboxes', spec.taskId);
    const escaped = await waitFor(
      'escaped pid',
      async () =>
        Number(await readFile(join(sandbox, 'escaped.pid'), 'utf8').catch(() => '')) || undefined,
    );
    const group = (await readFile(`/proc/${escaped}/stat`, 'utf8')).split(') ')[1]?.split(' ')[2];
    assert.equal(group, String(escaped), 'the grandchild leads its own process group');
    await executor.kill(spec.taskId, spec.killGracePeriodMs);
    await waitFor('escaped grandchild to die', () => !isAlive(escaped) || isZombie(escaped));
  });
});

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}
