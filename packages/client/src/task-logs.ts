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

/**
 * Task logs are served by the agent that runs the task, not by the master: the agent's URL
 * is found through the task's agentId. A task the master no longer lists (it ended and was
 * expunged) may still have its sandbox on an agent, so then every agent is asked in turn.
 */
export class TaskLogReader {
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
   * (in several requests, since the agent answers at most 1 MiB at a time).
   */
  async *chunks(taskId: string, options: TaskLogOptions = {}): AsyncGenerator<string> {
    const decoder = new TextDecoder();
    if (!options.follow) {
      let offset = options.offset ?? 0;
      for (;;) {
        const response = await this.open(taskId, { ...options, offset, follow: false });
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

  private async open(taskId: string, options: TaskLogOptions): Promise<Response> {
    const request = {
      path: `v1/tasks/${encodeURIComponent(taskId)}/logs`,
      query: {
        stream: options.stream ?? 'stdout',
        offset: options.offset ?? 0,
        follow: options.follow ?? false,
      },
      signal: options.signal,
    };
    const task = await this.findTask(taskId);
    if (task) {
      const agent = await this.http.json<Agent>({
        path: `v1/agents/${encodeURIComponent(task.agentId)}`,
      });
      return this.http.stream({ ...request, baseUrl: agent.url });
    }
    const { agents } = await this.http.json<{ agents: Agent[] }>({ path: 'v1/agents' });
    for (const agent of agents) {
      try {
        return await this.http.stream({ ...request, baseUrl: agent.url });
      } catch (error) {
        // This agent does not have the task's sandbox (or is down): ask the next one.
        if (error instanceof ClientError && (error.status === 404 || error.status === 0)) continue;
        throw error;
      }
    }
    throw new ClientError(
      'EXO_TASK_NOT_FOUND',
      404,
      `Task '${taskId}' does not exist (no agent has its logs)`,
    );
  }

  /**
   * The task, looked up among its app's tasks when the id has Marathon's form
   * ("prod_web.<uuid>" for app /prod/web: app ids cannot contain "_"), which spares listing
   * every task of a large cluster; otherwise among all tasks.
   */
  private async findTask(taskId: string): Promise<Task | undefined> {
    const dot = taskId.lastIndexOf('.');
    if (dot > 0) {
      const appId = '/' + taskId.slice(0, dot).replace(/_/g, '/');
      try {
        const tasks = await this.http.json<{ tasks: Task[] }>({
          path: `v2/apps/${idPath(appId)}/tasks`,
        });
        const task = tasks.tasks.find((t) => t.id === taskId);
        if (task) return task;
      } catch (error) {
        if (!(error instanceof ClientError && error.status === 404)) throw error;
      }
    }
    const { tasks } = await this.http.json<{ tasks: Task[] }>({ path: 'v2/tasks' });
    return tasks.find((t) => t.id === taskId);
  }
}
