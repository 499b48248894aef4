import { accessSync, constants as fsConstants, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { RealClock, silentLogger } from '@exosphere/common';
import type { TaskLaunchSpec, TaskStatus } from '../../src/core/protocol.js';
import { ProcessExecutor, type ProcessExecutorOptions } from '../../src/agent/process-executor.js';

export const clock = new RealClock();

export function temporaryDirectory(): { path: string; remove: () => Promise<void> } {
  const path = mkdtempSync(join(tmpdir(), 'exo-agent-test-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function taskSpec(overrides: Partial<TaskLaunchSpec> = {}): TaskLaunchSpec {
  return {
    taskId: uniqueId('task'),
    appId: '/test/app',
    env: {},
    resources: { cpus: 0.5, mem: 64, disk: 0 },
    ports: [],
    portNames: [],
    killGracePeriodMs: 500,
    healthChecks: [],
    version: '2026-01-01T00:00:00.000Z',
    labels: {},
    ...overrides,
  };
}

/** Polls until `condition` returns a value (not undefined/false); generous for loaded machines. */
export async function waitFor<T>(
  description: string,
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function statusOf(executor: ProcessExecutor, taskId: string): TaskStatus | undefined {
  return executor.list().find((status) => status.taskId === taskId);
}

export function waitForState(
  executor: ProcessExecutor,
  taskId: string,
  state: TaskStatus['state'],
  timeoutMs?: number,
): Promise<TaskStatus> {
  return waitFor(
    `${taskId} to reach ${state} (now ${statusOf(executor, taskId)?.state ?? 'unknown'})`,
    () => {
      const status = statusOf(executor, taskId);
      return status?.state === state ? status : undefined;
    },
    timeoutMs,
  );
}

export function newExecutor(
  workDir: string,
  overrides: Partial<ProcessExecutorOptions> = {},
): ProcessExecutor {
  return new ProcessExecutor({
    workDir,
    agentId: uniqueId('test-agent'),
    hostname: '127.0.0.1',
    clock,
    logger: silentLogger(),
    cgroupRoot: false,
    ...overrides,
  });
}

/** Why cgroup tests cannot run here, or undefined when they can. */
export function cgroupSkipReason(): string | undefined {
  for (const controller of ['memory', 'cpu', 'pids']) {
    const path = `/sys/fs/cgroup/${controller}`;
    try {
      accessSync(join(path, 'cgroup.procs'), fsConstants.W_OK);
    } catch {
      return `${path} is not a writable cgroup v1 hierarchy (needs root and cgroups v1)`;
    }
  }
  return undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Keeps the test process alive while it awaits tasks: RealClock timers are unref'd (a real
 * agent is kept alive by its HTTP server), so without this a test waiting only on the
 * executor would end early. Returns the function that releases it.
 */
export function keepProcessAlive(): () => void {
  const interval = setInterval(() => {}, 1000);
  return () => clearInterval(interval);
}
