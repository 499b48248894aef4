import { isDeploymentResult, type LogStream, type Task } from '@exosphere/client';
import { UsageError, type Command } from '../command.js';
import { clientFromFlags, connectionFlags, deploymentFlags } from '../client-from-flags.js';
import { deploymentOutputOptions, followDeployment } from '../deployment-wait.js';
import { parseFlags } from '../flags.js';
import { age, printJson, printTable, type Column } from '../output.js';
import { requirePositionals, runSubcommand } from '../subcommands.js';
import { printTaskLog } from '../log-output.js';

export const taskCommand: Command = {
  name: 'task',
  summary: "list tasks, read a task's logs, kill tasks",
  usage: [
    'exo task list [--app ID]',
    '       exo task logs TASK_ID [--stderr] [--follow] [--tail N]',
    '       exo task kill TASK_ID... [--scale]',
    'options: --json  --master URL  --token T; kill --scale also --force  --no-wait  --timeout-s S',
  ].join('\n'),
  run(argv) {
    return runSubcommand(argv, { list, logs, kill });
  },
};

export const taskColumns: readonly Column<Task>[] = [
  { header: 'ID', value: (task) => task.id },
  { header: 'APP', value: (task) => task.appId },
  {
    header: 'STATE',
    value: (task) => task.state.replace(/^TASK_/, '') + (task.killRequestedAt ? ' (killing)' : ''),
  },
  {
    header: 'HEALTHY',
    value: (task) => (task.healthy === undefined ? '-' : task.healthy ? 'yes' : 'no'),
  },
  { header: 'HOST', value: (task) => task.host },
  { header: 'PORTS', value: (task) => task.ports.join(',') || '-' },
  { header: 'STARTED', value: (task) => age(task.startedAt) },
];

async function list(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    { ...connectionFlags, app: { type: 'string' } },
    true,
  );
  requirePositionals(positionals, []);
  const client = await clientFromFlags(values);
  const tasks =
    values.app === undefined ? await client.tasks.list() : await client.apps.tasks(values.app);
  tasks.sort((a, b) => (a.appId === b.appId ? (a.id < b.id ? -1 : 1) : a.appId < b.appId ? -1 : 1));
  if (values.json) printJson({ tasks });
  else printTable(tasks, taskColumns, 'no tasks');
  return 0;
}

/** --tail reads this many bytes per wanted line from the end (at least 64 KiB, at most 1 MiB). */

async function logs(argv: string[]): Promise<number> {
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
  const [taskId] = requirePositionals(positionals, ['TASK_ID']);
  const tail = values.tail === undefined ? undefined : Number(values.tail);
  if (tail !== undefined && (!/^\d+$/.test(values.tail!) || !Number.isSafeInteger(tail))) {
    throw new UsageError(`--tail must be a whole number of lines, got '${values.tail}'`);
  }
  const stream: LogStream = values.stderr ? 'stderr' : 'stdout';
  const write = values.json
    ? (text: string) => process.stdout.write(JSON.stringify({ taskId, stream, text }) + '\n')
    : (text: string) => process.stdout.write(text);
  const client = await clientFromFlags(values);
  // Ctrl-C ends a followed log as the normal way out, not as a failure.
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  try {
    await printTaskLog(
      { read: (id, o) => client.readTaskLog(id, o), chunks: (id, o) => client.taskLogs(id, o) },
      {
        taskId: taskId!,
        stream,
        tail,
        follow: values.follow ?? false,
        signal: controller.signal,
        write,
      },
    );
  } finally {
    process.off('SIGINT', stop);
  }
  return 0;
}

async function kill(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    { ...connectionFlags, ...deploymentFlags, scale: { type: 'boolean' } },
    true,
  );
  if (positionals.length === 0) throw new UsageError('expected TASK_ID...');
  const options = deploymentOutputOptions(values);
  const client = await clientFromFlags(values);
  const result = await client.tasks.kill(positionals, {
    scale: values.scale ?? false,
    force: values.force ?? false,
  });
  if (isDeploymentResult(result)) {
    return followDeployment(
      client,
      { ...result, raw: result, subject: `kill ${positionals.join(' ')} with scale` },
      options,
    );
  }
  if (values.json) printJson(result);
  else
    for (const task of result.tasks)
      console.log(`task ${task.id} of ${task.appId}: kill requested (the app will replace it)`);
  return 0;
}
