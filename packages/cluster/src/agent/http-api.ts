import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { HANDLED, Router, type Clock } from '@exosphere/common';
import { isTerminal } from '../core/task-state.js';
import type { Agent } from './agent.js';
import { AgentErrors } from './agent-errors.js';
import { validateKillRequest, validateLaunchRequest } from './request-validation.js';
import { streamLog } from './task-logs.js';

export interface AgentRouterOptions {
  readonly agent: Agent;
  /** The sandbox folder of a task, or undefined for an id that cannot be one. */
  readonly sandboxDir: (taskId: string) => string | undefined;
  readonly clock: Clock;
  /** How often a followed log is checked for new bytes. */
  readonly logPollIntervalMs?: number;
}

/**
 * The agent's HTTP API. `internal` routes are the master's (always with the cluster token);
 * the others are for users and tools (`exo task logs`), token-protected on a non-loopback bind.
 */
export function createAgentRouter(options: AgentRouterOptions): Router {
  return addAgentRoutes(new Router(), options);
}

/** Adds the agent's routes to an existing router (one that may already be serving). */
export function addAgentRoutes(router: Router, options: AgentRouterOptions): Router {
  const { agent } = options;

  router.post(
    '/internal/v1/tasks',
    async (context) => {
      const specs = validateLaunchRequest(await context.json());
      await agent.launch(specs);
      return { status: 202, body: { accepted: specs.map((spec) => spec.taskId) } };
    },
    'internal',
  );

  router.post(
    '/internal/v1/tasks/kill',
    async (context) => {
      const kills = validateKillRequest(await context.json());
      agent.kill(kills);
      return { status: 202, body: { accepted: kills.map((kill) => kill.taskId) } };
    },
    'internal',
  );

  router.get('/v1/tasks', () => ({ body: { tasks: agent.list() } }));

  router.get('/v1/info', () => ({ body: agent.info() }));

  router.get('/v1/tasks/:taskId/logs', async (context): Promise<typeof HANDLED> => {
    const taskId = context.params.taskId ?? '';
    const stream = context.query.get('stream') ?? 'stdout';
    if (stream !== 'stdout' && stream !== 'stderr') {
      throw AgentErrors.create('EXO_AGENT_INVALID_QUERY', 'stream must be stdout or stderr');
    }
    const offsetText = context.query.get('offset') ?? '0';
    const offset = Number(offsetText);
    if (!Number.isSafeInteger(offset)) {
      throw AgentErrors.create(
        'EXO_AGENT_INVALID_QUERY',
        `offset must be an integer, got '${offsetText}'`,
      );
    }
    const followText = context.query.get('follow') ?? 'false';
    if (followText !== 'true' && followText !== 'false') {
      throw AgentErrors.create('EXO_AGENT_INVALID_QUERY', 'follow must be true or false');
    }
    const sandbox = options.sandboxDir(taskId);
    const known = agent.list().some((status) => status.taskId === taskId);
    if (sandbox === undefined || (!known && !(await exists(sandbox)))) {
      throw AgentErrors.create('EXO_AGENT_TASK_NOT_FOUND', `no task '${taskId}' on this agent`);
    }
    await streamLog({
      file: join(sandbox, stream),
      offset,
      follow: followText === 'true',
      taskEnded: () => {
        const status = agent.list().find((candidate) => candidate.taskId === taskId);
        return status === undefined || isTerminal(status.state);
      },
      clock: options.clock,
      pollIntervalMs: options.logPollIntervalMs ?? 250,
      response: context.response,
    });
    return HANDLED;
  });

  return router;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
