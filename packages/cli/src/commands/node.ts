import type { Agent } from '@exosphere/client';
import type { Command } from '../command.js';
import { clientFromFlags, connectionFlags } from '../client-from-flags.js';
import { parseFlags } from '../flags.js';
import { age, formatNumber, printJson, printTable, type Column } from '../output.js';
import { requirePositionals, runSubcommand } from '../subcommands.js';

export const nodeCommand: Command = {
  name: 'node',
  summary: 'list the agents of the cluster with their resources and use',
  usage: 'exo node list [--json] [--master URL] [--token T]',
  run(argv) {
    return runSubcommand(argv, { list });
  },
};

const nodeColumns: readonly Column<Agent>[] = [
  { header: 'ID', value: (agent) => agent.id },
  { header: 'HOSTNAME', value: (agent) => agent.hostname },
  { header: 'CONDITION', value: (agent) => agent.condition },
  {
    header: 'CPUS',
    value: (agent) => `${formatNumber(agent.used.cpus)}/${formatNumber(agent.resources.cpus)}`,
    align: 'right',
  },
  { header: 'MEM', value: (agent) => `${agent.used.mem}/${agent.resources.mem}`, align: 'right' },
  {
    header: 'DISK',
    value: (agent) => `${agent.used.disk}/${agent.resources.disk}`,
    align: 'right',
  },
  { header: 'TASKS', value: (agent) => agent.tasks, align: 'right' },
  {
    header: 'ATTRIBUTES',
    value: (agent) =>
      Object.entries(agent.attributes)
        .map(([k, v]) => `${k}=${v}`)
        .join(',') || '-',
  },
  { header: 'HEARTBEAT', value: (agent) => age(agent.lastHeartbeatAt) },
];

async function list(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, connectionFlags, true);
  requirePositionals(positionals, []);
  const client = await clientFromFlags(values);
  const agents = await client.agents.list();
  agents.sort((a, b) =>
    a.hostname === b.hostname ? (a.id < b.id ? -1 : 1) : a.hostname < b.hostname ? -1 : 1,
  );
  if (values.json) printJson({ agents });
  else printTable(agents, nodeColumns, 'no agents have registered');
  return 0;
}
