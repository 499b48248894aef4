import type { TaskLaunchSpec } from '../core/protocol.js';
import { fetchArtifacts, type FetchLimits } from './fetcher.js';
import { createSandbox } from './sandbox.js';
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
 * command are built, and the sandbox is given to the task's user. A `LaunchError` says why a
 * task cannot start, in words for its user.
 */
export async function prepareTask(options: {
  readonly spec: TaskLaunchSpec;
  readonly sandboxDir: string;
  readonly hostname: string;
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
  if (runAs !== undefined) await giveSandbox(sandboxDir, runAs);
  return { environment, command, runAs };
}
