import type { App, AppDefinition } from '@exosphere/client';
import { UsageError, type Command } from '../command.js';
import { clientFromFlags, connectionFlags, deploymentFlags } from '../client-from-flags.js';
import { deploymentOutputOptions, followDeployment } from '../deployment-wait.js';
import { parseFlags } from '../flags.js';
import { readJsonInput } from '../json-input.js';
import {
  formatFields,
  formatNumber,
  printJson,
  printTable,
  truncate,
  type Column,
} from '../output.js';
import { requirePositionals, runSubcommand } from '../subcommands.js';
import { taskColumns } from './task.js';

const writeFlags = { ...connectionFlags, ...deploymentFlags } as const;

export const appCommand: Command = {
  name: 'app',
  summary: 'add, list, show, update, scale, restart and remove apps (Marathon app JSON)',
  usage: [
    'exo app add FILE.json|-            (- reads standard input)',
    '       exo app list',
    '       exo app show ID',
    '       exo app update ID FILE.json|-',
    '       exo app scale ID N',
    '       exo app restart ID',
    '       exo app remove ID',
    'options: --json  --master URL  --token T; writes also --force  --no-wait  --timeout-s S (default 300)',
  ].join('\n'),
  run(argv) {
    return runSubcommand(argv, { add, list, show, update, scale, restart, remove });
  },
};

async function add(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, writeFlags, true);
  const [file] = requirePositionals(positionals, ['FILE.json|-']);
  const definition = (await readJsonInput(file!)) as AppDefinition;
  const options = deploymentOutputOptions(values);
  const client = await clientFromFlags(values);
  const app = await client.apps.create(definition, { force: values.force ?? false });
  const deploymentId = app.deployments[0]?.id;
  if (deploymentId === undefined) {
    // An app with nothing to do (for example 0 instances) needs no deployment.
    if (values.json) printJson(app);
    else console.log(`app ${app.id} added (version ${app.version}); nothing to deploy`);
    return 0;
  }
  return followDeployment(
    client,
    { deploymentId, version: app.version, raw: app, subject: `app ${app.id}`, apps: [app.id] },
    options,
  );
}

async function list(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, connectionFlags, true);
  requirePositionals(positionals, []);
  const client = await clientFromFlags(values);
  const apps = await client.apps.list();
  if (values.json) printJson({ apps });
  else printTable(apps, appColumns, 'no apps');
  return 0;
}

const appColumns: readonly Column<App>[] = [
  { header: 'ID', value: (app) => app.id },
  { header: 'RUNNING', value: (app) => `${app.tasksRunning}/${app.instances}`, align: 'right' },
  {
    header: 'HEALTHY',
    value: (app) => (app.healthChecks.length > 0 ? `${app.tasksHealthy}/${app.instances}` : '-'),
    align: 'right',
  },
  { header: 'CPUS', value: (app) => formatNumber(app.cpus), align: 'right' },
  { header: 'MEM', value: (app) => app.mem, align: 'right' },
  { header: 'DEPLOYING', value: (app) => (app.deployments.length > 0 ? 'yes' : 'no') },
  { header: 'CMD', value: (app) => truncate(app.cmd ?? (app.args ?? []).join(' '), 50) },
];

async function show(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, connectionFlags, true);
  const [id] = requirePositionals(positionals, ['ID']);
  const client = await clientFromFlags(values);
  const app = await client.apps.get(id!, { embed: ['app.tasks', 'app.lastTaskFailure'] });
  if (values.json) {
    printJson({ app });
    return 0;
  }
  const healthy =
    app.healthChecks.length > 0
      ? `, ${app.tasksHealthy} healthy, ${app.tasksUnhealthy} unhealthy`
      : '';
  const fields: [string, string][] = [
    ['id', app.id],
    ['cmd', app.cmd ?? (app.args ?? []).join(' ')],
    [
      'instances',
      `${app.instances} (${app.tasksRunning} running, ${app.tasksStaged} staged${healthy})`,
    ],
    ['resources', `cpus ${formatNumber(app.cpus)}, mem ${app.mem} MiB, disk ${app.disk} MiB`],
    ['ports', app.portDefinitions.map((p) => p.port).join(', ') || '-'],
    ['constraints', app.constraints.map((c) => c.join(':')).join(', ') || '-'],
    [
      'labels',
      Object.entries(app.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ') || '-',
    ],
    [
      'health checks',
      app.healthChecks.map((h) => `${h.protocol}${h.path ? ` ${h.path}` : ''}`).join(', ') || '-',
    ],
    ['version', app.version],
    ['deployment', app.deployments.map((d) => d.id).join(', ') || '-'],
  ];
  if (app.lastTaskFailure) {
    const failure = app.lastTaskFailure;
    fields.push([
      'last failure',
      `${failure.state} ${failure.taskId} at ${failure.timestamp}: ${failure.message}`,
    ]);
  }
  console.log(formatFields(fields));
  console.log('');
  printTable(app.tasks ?? [], taskColumns, 'no tasks');
  return 0;
}

async function update(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, writeFlags, true);
  const [id, file] = requirePositionals(positionals, ['ID', 'FILE.json|-']);
  const patch = (await readJsonInput(file!)) as Partial<AppDefinition>;
  const options = deploymentOutputOptions(values);
  const client = await clientFromFlags(values);
  const result = await client.apps.update(id!, patch, { force: values.force ?? false });
  return followDeployment(
    client,
    { ...result, raw: result, subject: `app ${id}`, apps: [id!] },
    options,
  );
}

async function scale(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, writeFlags, true);
  const [id, count] = requirePositionals(positionals, ['ID', 'N']);
  const instances = Number(count);
  if (!/^\d+$/.test(count!) || !Number.isSafeInteger(instances))
    throw new UsageError(`N must be a whole number of instances, got '${count}'`);
  const options = deploymentOutputOptions(values);
  const client = await clientFromFlags(values);
  const result = await client.apps.scale(id!, instances, { force: values.force ?? false });
  return followDeployment(
    client,
    { ...result, raw: result, subject: `app ${id} to ${instances}`, apps: [id!] },
    options,
  );
}

async function restart(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, writeFlags, true);
  const [id] = requirePositionals(positionals, ['ID']);
  const options = deploymentOutputOptions(values);
  const client = await clientFromFlags(values);
  const result = await client.apps.restart(id!, { force: values.force ?? false });
  return followDeployment(
    client,
    { ...result, raw: result, subject: `app ${id}`, apps: [id!] },
    options,
  );
}

async function remove(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, writeFlags, true);
  const [id] = requirePositionals(positionals, ['ID']);
  const options = deploymentOutputOptions(values);
  const client = await clientFromFlags(values);
  const result = await client.apps.remove(id!, { force: values.force ?? false });
  return followDeployment(
    client,
    { ...result, raw: result, subject: `app ${id}`, apps: [id!] },
    options,
  );
}
