import type { HttpTransport } from './http.js';
import { idPath } from './query.js';
import type { App, AppDefinition, AppEmbed } from './types/app.js';
import type { DeploymentResult, ForceOptions } from './types/common.js';
import type { Task } from './types/task.js';
import type { TaskKillResult } from './tasks.js';

export interface AppListOptions {
  readonly embed?: readonly AppEmbed[];
  /** Only apps whose id contains this text. */
  readonly id?: string;
  /** Only apps whose cmd contains this text. */
  readonly cmd?: string;
  /** Label selector: "key" or "key==value", comma-separated terms all of which must match. */
  readonly label?: string;
}

export interface AppTaskKillOptions extends ForceOptions {
  /** Also lower the app's instances by the number of tasks killed (starts a deployment). */
  readonly scale?: boolean;
  /** Only the app's tasks on this host. */
  readonly host?: string;
}

/** Marathon's /v2/apps. App ids contain slashes ("/prod/web"). */
export class AppsApi {
  constructor(private readonly http: HttpTransport) {}

  async list(options: AppListOptions = {}): Promise<App[]> {
    const body = await this.http.json<{ apps: App[] }>({
      path: 'v2/apps',
      query: { embed: options.embed, id: options.id, cmd: options.cmd, label: options.label },
    });
    return body.apps;
  }

  async get(id: string, options: { readonly embed?: readonly AppEmbed[] } = {}): Promise<App> {
    const body = await this.http.json<{ app: App }>({
      path: `v2/apps/${idPath(id)}`,
      query: { embed: options.embed },
    });
    return body.app;
  }

  /** POST /v2/apps: the created app, whose `deployments[0].id` is the deployment starting it. */
  create(app: AppDefinition, options: ForceOptions = {}): Promise<App> {
    return this.http.json<App>({
      method: 'POST',
      path: 'v2/apps',
      query: { force: options.force },
      body: app,
    });
  }

  /**
   * PUT /v2/apps/{id}: creates the app or updates the fields given (Marathon's partial
   * update). A patch of only `{version}` rolls back to that stored version.
   */
  update(
    id: string,
    patch: Partial<AppDefinition>,
    options: ForceOptions = {},
  ): Promise<DeploymentResult> {
    return this.http.json<DeploymentResult>({
      method: 'PUT',
      path: `v2/apps/${idPath(id)}`,
      query: { force: options.force },
      body: patch,
    });
  }

  /** PUT /v2/apps: updates (or creates) several apps in one deployment. */
  updateMany(
    apps: readonly AppDefinition[],
    options: ForceOptions = {},
  ): Promise<DeploymentResult> {
    return this.http.json<DeploymentResult>({
      method: 'PUT',
      path: 'v2/apps',
      query: { force: options.force },
      body: apps,
    });
  }

  remove(id: string, options: ForceOptions = {}): Promise<DeploymentResult> {
    return this.http.json<DeploymentResult>({
      method: 'DELETE',
      path: `v2/apps/${idPath(id)}`,
      query: { force: options.force },
    });
  }

  /** A rolling restart: every task is replaced by one of a new version. */
  restart(id: string, options: ForceOptions = {}): Promise<DeploymentResult> {
    return this.http.json<DeploymentResult>({
      method: 'POST',
      path: `v2/apps/${idPath(id)}/restart`,
      query: { force: options.force },
    });
  }

  scale(id: string, instances: number, options: ForceOptions = {}): Promise<DeploymentResult> {
    return this.update(id, { instances }, options);
  }

  async tasks(id: string): Promise<Task[]> {
    const body = await this.http.json<{ tasks: Task[] }>({ path: `v2/apps/${idPath(id)}/tasks` });
    return body.tasks;
  }

  /** DELETE /v2/apps/{id}/tasks: kills all the app's tasks (or those on `host`). */
  killTasks(id: string, options: AppTaskKillOptions = {}): Promise<TaskKillResult> {
    return this.http.json<TaskKillResult>({
      method: 'DELETE',
      path: `v2/apps/${idPath(id)}/tasks`,
      query: { scale: options.scale, force: options.force, host: options.host },
    });
  }

  /** DELETE /v2/apps/{id}/tasks/{taskId}. */
  killTask(
    id: string,
    taskId: string,
    options: AppTaskKillOptions = {},
  ): Promise<{ task: Task } | DeploymentResult> {
    return this.http.json<{ task: Task } | DeploymentResult>({
      method: 'DELETE',
      path: `v2/apps/${idPath(id)}/tasks/${encodeURIComponent(taskId)}`,
      query: { scale: options.scale, force: options.force },
    });
  }

  /** Stored versions, newest first. */
  async versions(id: string): Promise<string[]> {
    const body = await this.http.json<{ versions: string[] }>({
      path: `v2/apps/${idPath(id)}/versions`,
    });
    return body.versions;
  }

  version(id: string, version: string): Promise<App> {
    return this.http.json<App>({
      path: `v2/apps/${idPath(id)}/versions/${encodeURIComponent(version)}`,
    });
  }
}
