import type { Deployment } from '@exosphere/client';
import type { Command } from '../command.js';
import { clientFromFlags, connectionFlags, deploymentFlags } from '../client-from-flags.js';
import { deploymentOutputOptions, followDeployment } from '../deployment-wait.js';
import { parseFlags } from '../flags.js';
import { printJson, printTable, type Column } from '../output.js';
import { requirePositionals, runSubcommand } from '../subcommands.js';

export const deploymentCommand: Command = {
  name: 'deployment',
  summary: 'list deployments in progress, roll one back',
  usage: [
    'exo deployment list',
    '       exo deployment rollback ID [--force]   (--force stops it where it is, without rolling back)',
    'options: --json  --master URL  --token T; rollback also --no-wait  --timeout-s S',
  ].join('\n'),
  run(argv) {
    return runSubcommand(argv, { list, rollback });
  },
};

const deploymentColumns: readonly Column<Deployment>[] = [
  { header: 'ID', value: (deployment) => deployment.id },
  {
    header: 'STEP',
    value: (deployment) => `${deployment.currentStep}/${deployment.totalSteps}`,
    align: 'right',
  },
  {
    header: 'ACTIONS',
    value: (deployment) =>
      deployment.currentActions.map((a) => `${a.action} ${a.app}`).join(', ') || '-',
  },
  { header: 'APPS', value: (deployment) => deployment.affectedApps.join(', ') },
  { header: 'VERSION', value: (deployment) => deployment.version },
];

async function list(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, connectionFlags, true);
  requirePositionals(positionals, []);
  const client = await clientFromFlags(values);
  const deployments = await client.deployments.list();
  if (values.json) printJson(deployments);
  else printTable(deployments, deploymentColumns, 'no deployments in progress');
  return 0;
}

async function rollback(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    { ...connectionFlags, ...deploymentFlags },
    true,
  );
  const [id] = requirePositionals(positionals, ['ID']);
  const options = deploymentOutputOptions(values);
  const client = await clientFromFlags(values);
  const result = await client.deployments.cancel(id!, { force: values.force ?? false });
  if (!result) {
    if (values.json) printJson({ deploymentId: id, stopped: true });
    else console.log(`deployment ${id} stopped where it was (no rollback with --force)`);
    return 0;
  }
  return followDeployment(
    client,
    { ...result, raw: result, subject: `rollback of ${id}` },
    options,
  );
}
