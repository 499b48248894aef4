import { ClientError } from './client-error.js';
import type { HttpTransport } from './http.js';
import type { TaskLogOptions, TaskLogRead } from './task-logs.js';
import type { Agent } from './types/agent.js';

/** How many agents are asked for their task lists at once. */
const agentLookupConcurrency = 16;

/**
 * Logs of job tasks. Like every task log they are served by the agent that ran the task, but
 * the master does not list job tasks in /v2/tasks (Marathon's tasks are app tasks), so the
 * agent is found by asking the agents which tasks they hold (GET {agentUrl}/v1/tasks). An agent
 * that has forgotten a finished task may still keep its sandbox, so when no agent lists the
 * task, each is asked for the log itself in turn.
 */
export class JobTaskLogReader {
  constructor(private readonly http: HttpTransport) {}

  /** One read, at most what the agent sends at once (1 MiB), without following. */
  async read(taskId: string, options: Omit<TaskLogOptions, 'follow'> = {}): Promise<TaskLogRead> {
    const response = await this.open(taskId, { ...options, follow: false });
    const bytes = new Uint8Array(await response.arrayBuffer());
    const startOffset = Number(response.headers.get('x-exo-log-offset') ?? options.offset ?? 0);
    return {
      text: new TextDecoder().decode(bytes),
      startOffset,
      endOffset: startOffset + bytes.byteLength,
    };
  }

  /**
   * The log as text chunks. Without `follow` it reads until the end of what is written now
   * (in several requests, since the agent answers at most 1 MiB at a time); with `follow` it
   * ends when the task ends or `signal` aborts.
   */
  async *chunks(taskId: string, options: TaskLogOptions = {}): AsyncGenerator<string> {
    const decoder = new TextDecoder();
    if (!options.follow) {
      const agentUrl = await this.agentUrlOf(taskId, options.signal);
      let offset = options.offset ?? 0;
      for (;;) {
        const response = await this.request(agentUrl, taskId, { ...options, offset });
        const bytes = new Uint8Array(await response.arrayBuffer());
        if (bytes.byteLength === 0) break;
        offset = Number(response.headers.get('x-exo-log-offset') ?? offset) + bytes.byteLength;
        yield decoder.decode(bytes, { stream: true });
      }
      const rest = decoder.decode();
      if (rest) yield rest;
      return;
    }
    const response = await this.open(taskId, options);
    if (!response.body) return;
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (error) {
          if (options.signal?.aborted) return;
          throw error;
        }
        if (chunk.done) break;
        const text = decoder.decode(chunk.value, { stream: true });
        if (text) yield text;
      }
      const rest = decoder.decode();
      if (rest) yield rest;
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }

  /**
   * The URL of the agent holding the task: the one listing it, else the first that serves its
   * log (a sandbox kept after the task was forgotten).
   */
  async agentUrlOf(taskId: string, signal?: AbortSignal): Promise<string> {
    const agents = await this.http.json<{ agents: Agent[] }>({ path: 'v1/agents', signal });
    const listing = await this.agentListing(agents.agents, taskId, signal);
    if (listing) return listing.url;
    for (const agent of agents.agents) {
      try {
        const response = await this.request(agent.url, taskId, {
          offset: 0,
          ...(signal ? { signal } : {}),
        });
        await response.body?.cancel();
        return agent.url;
      } catch (error) {
        if (isMissOrDown(error)) continue;
        throw error;
      }
    }
    throw new ClientError(
      'EXO_TASK_NOT_FOUND',
      404,
      `Task '${taskId}' does not exist (no agent has its logs)`,
    );
  }

  /** The agent whose task list holds the task; agents that are down are skipped. */
  private async agentListing(
    agents: readonly Agent[],
    taskId: string,
    signal: AbortSignal | undefined,
  ): Promise<Agent | undefined> {
    const candidates = agents.filter((agent) => agent.condition === 'active');
    for (let start = 0; start < candidates.length; start += agentLookupConcurrency) {
      const batch = candidates.slice(start, start + agentLookupConcurrency);
      const holders = await Promise.all(
        batch.map(async (agent) => {
          try {
            const { tasks } = await this.http.json<{ tasks: { taskId: string }[] }>({
              path: 'v1/tasks',
              baseUrl: agent.url,
              signal,
            });
            return tasks.some((task) => task.taskId === taskId) ? agent : undefined;
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

  private async open(taskId: string, options: TaskLogOptions): Promise<Response> {
    const agentUrl = await this.agentUrlOf(taskId, options.signal);
    return this.request(agentUrl, taskId, options);
  }

  private request(agentUrl: string, taskId: string, options: TaskLogOptions): Promise<Response> {
    return this.http.stream({
      path: `v1/tasks/${encodeURIComponent(taskId)}/logs`,
      query: {
        stream: options.stream ?? 'stdout',
        offset: options.offset ?? 0,
        follow: options.follow ?? false,
      },
      signal: options.signal,
      baseUrl: agentUrl,
    });
  }
}

/** A 404 (this agent does not have the task) or no answer (the agent is down). */
function isMissOrDown(error: unknown): boolean {
  return error instanceof ClientError && (error.status === 404 || error.status === 0);
}
