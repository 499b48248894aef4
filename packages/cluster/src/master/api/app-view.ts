import type { AppDefinition } from '../../core/app-definition.js';
import { appJson } from '../json/app-json.js';
import { taskJson } from '../json/task-json.js';
import { taskStatsJson } from '../json/task-stats.js';
import type { ClusterState } from '../state.js';

/** What an app view can embed (Marathon's AppInfo.Embed). */
export type AppEmbed = 'tasks' | 'lastTaskFailure' | 'taskStats' | 'readiness';

/**
 * Marathon's InfoEmbedResolver.resolveApp: an embed is accepted with any of the prefixes
 * "group.apps.", "apps.", "app." or none; the deprecated "failures" means tasks and
 * lastTaskFailure. Counts and deployments are always included; unknown values are ignored.
 */
export function resolveAppEmbeds(values: Iterable<string>): Set<AppEmbed> {
  const resolved = new Set<AppEmbed>();
  for (const value of values) {
    const name = value.replace(/^(group\.apps\.|apps\.|app\.)/, '');
    if (name === 'tasks' || name === 'lastTaskFailure' || name === 'taskStats') resolved.add(name);
    else if (name === 'readiness') resolved.add('readiness');
    else if (name === 'failures') {
      resolved.add('tasks');
      resolved.add('lastTaskFailure');
    }
  }
  return resolved;
}

/** An app with Marathon's counts and deployments, and the embeds asked for. */
export function appView(
  state: ClusterState,
  app: AppDefinition,
  embed: ReadonlySet<AppEmbed>,
  nowMs: number,
): Record<string, unknown> {
  const tasks = state.tasksOfApp(app.id);
  const count = (predicate: (t: (typeof tasks)[number]) => boolean): number =>
    tasks.filter(predicate).length;
  const hasChecks = app.healthChecks.length > 0;
  const deployment = state.deploymentOf(app.id);
  const view: Record<string, unknown> = {
    ...appJson(app),
    tasksStaged: count((t) => t.state === 'TASK_STAGING' || t.state === 'TASK_STARTING'),
    tasksRunning: count((t) => t.state === 'TASK_RUNNING'),
    tasksHealthy: hasChecks ? count((t) => t.state === 'TASK_RUNNING' && t.healthy === true) : 0,
    tasksUnhealthy: hasChecks ? count((t) => t.state === 'TASK_RUNNING' && t.healthy === false) : 0,
    deployments: deployment ? [{ id: deployment.id }] : [],
  };
  if (embed.has('tasks')) view.tasks = tasks.map(taskJson);
  if (embed.has('lastTaskFailure')) {
    const failure = state.runtime.get(app.id)?.lastFailure;
    if (failure) {
      view.lastTaskFailure = {
        appId: app.id,
        host: failure.host,
        message: failure.message,
        state: failure.state,
        taskId: failure.taskId,
        timestamp: new Date(failure.timestamp).toISOString(),
        version: failure.version,
      };
    }
  }
  if (embed.has('taskStats')) {
    // Marathon 1.5+ names the field tasksStats; earlier versions (and most clients) read
    // taskStats. Both carry the same object.
    const stats = taskStatsJson(app, tasks, nowMs);
    view.taskStats = stats;
    view.tasksStats = stats;
  }
  if (embed.has('readiness')) view.readinessCheckResults = [];
  return view;
}
