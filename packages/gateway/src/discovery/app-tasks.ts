/**
 * What the gateway knows about the tasks of one compute-plane app, built from the master's
 * Marathon-compatible JSON (`GET /v2/apps/{id}?embed=app.tasks`) and kept current by its events.
 * Everything read from the master is checked here, field by field: a malformed task is skipped,
 * never trusted.
 */
export interface TaskView {
  readonly id: string;
  readonly host: string;
  readonly ports: readonly number[];
  readonly state: string;
  /** The master's health verdict; undefined until the first check result. */
  readonly healthy: boolean | undefined;
  /** A kill was requested: the task is draining and takes no new requests. */
  readonly killRequested: boolean;
}

/** Marathon's terminal task states: the task is gone and is forgotten. */
const terminalStates = new Set([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_GONE',
  'TASK_DROPPED',
  'TASK_GONE_BY_OPERATOR',
  'TASK_UNKNOWN',
]);

/** Tasks kept per app; a master reporting more is cut off rather than growing memory. */
export const tasksPerAppMax = 100_000;

export class AppTasks {
  /** Whether the app defines health checks; undefined while the app is not known to exist. */
  private healthChecks: boolean | undefined;
  private readonly tasks = new Map<string, TaskView>();

  constructor(readonly appId: string) {}

  /** Replaces everything with a snapshot; `undefined` means the app does not exist. */
  replace(app: Record<string, unknown> | undefined): void {
    this.tasks.clear();
    if (!app) {
      this.healthChecks = undefined;
      return;
    }
    this.healthChecks = Array.isArray(app.healthChecks) && app.healthChecks.length > 0;
    const tasks = Array.isArray(app.tasks) ? (app.tasks as unknown[]) : [];
    for (const raw of tasks.slice(0, tasksPerAppMax)) {
      const task = taskFromJson(raw);
      if (task && !terminalStates.has(task.state)) this.tasks.set(task.id, task);
    }
  }

  /** The app was removed: no tasks remain (their kill events follow). */
  clear(): void {
    this.tasks.clear();
  }

  /** Marathon's status_update_event: `{taskId, taskStatus, host, ports}`. */
  applyStatus(event: Record<string, unknown>): void {
    const id = event.taskId;
    const state = event.taskStatus;
    if (typeof id !== 'string' || typeof state !== 'string') return;
    if (terminalStates.has(state)) {
      this.tasks.delete(id);
      return;
    }
    const previous = this.tasks.get(id);
    const ports = portsOf(event.ports) ?? previous?.ports ?? [];
    const host = typeof event.host === 'string' && event.host ? event.host : previous?.host;
    if (!host) return;
    if (!previous && this.tasks.size >= tasksPerAppMax) return;
    // The event carries no health: a known task keeps its verdict (the master keeps it too,
    // for example across TASK_UNREACHABLE and back), a new task has none yet.
    this.tasks.set(id, {
      id,
      host,
      ports,
      state,
      healthy: previous?.healthy,
      killRequested: previous?.killRequested ?? false,
    });
  }

  /** health_status_changed_event (`taskId`, `alive`) or instance_health_changed_event. */
  applyHealth(taskId: string, alive: boolean): void {
    const previous = this.tasks.get(taskId);
    if (previous) this.tasks.set(taskId, { ...previous, healthy: alive });
  }

  /** Whether the definition is known (a snapshot found the app). */
  get known(): boolean {
    return this.healthChecks !== undefined;
  }

  /**
   * The tasks that take traffic, by id: TASK_RUNNING, not draining, and healthy when the app
   * has health checks (a task without a result yet is not ready).
   */
  ready(): TaskView[] {
    const ready: TaskView[] = [];
    for (const task of this.tasks.values()) {
      if (task.state !== 'TASK_RUNNING' || task.killRequested) continue;
      if (this.healthChecks !== false && task.healthy !== true) continue;
      ready.push(task);
    }
    return ready.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

function taskFromJson(raw: unknown): TaskView | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const task = raw as Record<string, unknown>;
  if (typeof task.id !== 'string' || typeof task.state !== 'string') return undefined;
  if (typeof task.host !== 'string' || task.host === '') return undefined;
  let healthy: boolean | undefined = typeof task.healthy === 'boolean' ? task.healthy : undefined;
  // Marathon itself reports only the check results: healthy when every result is alive.
  const results = task.healthCheckResults;
  if (healthy === undefined && Array.isArray(results) && results.length > 0)
    healthy = results.every(
      (result: unknown) =>
        typeof result === 'object' &&
        result !== null &&
        (result as { alive?: unknown }).alive === true,
    );
  return {
    id: task.id,
    host: task.host,
    ports: portsOf(task.ports) ?? [],
    state: task.state,
    healthy,
    killRequested: task.killRequestedAt !== undefined && task.killRequestedAt !== null,
  };
}

function portsOf(raw: unknown): number[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.filter(
    (port): port is number => Number.isInteger(port) && port >= 0 && port <= 65_535,
  );
}
