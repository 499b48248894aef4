import type { Schedule, ScheduleDefinition } from '@exosphere/client';
import { clientFromFlags, connectionFlags } from '../client-from-flags.js';
import { parseFlags } from '../flags.js';
import { readJsonInput } from '../json-input.js';
import { printJson, printTable } from '../output.js';
import { requirePositionals, runSubcommand } from '../subcommands.js';

/** `exo job schedule add|list|remove`: a job's schedules. */
export function schedule(argv: string[]): Promise<number> {
  return runSubcommand(argv, { add, list, remove });
}

/** "nightly: 20 0 * * * Europe/Berlin, next run 2026-01-23T00:20:00.000Z". */
export function scheduleLine(entry: Schedule): string {
  const next = entry.enabled ? `next run ${entry.nextRunAt ?? '-'}` : 'disabled';
  return `${entry.id}: ${entry.cron} ${entry.timezone}, ${next}`;
}

async function add(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, connectionFlags, true);
  const [id, file] = requirePositionals(positionals, ['ID', 'FILE.json|-']);
  const definition = (await readJsonInput(file!)) as ScheduleDefinition;
  const client = await clientFromFlags(values);
  const added = await client.jobs.addSchedule(id!, definition);
  if (values.json) printJson(added);
  else console.log(`job ${id}: schedule ${scheduleLine(added)}`);
  return 0;
}

async function list(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, connectionFlags, true);
  const [id] = requirePositionals(positionals, ['ID']);
  const client = await clientFromFlags(values);
  const schedules = await client.jobs.schedules(id!);
  if (values.json) printJson(schedules);
  else
    printTable(
      schedules,
      [
        { header: 'ID', value: (s) => s.id },
        { header: 'CRON', value: (s) => s.cron },
        { header: 'TIMEZONE', value: (s) => s.timezone },
        { header: 'POLICY', value: (s) => s.concurrencyPolicy },
        { header: 'DEADLINE', value: (s) => `${s.startingDeadlineSeconds}s`, align: 'right' },
        { header: 'NEXT RUN', value: (s) => (s.enabled ? (s.nextRunAt ?? '-') : 'disabled') },
      ],
      `job ${id} has no schedules`,
    );
  return 0;
}

async function remove(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, connectionFlags, true);
  const [id, scheduleId] = requirePositionals(positionals, ['ID', 'SCHEDULE_ID']);
  const client = await clientFromFlags(values);
  await client.jobs.removeSchedule(id!, scheduleId!);
  if (values.json) printJson({ jobId: id, scheduleId, removed: true });
  else console.log(`job ${id}: schedule ${scheduleId} removed`);
  return 0;
}
