import { execFile } from 'node:child_process';
import { chmod, stat } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { LaunchError } from './task-process.js';
import type { TaskUser } from './task-user.js';

const checkTimeoutMs = 5000;
/** Search permission for others: the only bit ever added (never read or list). */
const othersSearch = 0o001;
/** Paths deeper than this are not walked (a sandbox is a few levels below the agent's home). */
const depthMax = 64;

/** A directory of the agent's that was made searchable for task users, for the log. */
export interface OpenedDirectory {
  readonly path: string;
  readonly modeBefore: string;
  readonly modeAfter: string;
}

/**
 * Lets a task's user reach its sandbox by absolute path (`$MESOS_SANDBOX/file`), as Mesos
 * does by keeping its work_dir 0755. A task's user needs search permission on every directory
 * from `/` to the sandbox; its working directory alone works without it, which makes the
 * failure obscure. So, before the command starts:
 *
 *   1. the agent's own directories from `workDir` down to the sandbox's parent get o+x when
 *      they lack it — only directories the agent's uid owns, and never read or list
 *      permission; nothing above `workDir` is changed. What changed is returned (empty when
 *      nothing did), so the caller logs it once;
 *   2. every directory from `/` to the sandbox is tried as the task's user (`cd` under
 *      setpriv, so ACLs and supplementary groups count as they will for the command). When
 *      one is not searchable, `unreachable` says which, in words for the task's user. The
 *      task still starts: its working directory is the sandbox, so relative paths work (an
 *      agent whose home sits in a private folder, as `exo up --home $(mktemp -d)` makes, ran
 *      such tasks before), and only paths through `$MESOS_SANDBOX` fail.
 */
export async function openSandboxPath(options: {
  readonly workDir: string;
  readonly sandboxDir: string;
  readonly user: TaskUser;
}): Promise<{ opened: OpenedDirectory[]; unreachable: string | undefined }> {
  const workDir = resolve(options.workDir);
  const sandboxDir = resolve(options.sandboxDir);
  const inside = relative(workDir, dirname(sandboxDir));
  if (inside.startsWith('..') || inside.startsWith(sep))
    throw new LaunchError(`the sandbox ${sandboxDir} is not inside the agent's home ${workDir}`);
  const opened: OpenedDirectory[] = [];
  const agentUid = process.getuid?.();
  for (const directory of chain(workDir, dirname(sandboxDir))) {
    const info = await stat(directory);
    if (!info.isDirectory() || info.uid !== agentUid || (info.mode & othersSearch) !== 0) continue;
    const mode = info.mode & 0o7777;
    await chmod(directory, mode | othersSearch);
    opened.push({
      path: directory,
      modeBefore: octal(mode),
      modeAfter: octal(mode | othersSearch),
    });
  }
  const blocked = await firstUnsearchable(chain('/', sandboxDir), options.user);
  if (blocked === undefined) return { opened, unreachable: undefined };
  const info = await stat(blocked).catch(() => undefined);
  const detail =
    info === undefined ? '' : ` (mode ${octal(info.mode & 0o7777)}, owner uid ${info.uid})`;
  return {
    opened,
    unreachable: `user '${options.user.name}' cannot reach its sandbox by absolute path ($MESOS_SANDBOX): directory ${blocked}${detail} is not searchable by it; allow it (chmod o+x) or move the agent's home`,
  };
}

/** `from`, then each directory below it down to `to` (which is inside `from`). */
function chain(from: string, to: string): string[] {
  const directories = [to];
  let current = to;
  while (current !== from && directories.length < depthMax) {
    const parent = dirname(current);
    if (parent === current) break;
    directories.unshift(parent);
    current = parent;
  }
  return directories;
}

/** The first of `directories` (outermost first) `user` cannot `cd` into, if any. */
async function firstUnsearchable(
  directories: readonly string[],
  user: TaskUser,
): Promise<string | undefined> {
  const script = 'for d in "$@"; do cd "$d" 2>/dev/null || { printf %s "$d"; exit 3; }; done';
  return await new Promise<string | undefined>((resolvePromise, reject) => {
    execFile(
      'setpriv',
      [
        `--reuid=${user.uid}`,
        `--regid=${user.gid}`,
        '--init-groups',
        '--',
        '/bin/sh',
        '-c',
        script,
        'sh',
        ...directories,
      ],
      { timeout: checkTimeoutMs, cwd: '/' },
      (error, stdout) => {
        if (error === null) resolvePromise(undefined);
        else if ((error as { code?: unknown }).code === 3) resolvePromise(stdout);
        else
          reject(
            new LaunchError(`cannot check the sandbox path as '${user.name}': ${error.message}`),
          );
      },
    );
  });
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
