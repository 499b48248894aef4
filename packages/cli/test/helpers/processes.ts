import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxProcesses, sandboxTaskIds } from './sandbox-processes.js';

/** The compiled `exo` entry point (tests run from dist/test/...). */
export const exoMain = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'main.js');

export interface ExoProcess {
  child: ChildProcess;
  /** The URL printed on start ("... listening on URL"). */
  url: string;
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/**
 * Starts `exo <args>` as a real process and waits for its "listening on URL" line.
 * `prefix` runs it through another command (e.g. `ip netns exec ns`).
 */
export async function startExo(
  args: string[],
  options: { prefix?: string[]; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<ExoProcess> {
  const command = options.prefix ? options.prefix[0]! : process.execPath;
  const commandArgs = options.prefix
    ? [...options.prefix.slice(1), process.execPath, exoMain, ...args]
    : [exoMain, ...args];
  const child = spawn(command, commandArgs, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, EXO_LOG_LEVEL: 'warn', ...options.env },
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`exo ${args[0]} did not start:\n${text}`)),
      options.timeoutMs ?? 20_000,
    );
    const check = (): void => {
      const match = /listening on (http:\/\/\S+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`exo ${args[0]} exited before listening:\n${text}`));
    });
  });
  return { child, url, output: () => text, exited };
}

/** Stops a process and waits for it (SIGKILL after `graceMs`). */
export async function stopExo(
  exo: ExoProcess | undefined,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 5000,
): Promise<void> {
  if (!exo || exo.child.exitCode !== null || exo.child.signalCode !== null) return;
  exo.child.kill(signal);
  const timer = setTimeout(() => exo.child.kill('SIGKILL'), graceMs);
  await exo.exited;
  clearTimeout(timer);
}

/**
 * PIDs of live processes of tasks of `appId` (their MARATHON_APP_ID) run by the cluster whose
 * homes are under `home`: tasks of the same app id left by other runs on this machine are not
 * counted (sandbox-processes.ts).
 */
export async function taskProcesses(home: string, appId: string): Promise<number[]> {
  return (await sandboxProcesses(home)).filter((p) => p.appId === appId).map((p) => p.pid);
}

/** Distinct task ids (MESOS_TASK_ID) with a live process of `appId` under `home`. */
export async function liveTaskIds(home: string, appId: string): Promise<string[]> {
  return sandboxTaskIds(home, appId);
}

export async function api<T = unknown>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(url + path, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function waitFor(
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await condition()) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`,
  );
}

export interface TaskJson {
  id: string;
  appId: string;
  host: string;
  state: string;
  agentId: string;
  healthy?: boolean;
}

export async function tasksOf(url: string, appId: string, token?: string): Promise<TaskJson[]> {
  const { body } = await api<{ tasks: TaskJson[] }>(
    url,
    'GET',
    `/v2/apps${appId}/tasks`,
    undefined,
    token,
  );
  return body.tasks;
}

/** A random 100-port range for an agent's tasks, below the kernel's ephemeral range. */
export function portRange(): string {
  const base = 20000 + Math.floor(Math.random() * 90) * 100;
  return `ports=[${base}-${base + 99}]`;
}
