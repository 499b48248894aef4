import { ClientError, type Job, type JobDefinition } from '@exosphere/client';
import type { Command } from '../command.js';
import { clientFromFlags, connectionFlags } from '../client-from-flags.js';
import { parseFlags } from '../flags.js';
import { readJsonInput } from '../json-input.js';
import { age, formatFields, formatNumber, printJson, printTable, truncate } from '../output.js';
import { requirePositionals, runSubcommand } from '../subcommands.js';
import { history, logs, run, runColumns, runs, stop } from './job-run.js';
import { schedule, scheduleLine } from './job-schedule.js';

export const jobCommand: Command = {
  name: 'job',
  summary: 'add, list, show, run and remove jobs (Metronome job JSON); read their logs and history',
  usage: [
    'exo job add FILE.json|-                (- reads standard input; "schedules" are created too)',
    '       exo job update ID FILE.json|-       (replaces the job; schedules stay)',
    '       exo job list',
    '       exo job show ID',
    '       exo job run ID [--wait] [--timeout-s S]   (--wait: exit 0 on SUCCESS, 1 on FAILED)',
    '       exo job runs ID                     (active runs)',
    '       exo job stop ID RUN_ID',
    '       exo job logs ID [RUN_ID] [--stderr] [--follow] [--tail N]   (default: the latest run)',
    '       exo job history ID',
    '       exo job remove ID [--stop-runs]',
    '       exo job schedule add ID FILE.json|-',
    '       exo job schedule list ID',
    '       exo job schedule remove ID SCHEDULE_ID',
    'options: --json  --master URL  --token T',
  ].join('\n'),
  run(argv) {
    return runSubcommand(argv, {
      add,
      update,
      list,
      show,
      run,
      runs,
      stop,
      logs,
      history,
      remove,
      schedule,
    });
  },
};

async function add(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, connectionFlags, true);
  const [file] = requirePositionals(positionals, ['FILE.json|-']);
  const definition = (await readJsonInput(file!)) as JobDefinition;
  const client = await clientFromFlags(values);
  const job = await client.jobs.create(definition);
  if (values.json) printJson(job);
  else printWritten(job, 'added');
  return 0;
}

async function update(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, connectionFlags, true);
  const [id, file] = requirePositionals(positionals, ['ID', 'FILE.json|-']);
  const definition = (await readJsonInput(file!)) as JobDefinition;
  const client = await clientFromFlags(values);
  await client.jobs.replace(id!, definition);
  // PUT answers without schedules; read them back so the output says what now applies.
  const job = await client.jobs.get(id!, { embed: ['schedules'] });
  if (values.json) printJson(job);
  else printWritten(job, 'updated');
  return 0;
}

function printWritten(job: Job, verb: string): void {
  console.log(`job ${job.id} ${verb}`);
  for (const entry of job.schedules ?? []) console.log(`  schedule ${scheduleLine(entry)}`);
}

async function list(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, connectionFlags, true);
  requirePositionals(positionals, []);
  const client = await clientFromFlags(values);
  const jobs = await client.jobs.list({ embed: ['activeRuns', 'schedules', 'historySummary'] });
  if (values.json) printJson(jobs);
  else printTable(jobs, jobColumns, 'no jobs');
  return 0;
}

const jobColumns = [
  { header: 'ID', value: (job: Job) => job.id },
  { header: 'ACTIVE', value: (job: Job) => job.activeRuns?.length ?? 0, align: 'right' as const },
  {
    header: 'SCHEDULE',
    value: (job: Job) =>
      (job.schedules ?? []).map((s) => `${s.cron}${s.enabled ? '' : ' (disabled)'}`).join(', ') ||
      '-',
  },
  {
    header: 'OK',
    value: (job: Job) => job.historySummary?.successCount ?? 0,
    align: 'right' as const,
  },
  {
    header: 'FAILED',
    value: (job: Job) => job.historySummary?.failureCount ?? 0,
    align: 'right' as const,
  },
  { header: 'LAST SUCCESS', value: (job: Job) => age(job.historySummary?.lastSuccessAt) },
  { header: 'LAST FAILURE', value: (job: Job) => age(job.historySummary?.lastFailureAt) },
  { header: 'CMD', value: (job: Job) => truncate(command(job), 50) },
];

function command(job: Job): string {
  return job.run.cmd ?? (job.run.args ?? []).join(' ');
}

async function show(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, connectionFlags, true);
  const [id] = requirePositionals(positionals, ['ID']);
  const client = await clientFromFlags(values);
  const job = await client.jobs.get(id!, { embed: ['activeRuns', 'schedules', 'historySummary'] });
  if (values.json) {
    printJson(job);
    return 0;
  }
  const { run: spec } = job;
  const summary = job.historySummary;
  const fields: [string, string][] = [
    ['id', job.id],
    ['description', job.description || '-'],
    ['cmd', command(job)],
    ['resources', `cpus ${formatNumber(spec.cpus)}, mem ${spec.mem} MiB, disk ${spec.disk} MiB`],
    [
      'restart',
      spec.restart.policy +
        (spec.restart.activeDeadlineSeconds === undefined
          ? ''
          : ` (for at most ${spec.restart.activeDeadlineSeconds} s)`),
    ],
    [
      'constraints',
      spec.placement.constraints
        .map((c) => [c.attribute, c.operator, c.value].filter((p) => p !== undefined).join(':'))
        .join(', ') || '-',
    ],
    [
      'labels',
      Object.entries(job.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ') || '-',
    ],
    ['dependencies', job.dependencies.map((d) => d.id).join(', ') || '-'],
    ['schedules', (job.schedules ?? []).map(scheduleLine).join('\n') || '-'],
  ];
  if (summary) {
    fields.push([
      'history',
      `${summary.successCount} succeeded, ${summary.failureCount} failed, ${summary.missedCount} missed; ` +
        `last success ${age(summary.lastSuccessAt)}, last failure ${age(summary.lastFailureAt)}`,
    ]);
  }
  // A multi-line value (several schedules) continues under its first line.
  const width = Math.max(...fields.map(([name]) => name.length));
  console.log(
    formatFields(
      fields.map(([name, value]) => [name, value.split('\n').join('\n' + ' '.repeat(width + 2))]),
    ),
  );
  console.log('');
  printTable(job.activeRuns ?? [], runColumns, 'no active runs');
  return 0;
}

async function remove(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    { ...connectionFlags, 'stop-runs': { type: 'boolean' } },
    true,
  );
  const [id] = requirePositionals(positionals, ['ID']);
  const client = await clientFromFlags(values);
  let job: Job;
  try {
    job = await client.jobs.remove(id!, { stopCurrentJobRuns: values['stop-runs'] ?? false });
  } catch (error) {
    // The server names its query parameter; a CLI user needs the flag.
    if (error instanceof ClientError && error.code === 'EXO_JOB_HAS_ACTIVE_RUNS') {
      throw new ClientError(
        error.code,
        error.status,
        `job ${id} has active runs; stop them with 'exo job remove ${id} --stop-runs'`,
      );
    }
    throw error;
  }
  if (values.json) printJson(job);
  else
    console.log(`job ${job.id} removed${values['stop-runs'] ? ' (its active runs stopped)' : ''}`);
  return 0;
}
