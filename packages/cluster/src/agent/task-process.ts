import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskLaunchSpec } from '../core/protocol.js';
import { readProcessStat, resolveExecutable } from './process-tree.js';
import { taskWrapperScript } from './task-wrapper.js';

export interface SpawnTaskOptions {
  readonly spec: TaskLaunchSpec;
  readonly sandboxDir: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly cgroupProcsFiles: readonly string[];
  /** Another account the command runs as (task-user.ts). */
  readonly runAs?: { readonly uid: number; readonly gid: number } | undefined;
  /** Attached before anything else can happen, so even an instant exit is seen. */
  readonly onExit: (code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface SpawnedTask {
  readonly child: ChildProcess;
  /** The wrapper's pid; as a group leader it is also the task's process group id. */
  readonly pid: number;
  readonly processStartTime: string | undefined;
}

/** Where a task's wrapper script is; `/bin/sh <this>` begins the wrapper's argv. */
export function wrapperScriptPath(sandboxDir: string): string {
  return join(sandboxDir, '.exo-wrapper.sh');
}

/** A launch that cannot start; the message is shown as the task's failure reason. */
export class LaunchError extends Error {}

/** The argv a spec runs: `/bin/sh -c cmd`, or its args as given (args[0] resolved now). */
export async function taskCommand(options: {
  readonly spec: TaskLaunchSpec;
  readonly sandboxDir: string;
  readonly path: string | undefined;
}): Promise<string[]> {
  const { spec } = options;
  const hasCommand = spec.cmd !== undefined && spec.cmd !== '';
  const hasArgs = spec.args !== undefined && spec.args.length > 0;
  if (hasCommand === hasArgs) throw new LaunchError('a task needs exactly one of cmd and args');
  if (hasCommand) return ['/bin/sh', '-c', spec.cmd];
  const [name = '', ...rest] = spec.args!;
  const executable = await resolveExecutable({ name, path: options.path, cwd: options.sandboxDir });
  if (executable === undefined) {
    throw new LaunchError(`executable not found or not executable: ${name}`);
  }
  return [executable, ...rest];
}

/**
 * Starts the wrapper (task-wrapper.ts) around `command` in the sandbox, as the leader of a new
 * process group, with stdout and stderr appended to files in the sandbox. Resolves once the
 * operating system confirmed the process exists.
 */
export async function spawnTask(
  options: SpawnTaskOptions & { readonly command: readonly string[] },
): Promise<SpawnedTask> {
  const stdout = openSync(join(options.sandboxDir, 'stdout'), 'a');
  let stderr: number | undefined;
  let child: ChildProcess;
  try {
    stderr = openSync(join(options.sandboxDir, 'stderr'), 'a');
    // The wrapper lives in the sandbox rather than in argv, so `ps` shows a readable line:
    // `/bin/sh <sandbox>/.exo-wrapper.sh <command...>`.
    const wrapperPath = wrapperScriptPath(options.sandboxDir);
    writeFileSync(
      wrapperPath,
      taskWrapperScript({
        sandboxDir: options.sandboxDir,
        cgroupProcsFiles: options.cgroupProcsFiles,
        runAs: options.runAs,
      }) + '\n',
      { mode: 0o600 },
    );
    child = spawn('/bin/sh', [wrapperPath, ...options.command], {
      cwd: options.sandboxDir,
      env: options.environment,
      detached: true,
      stdio: ['ignore', stdout, stderr],
    });
    child.once('exit', options.onExit);
  } finally {
    // The child holds its own copies of the descriptors.
    closeSync(stdout);
    if (stderr !== undefined) closeSync(stderr);
  }
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new LaunchError(`could not start: ${error.message}`)));
  });
  const pid = child.pid;
  if (pid === undefined) throw new LaunchError('the process started without a pid');
  const stat = await readProcessStat(pid);
  return { child, pid, processStartTime: stat?.startTime };
}
