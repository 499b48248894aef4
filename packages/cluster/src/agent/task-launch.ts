import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@exosphere/common';
import type { TaskLaunchSpec } from '../core/protocol.js';
import { fetchArtifacts, type FetchLimits } from './fetcher.js';
import { createSandbox } from './sandbox.js';
import { openSandboxPath } from './sandbox-access.js';
import { buildTaskEnvironment } from './task-env.js';
import { taskCommand } from './task-process.js';
import { giveSandbox, resolveTaskUser, switchesUser, type TaskUser } from './task-user.js';

/** What a task's process starts with, once its sandbox is ready. */
export interface PreparedTask {
  readonly environment: Record<string, string>;
  readonly command: string[];
  /** The account the command runs as, when it is not the agent's. */
  readonly runAs: TaskUser | undefined;
}

/**
 * The steps before a task's process starts, in Mesos's order: the user is looked up (a task
 * for an unknown user fails before anything is written), the sandbox is made, artifacts are
 * fetched into it (stopped by `signal` when the task is killed meanwhile), the environment and
 * command are built, and the sandbox is given to the task's user, with the agent's directories
 * above it opened for that user (sandbox-access.ts; what stays closed is said in the task's
 * stderr). A `LaunchError` says why a task cannot start, in words for its user.
 */
export async function prepareTask(options: {
  readonly spec: TaskLaunchSpec;
  readonly sandboxDir: string;
  /** The agent's home, which holds the sandboxes. */
  readonly workDir: string;
  readonly hostname: string;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly fetchLimits?: FetchLimits | undefined;
}): Promise<PreparedTask> {
  const { spec, sandboxDir } = options;
  const user = spec.user === undefined ? undefined : await resolveTaskUser(spec.user);
  await createSandbox(sandboxDir);
  if (spec.fetch !== undefined && spec.fetch.length > 0) {
    await fetchArtifacts({
      uris: spec.fetch,
      sandboxDir,
      signal: options.signal,
      ...(options.fetchLimits ? { limits: options.fetchLimits } : {}),
    });
  }
  const environment = buildTaskEnvironment({
    spec,
    hostname: options.hostname,
    sandboxDir,
    path: process.env.PATH,
  });
  const command = await taskCommand({ spec, sandboxDir, path: process.env.PATH });
  const runAs = switchesUser(user) ? user : undefined;
  if (runAs !== undefined) {
    await giveSandbox(sandboxDir, runAs);
    const access = await openSandboxPath({ workDir: options.workDir, sandboxDir, user: runAs });
    // Each directory is changed once, so this is logged once per directory.
    if (access.opened.length > 0)
      options.logger.info('made the agent directories searchable for task users (o+x)', {
        directories: access.opened,
      });
    // The task's own stderr (appended to by its process) is where its user looks first.
    if (access.unreachable !== undefined) {
      options.logger.warn('a task user cannot reach its sandbox by absolute path', {
        task: spec.taskId,
        reason: access.unreachable,
      });
      await appendFile(join(sandboxDir, 'stderr'), `exo: warning: ${access.unreachable}\n`);
    }
  }
  return { environment, command, runAs };
}
