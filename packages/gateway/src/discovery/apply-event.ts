import type { AppTasks } from './app-tasks.js';
import { appIdsOfDeploymentEvent } from './deployment-events.js';

/** What applying an event needs from the resolver. */
export interface EventTarget {
  /** The task state of a watched app; undefined for apps nobody follows. */
  tasksOf(appId: unknown): AppTasks | undefined;
  /** The app's ready list may have changed. */
  changed(appId: string): void;
  /** The app's definition or instances changed: fetch it again (ignored for unwatched apps). */
  refetch(appId: string): void;
}

/**
 * Applies one event of the master's stream, in Marathon's shapes (the master's events.ts and
 * json/events-json.ts): task states, health verdicts (Marathon's two event names), removed
 * apps, and deployments, which change health checks and instance counts and so trigger a fetch.
 */
export function applyMasterEvent(event: Record<string, unknown>, target: EventTarget): void {
  switch (event.eventType) {
    case 'status_update_event': {
      const tasks = target.tasksOf(event.appId);
      if (!tasks) return;
      tasks.applyStatus(event);
      // A task of an app never seen: fetch its definition (are there health checks?).
      if (!tasks.known) target.refetch(tasks.appId);
      target.changed(tasks.appId);
      return;
    }
    case 'health_status_changed_event': {
      const tasks = target.tasksOf(event.appId);
      const taskId = event.taskId ?? event.instanceId;
      if (!tasks || typeof taskId !== 'string' || typeof event.alive !== 'boolean') return;
      tasks.applyHealth(taskId, event.alive);
      target.changed(tasks.appId);
      return;
    }
    case 'instance_health_changed_event': {
      const tasks = target.tasksOf(event.runSpecId);
      if (!tasks || typeof event.instanceId !== 'string' || typeof event.healthy !== 'boolean')
        return;
      tasks.applyHealth(event.instanceId, event.healthy);
      target.changed(tasks.appId);
      return;
    }
    case 'app_terminated_event': {
      const tasks = target.tasksOf(event.appId);
      if (!tasks) return;
      tasks.replace(undefined);
      target.changed(tasks.appId);
      return;
    }
    default:
      for (const appId of appIdsOfDeploymentEvent(event)) target.refetch(appId);
  }
}
