import type { FinishedJobRun, JobRun, JobRunTrigger, LogStream } from '@exosphere/client';
import { UsageError } from '../command.js';
import { clientFromFlags, connectionFlags } from '../client-from-flags.js';
import { parseFlags } from '../flags.js';
import { age, printJson, printTable, type Column } from '../output.js';
import { requirePositionals } from '../subcommands.js';
import { printTaskLog } from '../log-output.js';

/** `exo job run|runs|stop|logs|history`: a job's runs. */

/** How long `exo job run --wait` waits by default: jobs run to completion, unlike deployments. */
const defaultWaitTimeoutS = 3600;

export const runColumns: readonly Column<JobRun>[] = [
  { header: 'RUN', value: (run) => run.id },
  { header: 'STATUS', value: (run) => run.status },
  { header: 'TRIGGER', value: (run) => triggerText(run.trigger) },
  { header: 'CREATED', value: (run) => age(run.createdAt) },
  { header: 'STARTED', value: (run) => age(run.startedAt) },
  { header: 'ATTEMPTS', value: (run) => run.tasks.length, align: 'right' },
  { header: 'TASK', value: (run) => run.tasks.at(-1)?.id ?? '-' },
];

function triggerText(trigger: JobRunTrigger | undefined): string {
  if (!trigger) return '-';
  if (trigger.kind === 'schedule') return `schedule ${trigger.scheduleId}`;
  if (trigger.kind === 'dependency') return `after ${trigger.parents.join(', ')}`;
  return 'manual';
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    { ...connectionFlags, wait: { type: 'boolean' }, 'timeout-s': { type: 'string' } },
    true,
  );
  const [id] = requirePositionals(positionals, ['ID']);
  const text = values['timeout-s'];
  const timeoutS = text === undefined ? defaultWaitTimeoutS : Number(text);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0)
    throw new UsageError(`--timeout-s must be a positive number of seconds, got '${text}'`);
  // With --json, stdout carries only the JSON; progress goes to stderr.
  const say = values.json
    ? (line: string) => console.error(line)
    : (line: string) => console.log(line);
  const client = await clientFromFlags(values);
  const started = await client.jobs.startRun(id!);
  if (!values.wait) {
    if (values.json) printJson(started);
    else say(`job ${id}: run ${started.id} started`);
    return 0;
  }
  say(`job ${id}: run ${started.id} started`);
  // Ctrl-C stops waiting, not the run.
  const controller = new AbortController();
  const stopWaiting = (): void => controller.abort();
  process.once('SIGINT', stopWaiting);
  let previous = '';
  let finished: JobRun;
  try {
    finished = await client.jobs.waitForRun(id!, started.id, {
      timeoutMs: timeoutS * 1000,
      signal: controller.signal,
      onProgress(progress) {
        const line = runLine(progress);
        if (line !== previous) say(line);
        previous = line;
      },
    });
  } catch (error) {
    if (controller.signal.aborted) {
      say(`stopped waiting; the run goes on (stop it with 'exo job stop ${id} ${started.id}')`);
      return 130;
    }
    throw error;
  } finally {
    process.off('SIGINT', stopWaiting);
  }
  if (values.json) printJson(finished);
  return finished.status === 'SUCCESS' ? 0 : 1;
}

/** "run 20260122101500abcde: ACTIVE — task prod_report_20260122101500abcde.1 (attempt 1)". */
export function runLine(run: JobRun): string {
  const task = run.tasks.at(-1);
  const parts: string[] = [];
  if (run.status === 'SUCCESS' || run.status === 'FAILED') {
    if (run.exitCode !== undefined) parts.push(`exit code ${run.exitCode}`);
    // The agent's message often only repeats the exit code.
    if (run.message && run.message !== `exited with code ${run.exitCode}`) parts.push(run.message);
  } else if (task) {
    parts.push(`task ${task.id} (attempt ${run.tasks.length})`);
  } else if (run.placement) {
    parts.push(`waiting for resources on ${run.placement.agentsConsidered} agent(s)`);
  }
  return `run ${run.id}: ${run.status}${parts.length > 0 ? ` — ${parts.join(', ')}` : ''}`;
}

export async function runs(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, connectionFlags, true);
  const [id] = requirePositionals(positionals, ['ID']);
  const client = await clientFromFlags(values);
  const active = await client.jobs.runs(id!);
  if (values.json) printJson(active);
  else printTable(active, runColumns, `job ${id} has no active runs`);
  return 0;
}

export async function stop(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, connectionFlags, true);
  const [id, runId] = requirePositionals(positionals, ['ID', 'RUN_ID']);
  const client = await clientFromFlags(values);
  const stopped = await client.jobs.stopRun(id!, runId!);
  if (values.json) printJson(stopped);
  else console.log(`job ${id}: run ${stopped.id} stopped`);
  return 0;
}

export async function history(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, connectionFlags, true);
  const [id] = requirePositionals(positionals, ['ID']);
  const client = await clientFromFlags(values);
  const found = await client.jobs.history(id!);
  if (values.json) {
    printJson(found);
    return 0;
  }
  console.log(
    `${found.successCount} succeeded, ${found.failureCount} failed, ${found.missedCount} missed`,
  );
  const finished = [...found.successfulFinishedRuns, ...found.failedFinishedRuns].sort((a, b) =>
    (b.createdAt ?? '') < (a.createdAt ?? '') ? -1 : 1,
  );
  console.log('');
  printTable(finished, historyColumns, 'no finished runs');
  if (found.missedRuns.length > 0) {
    console.log('');
    printTable(
      found.missedRuns,
      [
        { header: 'MISSED SCHEDULE', value: (missed) => missed.scheduleId },
        { header: 'DUE', value: (missed) => missed.dueAt ?? '-' },
        { header: 'REASON', value: (missed) => missed.reason },
      ],
      '',
    );
  }
  return 0;
}

const historyColumns: readonly Column<FinishedJobRun>[] = [
  { header: 'RUN', value: (run) => run.id },
  { header: 'STATUS', value: (run) => run.status },
  { header: 'CREATED', value: (run) => run.createdAt ?? '-' },
  { header: 'FINISHED', value: (run) => run.finishedAt ?? '-' },
  { header: 'TOOK', value: (run) => duration(run.createdAt, run.finishedAt), align: 'right' },
  { header: 'EXIT', value: (run) => run.exitCode ?? '-', align: 'right' },
  { header: 'MESSAGE', value: (run) => run.message ?? '' },
];

/** "850ms", "12s", "3m05s", "2h10m". */
export function duration(from: string | null, to: string | null): string {
  if (!from || !to) return '-';
  const ms = Math.max(0, Date.parse(to) - Date.parse(from));
  if (Number.isNaN(ms)) return '-';
  if (ms < 1000) return `${ms}ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600)
    return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}m`;
}

/** --tail reads this many bytes per wanted line from the end (at least 64 KiB, at most 1 MiB). */

export async function logs(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      ...connectionFlags,
      stderr: { type: 'boolean' },
      follow: { type: 'boolean', short: 'f' },
      tail: { type: 'string' },
    },
    true,
  );
  if (positionals.length === 0 || positionals.length > 2)
    requirePositionals(positionals, ['ID', '[RUN_ID]']);
  const [id, runIdArgument] = positionals as [string, string | undefined];
  const tail = values.tail === undefined ? undefined : Number(values.tail);
  if (tail !== undefined && (!/^\d+$/.test(values.tail!) || !Number.isSafeInteger(tail))) {
    throw new UsageError(`--tail must be a whole number of lines, got '${values.tail}'`);
  }
  const stream: LogStream = values.stderr ? 'stderr' : 'stdout';
  const follow = values.follow ?? false;
  const client = await clientFromFlags(values);
  // Ctrl-C ends a followed log as the normal way out, not as a failure.
  const controller = new AbortController();
  const stopFollowing = (): void => controller.abort();
  process.once('SIGINT', stopFollowing);
  try {
    const { runId, taskId } = await client.jobs.runTaskId(id, {
      ...(runIdArgument === undefined ? {} : { runId: runIdArgument }),
      follow,
      signal: controller.signal,
    });
    const write = values.json
      ? (text: string) =>
          process.stdout.write(JSON.stringify({ jobId: id, runId, taskId, stream, text }) + '\n')
      : (text: string) => process.stdout.write(text);
    await printTaskLog(
      {
        read: (t, o) => client.jobs.readTaskLog(t, o),
        chunks: (t, o) => client.jobs.taskLogs(t, o),
      },
      { taskId, stream, tail, follow, signal: controller.signal, write },
    );
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    process.off('SIGINT', stopFollowing);
  }
  return 0;
}
