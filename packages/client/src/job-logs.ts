import type { HttpTransport } from './http.js';
import { isMissOrDown, probeAgentsForLog, type AgentLocator } from './task-logs.js';
import type { Agent } from './types/agent.js';

/** How many agents are asked for their task lists at once. */
const agentLookupConcurrency = 16;

/**
 * Job tasks: the master does not list them in /v2/tasks (Marathon's tasks are app tasks), so
 * the agent is found by asking the agents which tasks they hold (GET {agentUrl}/v1/tasks), and
 * failing that by probing each agent for the log (a sandbox kept after the task was forgotten).
 */
export function jobTaskLocator(http: HttpTransport): AgentLocator {
  return async (taskId, signal) => {
    const { agents } = await http.json<{ agents: Agent[] }>({ path: 'v1/agents', signal });
    const holder = await agentListing(http, { agents, taskId, signal });
    return holder ? holder.url : probeAgentsForLog(http, taskId, signal);
  };
}

/** The agent whose task list holds the task; agents that are down are skipped. */
async function agentListing(
  http: HttpTransport,
  lookup: { agents: readonly Agent[]; taskId: string; signal: AbortSignal | undefined },
): Promise<Agent | undefined> {
  const candidates = lookup.agents.filter((agent) => agent.condition === 'active');
  for (let start = 0; start < candidates.length; start += agentLookupConcurrency) {
    const batch = candidates.slice(start, start + agentLookupConcurrency);
    const holders = await Promise.all(
      batch.map(async (agent) => {
        try {
          const { tasks } = await http.json<{ tasks: { taskId: string }[] }>({
            path: 'v1/tasks',
            baseUrl: agent.url,
            signal: lookup.signal,
          });
          return tasks.some((task) => task.taskId === lookup.taskId) ? agent : undefined;
        } catch (error) {
          if (isMissOrDown(error)) return undefined;
          throw error;
        }
      }),
    );
    const holder = holders.find((agent) => agent !== undefined);
    if (holder) return holder;
  }
  return undefined;
}
