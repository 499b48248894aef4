import type { QueueEntry, RejectionReason } from '@exosphere/client';
import type { Command } from '../command.js';
import { clientFromFlags, connectionFlags } from '../client-from-flags.js';
import { parseFlags } from '../flags.js';
import { plural, printJson } from '../output.js';
import { requirePositionals } from '../subcommands.js';

export const queueCommand: Command = {
  name: 'queue',
  summary: 'show apps waiting for launches and why their instances cannot be placed',
  usage: 'exo queue [--json] [--master URL] [--token T]',
  async run(argv) {
    const { values, positionals } = parseFlags(argv, connectionFlags, true);
    requirePositionals(positionals, []);
    const client = await clientFromFlags(values);
    const queue = await client.queue.list();
    if (values.json) printJson({ queue });
    else
      console.log(
        queue.length === 0
          ? 'no app is waiting for launches'
          : queue.map(formatQueueEntry).join('\n\n'),
      );
    return 0;
  },
};

/** Marathon's reason names in words a user reads without the docs. */
const reasonText: Record<RejectionReason, string> = {
  AgentUnavailable: 'agent not available',
  InsufficientCpus: 'not enough cpus',
  InsufficientMemory: 'not enough memory',
  InsufficientDisk: 'not enough disk',
  InsufficientPorts: 'no free ports',
  UnfulfilledConstraint: 'a constraint is not met',
};

/**
 * One waiting app: how many instances and how long the launch delay is, then (when the last
 * placement failed) the refusals summed per resource and per constraint, then per agent.
 */
export function formatQueueEntry(entry: QueueEntry): string {
  const delay =
    entry.delay.timeLeftSeconds > 0
      ? `launch delayed ${entry.delay.timeLeftSeconds} s (after failures)`
      : 'no launch delay';
  const lines = [
    `${entry.app.id}: ${plural(entry.count, 'instance')} waiting since ${entry.since}, ${delay}`,
  ];
  const placement = entry.placement;
  if (!placement) {
    lines.push('  not yet tried on any agent');
    return lines.join('\n');
  }
  lines.push(
    `  last placement at ${placement.at}: ${placement.unplaced} not placed, ${plural(placement.agentsConsidered, 'agent')} considered`,
  );
  const constraints = Object.entries(placement.constraintRejections);
  for (const [reason, count] of Object.entries(placement.rejections)) {
    // The lines per constraint below say more than the summary count would.
    if (reason === 'UnfulfilledConstraint' && constraints.length > 0) continue;
    const text = reasonText[reason as RejectionReason] ?? reason;
    lines.push(`  ${text}: refused by ${plural(count ?? 0, 'agent')}`);
  }
  for (const [constraint, count] of constraints) {
    lines.push(`  constraint ${constraint}: refused by ${plural(count, 'agent')}`);
  }
  for (const agent of placement.agents) {
    lines.push(`  agent ${agent.hostname} (${agent.agentId}):`);
    for (const reason of agent.reasons) lines.push(`    - ${reason}`);
  }
  const shown = placement.agents.length;
  if (shown < placement.agentsConsidered)
    lines.push(
      `  (${plural(placement.agentsConsidered - shown, 'more agent')} not shown; the master caps the detail)`,
    );
  return lines.join('\n');
}
