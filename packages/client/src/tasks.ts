import type { HttpTransport } from './http.js';
import type { DeploymentResult, ForceOptions } from './types/common.js';
import type { Task, TaskStatusFilter } from './types/task.js';

/** Killing without scale returns the tasks; with scale, the deployment that lowers instances. */
export type TaskKillResult = { readonly tasks: readonly Task[] } | DeploymentResult;

export interface TaskKillOptions extends ForceOptions {
  /** Lower each app's instances by its killed tasks, instead of letting them be replaced. */
  readonly scale?: boolean;
}

/** Marathon's /v2/tasks. */
export class TasksApi {
  constructor(private readonly http: HttpTransport) {}

  async list(
    options: { readonly status?: TaskStatusFilter | readonly TaskStatusFilter[] } = {},
  ): Promise<Task[]> {
    const status = typeof options.status === 'string' ? [options.status] : options.status;
    const body = await this.http.json<{ tasks: Task[] }>({ path: 'v2/tasks', query: { status } });
    return body.tasks;
  }

  kill(ids: readonly string[], options: TaskKillOptions = {}): Promise<TaskKillResult> {
    return this.http.json<TaskKillResult>({
      method: 'POST',
      path: 'v2/tasks/delete',
      query: { scale: options.scale, force: options.force },
      body: { ids },
    });
  }
}

/** Whether a kill answered with a deployment (it did when `scale` lowered instances). */
export function isDeploymentResult(result: unknown): result is DeploymentResult {
  return (
    typeof result === 'object' &&
    result !== null &&
    typeof (result as { deploymentId?: unknown }).deploymentId === 'string'
  );
}
