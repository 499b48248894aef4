import { readdir, readFile, readlink } from 'node:fs/promises';

/** How many /proc entries are looked at, at most (a bound on one scan). */
const processesMax = 100_000;

export interface SandboxProcess {
  readonly pid: number;
  /** The command line, with its NUL separators as spaces. */
  readonly command: string;
  /** MESOS_TASK_ID and MARATHON_APP_ID of its environment ('' when absent). */
  readonly taskId: string;
  readonly appId: string;
}

/**
 * Live processes that belong to a sandbox under `home` (any agent's `<home>/…/sandboxes/…`),
 * and so only to the cluster started there, even while other tests run tasks of the same app
 * id: their environment's MESOS_SANDBOX is one, their working directory is in one, or their
 * command names a file in one (the task wrapper is `/bin/sh <sandbox>/.exo-wrapper.sh …`).
 * Agents and masters, whose command lines only name their homes, are not counted; zombies
 * are not either.
 */
export async function sandboxProcesses(home: string): Promise<SandboxProcess[]> {
  const found: SandboxProcess[] = [];
  const entries = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  for (const entry of entries.slice(0, processesMax)) {
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      if (/\) Z /.test(stat)) continue;
      const command = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0').join(' ');
      const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
      const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => '');
      const sandbox = variable(environ, 'MESOS_SANDBOX');
      const inside =
        inSandbox(sandbox, home) ||
        inSandbox(cwd, home) ||
        command.split(' ').some((word) => inSandbox(word, home));
      if (!inside) continue;
      found.push({
        pid: Number(entry),
        command: command.trim(),
        taskId: variable(environ, 'MESOS_TASK_ID'),
        appId: variable(environ, 'MARATHON_APP_ID'),
      });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** Distinct task ids with a live process of `appId` in a sandbox under `home`, sorted. */
export async function sandboxTaskIds(home: string, appId: string): Promise<string[]> {
  const processes = await sandboxProcesses(home);
  return [...new Set(processes.filter((p) => p.appId === appId).map((p) => p.taskId))].sort();
}

function variable(environ: string, name: string): string {
  const prefix = `${name}=`;
  return (
    environ
      .split('\0')
      .find((entry) => entry.startsWith(prefix))
      ?.slice(prefix.length) ?? ''
  );
}

function inSandbox(path: string, home: string): boolean {
  return path.startsWith(`${home}/`) && path.includes('/sandboxes/');
}
