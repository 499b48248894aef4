import { launchDelayMs } from '../core/backoff.js';
import type { TaskStatus } from '../core/protocol.js';
import { isTerminal, type TaskState } from '../core/task-state.js';
import type { MasterContext } from './context.js';
import { keys, type TaskRecord } from './model.js';
import { statusUpdateEvent, instanceChangedEvent } from './json/events-json.js';
import type { StoreOperation } from './store/state-store.js';

/**
 * Applies one status an agent reported for a task the master knows. Returns the store
 * operations to persist (state changes only: health flaps are not written to disk).
 */
export function applyTaskStatus(
  context: MasterContext,
  task: TaskRecord,
  status: TaskStatus,
): StoreOperation[] {
  const now = context.clock.now();
  const operations: StoreOperation[] = [];
  const previousState = task.state;
  const previousHealthy = task.healthy;

  if (task.state === 'TASK_UNREACHABLE' && !isTerminal(status.state)) {
    // The agent is back and the task still runs. Its replacement may already run: the
    // scheduler kills the surplus, preferring tasks marked wasUnreachable.
    task.wasUnreachable = true;
    task.unreachableSince = undefined;
  }
  task.healthCheckResults = status.healthCheckResults;
  task.healthy = status.healthy;
  if (status.startedAt !== undefined) task.startedAt = status.startedAt;
  if (status.state !== previousState) {
    task.state = status.state;
    task.updatedAt = now;
    task.message = status.message;
    task.exitCode = status.exitCode;
    if (status.state === 'TASK_RUNNING' && task.startedAt === undefined)
      task.startedAt = status.updatedAt;
    publishStateChange(context, task, previousState);
    for (const listener of context.taskListeners) operations.push(...listener(task, previousState));
    if (isTerminal(status.state)) {
      if (task.appId.startsWith('/')) noteTermination(context, task);
      context.state.removeTask(task.id);
      operations.push({ type: 'delete', key: keys.task(task.id) });
    } else {
      operations.push({ type: 'put', key: keys.task(task.id), value: task });
    }
    context.wake();
  }
  if (status.healthy !== previousHealthy && status.healthy !== undefined) {
    publishHealthChange(context, task, previousHealthy);
    context.wake();
  }
  return operations;
}

export function publishStateChange(
  context: MasterContext,
  task: TaskRecord,
  previous: TaskState,
): void {
  context.events.publish('status_update_event', statusUpdateEvent(task));
  context.events.publish('instance_changed_event', instanceChangedEvent(task, previous));
}

function publishHealthChange(
  context: MasterContext,
  task: TaskRecord,
  previous: boolean | undefined,
): void {
  context.events.publish('health_status_changed_event', {
    appId: task.appId,
    taskId: task.id,
    instanceId: task.id,
    version: task.version,
    alive: task.healthy === true,
  });
  if (task.healthy === false && previous !== false) {
    const failing = task.healthCheckResults?.findIndex((r) => !r.alive) ?? -1;
    const app = context.state.apps.get(task.appId);
    context.events.publish('failed_health_check_event', {
      appId: task.appId,
      taskId: task.id,
      instanceId: task.id,
      healthCheck: failing >= 0 ? app?.healthChecks[failing] : undefined,
    });
  }
}

/**
 * A task ended. Unless the master asked for it, that counts as a failure of the app: the
 * next launch backs off (crash-loop protection) and the failure is kept as lastTaskFailure.
 */
function noteTermination(context: MasterContext, task: TaskRecord): void {
  const runtime = context.state.runtimeOf(task.appId);
  if (task.killRequestedAt !== undefined) return;
  const now = context.clock.now();
  runtime.lastFailure = {
    taskId: task.id,
    state: task.state,
    message: task.message ?? task.state,
    timestamp: now,
    version: task.version,
    host: task.host,
  };
  const app = context.state.apps.get(task.appId);
  if (!app || task.configVersion !== app.versionInfo.lastConfigChangeAt) return;
  runtime.consecutiveFailures++;
  runtime.launchDelayUntil = now + launchDelayMs(runtime.consecutiveFailures, app);
}
