import { constants as fsConstants } from 'node:fs';
import { access, readdir, readFile } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';

interface ProcessStat {
  /** Field 3: R, S, D, Z, ... */
  readonly state: string;
  /** Field 22: start time in clock ticks since boot; with the pid it names one process. */
  readonly startTime: string;
}

/** Reads /proc/<pid>/stat (proc(5)); undefined when there is no such process. */
export async function readProcessStat(pid: number): Promise<ProcessStat | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may itself contain spaces or ")", so
  // the fields are counted from the last ")".
  const fields = text
    .slice(text.lastIndexOf(')') + 2)
    .trim()
    .split(' ');
  // After the name, fields start at 3 (state); field 22 is index 22 - 3.
  const state = fields[0];
  const startTime = fields[22 - 3];
  if (state === undefined || startTime === undefined) return undefined;
  return { state, startTime };
}

/**
 * True when `pid` is alive and is the process that started at `startTime`, so a recycled pid
 * is not mistaken for the task. A zombie has ended: it only waits for its parent to reap it.
 */
export async function isSameProcessAlive(pid: number, startTime: string): Promise<boolean> {
  const stat = await readProcessStat(pid);
  return stat !== undefined && stat.startTime === startTime && stat.state !== 'Z';
}

/** At most this many /proc entries are read by one search (a bound on its cost). */
const processesSearchedMax = 100_000;

/**
 * Finds a live process whose argv begins with `argv` (from /proc/<pid>/cmdline), for a
 * process whose pid was never recorded. Reads every process's command line, so it is for
 * rare paths only (recovery after a crash).
 */
export async function findProcessByArgv(
  argv: readonly string[],
): Promise<{ readonly pid: number; readonly startTime: string } | undefined> {
  const wanted = argv.map((word) => `${word}\0`).join('');
  const entries = (await readdir('/proc').catch(() => [] as string[])).filter((entry) =>
    /^\d+$/.test(entry),
  );
  for (const entry of entries.slice(0, processesSearchedMax)) {
    const commandLine = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (!commandLine.startsWith(wanted)) continue;
    const pid = Number(entry);
    const stat = await readProcessStat(pid);
    if (stat !== undefined && stat.state !== 'Z') return { pid, startTime: stat.startTime };
  }
  return undefined;
}

/** Sends `signal` to a process group; a group that is already gone is not an error. */
export function signalProcessGroup(groupId: number, signal: NodeJS.Signals): void {
  signalProcess(-groupId, signal);
}

export function signalProcess(pid: number, signal: NodeJS.Signals): void {
  if (pid === 0 || pid === -1 || pid === process.pid) return;
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Finds the executable `args[0]` would run, the way execvp does: a name with a slash is a
 * path (relative to `cwd`), a bare name is searched in PATH. Undefined when none is found,
 * so the launch fails with a clear message instead of a bare exit code 127.
 */
export async function resolveExecutable(options: {
  readonly name: string;
  readonly path: string | undefined;
  readonly cwd: string;
}): Promise<string | undefined> {
  const { name } = options;
  if (name === '') return undefined;
  const candidates = name.includes('/')
    ? [isAbsolute(name) ? name : join(options.cwd, name)]
    : (options.path ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((directory) => join(directory, name));
  for (const candidate of candidates) {
    try {
      await access(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next PATH entry.
    }
  }
  return undefined;
}
