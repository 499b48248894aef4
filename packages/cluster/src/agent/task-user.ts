import { execFile } from 'node:child_process';
import { lchown, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LaunchError } from './task-process.js';

/** The account a task runs as (Marathon's and Metronome's `user`). */
export interface TaskUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** POSIX-portable user names (plus the `$` of machine accounts), as useradd accepts them. */
const userNamePattern = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/;
const lookupTimeoutMs = 5000;
/** Sandboxes with more entries than this are not handed over file by file. */
const sandboxEntriesMax = 100_000;

/**
 * Resolves `name` through the system's user database (`getent passwd`, so NSS sources such
 * as LDAP count, as Mesos's getpwnam does). Fails the launch when the user does not exist, or
 * when this agent cannot become it: only an agent running as root starts tasks as another user.
 */
export async function resolveTaskUser(name: string): Promise<TaskUser> {
  if (!userNamePattern.test(name)) throw new LaunchError(`invalid user name '${name}'`);
  const line = await new Promise<string | undefined>((resolve, reject) => {
    execFile('getent', ['passwd', name], { timeout: lookupTimeoutMs }, (error, stdout) => {
      // getent exits 2 when the key is not found.
      if (error && (error as { code?: unknown }).code === 2) resolve(undefined);
      else if (error) reject(new LaunchError(`cannot look up user '${name}': ${error.message}`));
      else resolve(stdout.split('\n')[0]);
    });
  });
  const fields = line?.split(':');
  const uid = Number(fields?.[2]);
  const gid = Number(fields?.[3]);
  if (fields === undefined || !Number.isInteger(uid) || !Number.isInteger(gid))
    throw new LaunchError(`user '${name}' does not exist on this agent`);
  const agentUid = process.getuid?.();
  if (agentUid !== undefined && agentUid !== 0 && agentUid !== uid)
    throw new LaunchError(
      `the agent runs as uid ${agentUid} and cannot start tasks as '${name}' (uid ${uid}); run the agent as root to honour task users`,
    );
  return { name, uid, gid };
}

/** Whether starting a task as `user` needs a change of identity (the agent is someone else). */
export function switchesUser(user: TaskUser | undefined): user is TaskUser {
  return user !== undefined && process.getuid?.() !== user.uid;
}

/**
 * Gives the sandbox (and what was fetched into it) to the task's user, as Mesos does, so the
 * task can write its working directory. Symbolic links are changed themselves, never followed.
 */
export async function giveSandbox(sandboxDir: string, user: TaskUser): Promise<void> {
  let entries = 0;
  const give = async (path: string, isDirectory: boolean): Promise<void> => {
    if (++entries > sandboxEntriesMax)
      throw new LaunchError(`the sandbox has more than ${sandboxEntriesMax} entries`);
    await lchown(path, user.uid, user.gid);
    if (!isDirectory) return;
    for (const child of await readdir(path, { withFileTypes: true }))
      await give(join(path, child.name), child.isDirectory());
  };
  await give(sandboxDir, true);
}
