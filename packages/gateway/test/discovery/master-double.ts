import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A test double of the compute-plane master's public API, as far as the gateway reads it:
 * `GET /v2/apps/{id}?embed=app.tasks` and the server-sent event stream `GET /v2/events`. The
 * real master needs agents and processes to have tasks; these tests drive task states and
 * events directly (including an event racing a snapshot), which the real master cannot be made
 * to do on cue. The real master is exercised by the CLI's integration test.
 */
export interface DoubleTask {
  id: string;
  host: string;
  ports: number[];
  state: string;
  healthy?: boolean;
}

export interface DoubleApp {
  healthChecks: unknown[];
  tasks: DoubleTask[];
}

export class MasterDouble {
  readonly apps = new Map<string, DoubleApp>();
  /** Requests seen, as "METHOD path". */
  readonly requests: string[] = [];
  /** When set, app fetches wait for it before answering (with the state read before waiting). */
  holdAppFetches: Promise<void> | undefined;
  /** The token the master asks for; none when undefined. */
  token: string | undefined;
  private readonly streams = new Set<ServerResponse>();
  private server: Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get openStreams(): number {
    return this.streams.size;
  }

  async start(port = 0): Promise<void> {
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://master');
      this.requests.push(`${request.method} ${url.pathname}`);
      if (this.token !== undefined && request.headers.authorization !== `Bearer ${this.token}`) {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end('{"code":"EXO_UNAUTHORIZED"}');
        return;
      }
      if (url.pathname === '/v2/events') {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(': connected\n\n');
        this.streams.add(response);
        response.on('close', () => this.streams.delete(response));
        return;
      }
      const match = /^\/v2\/apps(\/.+)$/.exec(url.pathname);
      if (request.method === 'GET' && match && url.searchParams.get('embed') === 'app.tasks') {
        const app = this.apps.get(match[1]!);
        // The answer is computed now: a held fetch returns this (by then stale) state.
        const body = app
          ? JSON.stringify({
              app: {
                id: match[1],
                healthChecks: app.healthChecks,
                tasks: structuredClone(app.tasks),
              },
            })
          : undefined;
        const answer = (): void => {
          if (!body) {
            response.writeHead(404, { 'content-type': 'application/json' });
            response.end('{"message":"App does not exist"}');
            return;
          }
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(body);
        };
        if (this.holdAppFetches) void this.holdAppFetches.then(answer);
        else answer();
        return;
      }
      response.writeHead(404);
      response.end();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Sends one event to every open stream, the way the master's /v2/events writes it. */
  emit(eventType: string, fields: Record<string, unknown>): void {
    const text = `event: ${eventType}\ndata: ${JSON.stringify({ eventType, timestamp: new Date().toISOString(), ...fields })}\n\n`;
    for (const stream of this.streams) stream.write(text);
  }

  /** A task changes state: the double's state and a status_update_event, as the master does. */
  setTaskState(appId: string, task: DoubleTask, state: string): void {
    const app = this.apps.get(appId)!;
    const index = app.tasks.findIndex((existing) => existing.id === task.id);
    const terminal = ['TASK_KILLED', 'TASK_FAILED', 'TASK_FINISHED', 'TASK_LOST'].includes(state);
    if (terminal && index >= 0) app.tasks.splice(index, 1);
    else if (index >= 0) app.tasks[index]!.state = state;
    else if (!terminal) app.tasks.push({ ...task, state });
    this.emit('status_update_event', {
      appId,
      taskId: task.id,
      taskStatus: state,
      host: task.host,
      ports: task.ports,
    });
  }

  setTaskHealth(appId: string, taskId: string, alive: boolean): void {
    const task = this.apps.get(appId)!.tasks.find((existing) => existing.id === taskId)!;
    task.healthy = alive;
    this.emit('health_status_changed_event', { appId, taskId, instanceId: taskId, alive });
  }

  /** Ends every event stream (the connection drops; the server stays up). */
  dropStreams(): void {
    for (const stream of this.streams) stream.destroy();
    this.streams.clear();
  }

  /** Stops listening and drops every connection: the master is down. */
  async stop(): Promise<void> {
    this.dropStreams();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Polls until `check` passes (short intervals, bounded). */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
