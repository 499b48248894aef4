import { ClientError } from './client-error.js';
import type { HttpTransport } from './http.js';
import { idPath } from './query.js';
import type { Agent } from './types/agent.js';
import type { Task } from './types/task.js';

export type LogStream = 'stdout' | 'stderr';

export interface TaskLogOptions {
  /** Default stdout. */
  readonly stream?: LogStream;
  /** Byte offset to start at; a negative offset counts back from the end (the last N bytes). */
  readonly offset?: number;
  /** Keep reading as the task writes, until it ends or `signal` aborts. */
  readonly follow?: boolean;
  readonly signal?: AbortSignal;
}

/** One read of a task log: the text and the byte range of the file it covers. */
export interface TaskLogRead {
  readonly text: string;
  readonly startOffset: number;
  readonly endOffset: number;
}

/** Finds the URL of the agent that holds a task's sandbox. */
export type AgentLocator = (taskId: string, signal: AbortSignal | undefined) => Promise<string>;

/**
 * Task logs are served by the agent that runs the task, not by the master. How that agent is
 * found differs (app tasks through the master's task list, job tasks through the agents' own
 * lists), so the reader takes a locator and does the reading and streaming itself.
 */
export class TaskLogReader {
  constructor(
    private readonly http: HttpTransport,
    private readonly locate: AgentLocator,
  ) {}

  /** One read, at most what the agent sends at once (1 MiB), without following. */
  async read(taskId: string, options: Omit<TaskLogOptions, 'follow'> = {}): Promise<TaskLogRead> {
    const agentUrl = await this.locate(taskId, options.signal);
    const response = await this.request(agentUrl, taskId, { ...options, follow: false });
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
    const agentUrl = await this.locate(taskId, options.signal);
    if (!options.follow) {
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
    const response = await this.request(agentUrl, taskId, options);
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

  private request(agentUrl: string, taskId: string, options: TaskLogOptions): Promise<Response> {
    return requestTaskLog(this.http, { agentUrl, taskId, options });
  }
}

function requestTaskLog(
  http: HttpTransport,
  target: { agentUrl: string; taskId: string; options: TaskLogOptions },
): Promise<Response> {
  const { options } = target;
  return http.stream({
    path: `v1/tasks/${encodeURIComponent(target.taskId)}/logs`,
    query: {
      stream: options.stream ?? 'stdout',
      offset: options.offset ?? 0,
      follow: options.follow ?? false,
    },
    signal: options.signal,
    baseUrl: target.agentUrl,
  });
}

/**
 * The first agent that serves the task's log: a task nobody lists any more (it ended and was
 * forgotten) may still have its sandbox on an agent, so each agent is asked in turn.
 */
export async function probeAgentsForLog(
  http: HttpTransport,
  taskId: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  const { agents } = await http.json<{ agents: Agent[] }>({ path: 'v1/agents', signal });
  for (const agent of agents) {
    try {
      const response = await requestTaskLog(http, {
        agentUrl: agent.url,
        taskId,
        options: { offset: 0, ...(signal ? { signal } : {}) },
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

/** A 404 (this agent does not have the task) or no answer (the agent is down). */
export function isMissOrDown(error: unknown): boolean {
  return error instanceof ClientError && (error.status === 404 || error.status === 0);
}

/**
 * App tasks: the master lists them, with their agent. The task is looked up among its app's
 * tasks when the id has Marathon's form ("prod_web.<uuid>" for app /prod/web: app ids cannot
 * contain "_"), which spares listing every task of a large cluster; otherwise among all tasks.
 */
export function appTaskLocator(http: HttpTransport): AgentLocator {
  return async (taskId, signal) => {
    const task = await findAppTask(http, taskId);
    if (!task) return probeAgentsForLog(http, taskId, signal);
    const agent = await http.json<Agent>({
      path: `v1/agents/${encodeURIComponent(task.agentId)}`,
      signal,
    });
    return agent.url;
  };
}

async function findAppTask(http: HttpTransport, taskId: string): Promise<Task | undefined> {
  const dot = taskId.lastIndexOf('.');
  if (dot > 0) {
    const appId = '/' + taskId.slice(0, dot).replace(/_/g, '/');
    try {
      const tasks = await http.json<{ tasks: Task[] }>({ path: `v2/apps/${idPath(appId)}/tasks` });
      const task = tasks.tasks.find((t) => t.id === taskId);
      if (task) return task;
    } catch (error) {
      if (!(error instanceof ClientError && error.status === 404)) throw error;
    }
  }
  const { tasks } = await http.json<{ tasks: Task[] }>({ path: 'v2/tasks' });
  return tasks.find((t) => t.id === taskId);
}
