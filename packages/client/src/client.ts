import { AgentsApi } from './agents.js';
import { AppsApi } from './apps.js';
import { DeploymentsApi } from './deployments.js';
import { streamEvents, type EventsOptions } from './events.js';
import { GroupsApi } from './groups.js';
import { HttpTransport, type ClientOptions } from './http.js';
import { JobsApi } from './jobs.js';
import { QueueApi } from './queue.js';
import {
  TaskLogReader,
  appTaskLocator,
  type TaskLogOptions,
  type TaskLogRead,
} from './task-logs.js';
import { TasksApi } from './tasks.js';
import type { ClusterEvent } from './types/event.js';
import type { Info } from './types/info.js';
import {
  waitForDeployment,
  type DeploymentOutcome,
  type WaitForDeploymentOptions,
} from './wait-for-deployment.js';

/**
 * The typed client of the compute plane's Marathon-compatible API (and the agents' log API).
 * Every failure is a ClientError carrying the server's stable code.
 */
export class ExosphereClient {
  readonly apps: AppsApi;
  readonly tasks: TasksApi;
  readonly deployments: DeploymentsApi;
  readonly queue: QueueApi;
  readonly groups: GroupsApi;
  readonly agents: AgentsApi;
  /** Metronome's v1 jobs API: jobs, schedules, runs and the logs of job tasks. */
  readonly jobs: JobsApi;
  private readonly http: HttpTransport;
  private readonly logs: TaskLogReader;

  constructor(options: ClientOptions) {
    this.http = new HttpTransport(options);
    this.apps = new AppsApi(this.http);
    this.tasks = new TasksApi(this.http);
    this.deployments = new DeploymentsApi(this.http);
    this.queue = new QueueApi(this.http);
    this.groups = new GroupsApi(this.http);
    this.agents = new AgentsApi(this.http);
    this.jobs = new JobsApi(this.http);
    this.logs = new TaskLogReader(this.http, appTaskLocator(this.http));
  }

  /** The master URL this client talks to. */
  get url(): string {
    return this.http.url;
  }

  info(): Promise<Info> {
    return this.http.json<Info>({ path: 'v2/info' });
  }

  /** The event stream; iterate with `for await`, stop with `break` or the signal. */
  events(options: EventsOptions = {}): AsyncIterable<ClusterEvent> {
    return streamEvents(this.http, options);
  }

  /** A task's stdout or stderr as text chunks, from the agent that runs it. */
  taskLogs(taskId: string, options: TaskLogOptions = {}): AsyncIterable<string> {
    return this.logs.chunks(taskId, options);
  }

  /** One read of a task's log with the byte range it covers (to continue from `endOffset`). */
  readTaskLog(taskId: string, options: Omit<TaskLogOptions, 'follow'> = {}): Promise<TaskLogRead> {
    return this.logs.read(taskId, options);
  }

  /** Resolves when the deployment has ended; see WaitForDeploymentOptions. */
  waitForDeployment(
    deploymentId: string,
    options: WaitForDeploymentOptions = {},
  ): Promise<DeploymentOutcome> {
    return waitForDeployment(this.http, deploymentId, options);
  }
}
