import { constants as osConstants } from 'node:os';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The file the task wrapper writes the command's exit status to (see task-wrapper.ts). */
export const exitStatusFileName = '.exit_status';

/** `<workDir>/sandboxes/<taskId>`; task ids are checked before they reach the file system. */
export function sandboxPath(workDir: string, taskId: string): string {
  return join(workDir, 'sandboxes', taskId);
}

/** Task ids become folder names and cgroup names, so only safe characters are accepted. */
export function isSafeTaskId(taskId: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/.test(taskId);
}

export async function createSandbox(directory: string): Promise<void> {
  await mkdir(directory, { recursive: true });
}

/** How a task's command ended, as far as the agent could learn it. */
export type ExitOutcome =
  | { readonly kind: 'exited'; readonly code: number }
  | { readonly kind: 'signaled'; readonly signal: string };

/**
 * Reads the status the wrapper recorded, or undefined when there is none (the wrapper itself
 * was killed, or never got that far). A POSIX shell reports "killed by signal N" as 128+N, so
 * a status above 128 that names a signal is read as that signal; a command that calls
 * `exit 137` on purpose is therefore reported as killed by SIGKILL (Mesos has the same
 * ambiguity with `sh -c`).
 */
export async function readExitStatus(directory: string): Promise<ExitOutcome | undefined> {
  let text: string;
  try {
    text = await readFile(join(directory, exitStatusFileName), 'utf8');
  } catch {
    return undefined;
  }
  const status = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(status) || status < 0) return undefined;
  return outcomeFromShellStatus(status);
}

export function outcomeFromShellStatus(status: number): ExitOutcome {
  if (status > 128) {
    const signal = signalName(status - 128);
    if (signal !== undefined) return { kind: 'signaled', signal };
  }
  return { kind: 'exited', code: status };
}

export function signalName(signalNumber: number): string | undefined {
  for (const [name, number] of Object.entries(osConstants.signals)) {
    if (number === signalNumber) return name;
  }
  return undefined;
}

export function describeOutcome(outcome: ExitOutcome): string {
  return outcome.kind === 'exited'
    ? `exited with code ${outcome.code}`
    : `killed by signal ${outcome.signal}`;
}
