import { join } from 'node:path';
import { exitStatusFileName } from './sandbox.js';

/**
 * The tiny /bin/sh program every task runs under. It exists so the agent learns a task's exit
 * status even after the agent restarted and re-attached to the task (a re-attached process is
 * no longer the agent's child, so no exit event reaches it):
 *
 *   1. it joins the task's cgroups (`echo $$ > cgroup.procs`) before anything else starts, so
 *      every descendant is accounted and limited; failing to join aborts with status 125;
 *   2. it installs a no-op trap for SIGTERM/SIGINT. A caught signal (unlike an ignored one)
 *      is reset to the default on exec, so the command still receives and obeys them, while
 *      the wrapper survives the group-wide SIGTERM long enough to record the status. This has
 *      the effect of "ignore only after starting the child" without the window in which a
 *      signal could kill the wrapper between starting the child and ignoring;
 *   3. it runs the command in the foreground ("$@": args as given, or `/bin/sh -c cmd`; as the
 *      task's user when it has one) and waits for it; a trapped signal runs its no-op only
 *      after the command ended;
 *   4. it writes the status ($?, 128+N for signal N) to `.exit_status` in the sandbox and exits
 *      with the same status.
 * SIGKILL cannot be trapped: after a kill's grace period the wrapper dies with the command,
 * which is fine because the agent then knows the task was killed.
 */
export function taskWrapperScript(options: {
  readonly sandboxDir: string;
  readonly cgroupProcsFiles: readonly string[];
  /** Another account to run the command as (the wrapper itself stays the agent's). */
  readonly runAs?: { readonly uid: number; readonly gid: number } | undefined;
}): string {
  const lines: string[] = [];
  for (const file of options.cgroupProcsFiles) {
    lines.push(
      `echo $$ > ${shellQuote(file)} || { echo "exosphere: cannot join cgroup ${file.replace(/["$`\\]/g, '')}" >&2; exit 125; }`,
    );
  }
  lines.push(`trap ':' TERM INT`);
  // The command runs as the task's user (util-linux setpriv: real and effective ids, and the
  // user's supplementary groups); the wrapper keeps the agent's, to write the exit status.
  const runAs = options.runAs;
  lines.push(
    runAs === undefined
      ? `"$@"`
      : `setpriv --reuid=${runAs.uid} --regid=${runAs.gid} --init-groups -- "$@"`,
  );
  lines.push(`status=$?`);
  lines.push(`echo "$status" > ${shellQuote(join(options.sandboxDir, exitStatusFileName))}`);
  lines.push(`exit "$status"`);
  return lines.join('\n');
}

/** Single-quotes a word for /bin/sh ('it'\''s'). */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
