import type { HttpTransport } from './http.js';
import type { Agent } from './types/agent.js';

/** The master's /v1/agents: the machines of the cluster and what they have left. */
export class AgentsApi {
  constructor(private readonly http: HttpTransport) {}

  async list(): Promise<Agent[]> {
    const body = await this.http.json<{ agents: Agent[] }>({ path: 'v1/agents' });
    return body.agents;
  }

  get(id: string): Promise<Agent> {
    return this.http.json<Agent>({ path: `v1/agents/${encodeURIComponent(id)}` });
  }
}
