import { CommonErrors, type Router } from '@exosphere/common';
import type { HeartbeatRequest, RegisterRequest } from '../../core/protocol.js';
import { addResources, zeroResources } from '../../core/resources.js';
import { isTerminal } from '../../core/task-state.js';
import type { Master } from '../master.js';
import { MasterErrors } from '../master-errors.js';

/**
 * Agent traffic (internal: always needs the cluster token) and the agents list for users
 * (`/v1/agents`, used by `exo node list`).
 */
export function addAgentRoutes(router: Router, master: Master): void {
  router.post(
    '/internal/v1/agents/register',
    async (context) => {
      const body = (await context.json()) as RegisterRequest | undefined;
      requireFields(body, ['agentId', 'hostname', 'url', 'resources']);
      // Attributes and tasks may be absent (an agent with none); they default to empty.
      return {
        body: await master.agents.register({
          ...body!,
          attributes: body!.attributes ?? {},
          tasks: body!.tasks ?? [],
        }),
      };
    },
    'internal',
  );

  router.post(
    '/internal/v1/agents/:id/heartbeat',
    async (context) => {
      const body = (await context.json()) as HeartbeatRequest | undefined;
      requireFields(body, ['tasks']);
      return { body: await master.agents.heartbeat({ ...body!, agentId: context.params.id! }) };
    },
    'internal',
  );

  router.get('/v1/agents', () => ({
    body: { agents: [...master.state.agents.values()].map((a) => agentView(master, a.id)) },
  }));
  router.get('/v1/agents/:id', ({ params }) => {
    if (!master.state.agents.has(params.id!))
      throw MasterErrors.create('EXO_AGENT_NOT_FOUND', `no agent '${params.id}'`);
    return { body: agentView(master, params.id!) };
  });
}

function agentView(master: Master, id: string): Record<string, unknown> {
  const agent = master.state.agents.get(id)!;
  let used = zeroResources;
  let tasks = 0;
  for (const task of master.state.tasksOnAgent(id)) {
    if (isTerminal(task.state)) continue;
    used = addResources(used, task.resources);
    tasks++;
  }
  return {
    id: agent.id,
    hostname: agent.hostname,
    url: agent.url,
    condition: agent.condition,
    attributes: agent.attributes,
    resources: agent.resources,
    used,
    tasks,
    isolation: agent.isolation,
    registeredAt: new Date(agent.registeredAt).toISOString(),
    lastHeartbeatAt: new Date(agent.lastHeartbeatAt).toISOString(),
  };
}

function requireFields(body: unknown, fields: string[]): void {
  if (typeof body !== 'object' || body === null) {
    throw CommonErrors.create('EXO_VALIDATION_FAILED', 'body must be a JSON object');
  }
  const missing = fields.filter((f) => !(f in body));
  if (missing.length > 0) {
    throw CommonErrors.create('EXO_VALIDATION_FAILED', `missing fields: ${missing.join(', ')}`, {
      details: missing.map((f) => ({ path: `/${f}`, errors: ['required'] })),
    });
  }
}
