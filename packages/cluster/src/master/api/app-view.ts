import type { AppDefinition } from '../../core/app-definition.js';
import { appJson } from '../json/app-json.js';
import { taskJson } from '../json/task-json.js';
import type { ClusterState } from '../state.js';

/** An app with Marathon's counts and deployments, and the embeds asked for. */
export function appView(
  state: ClusterState,
  app: AppDefinition,
  embed: Set<string>,
  prefix: 'app' | 'apps',
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
  if (embed.has(`${prefix}.tasks`)) view.tasks = tasks.map(taskJson);
  if (embed.has(`${prefix}.lastTaskFailure`)) {
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
  if (embed.has(`${prefix}.taskStats`)) {
    view.taskStats = {
      totalSummary: {
        stats: {
          counts: {
            staged: view.tasksStaged,
            running: view.tasksRunning,
            healthy: view.tasksHealthy,
            unhealthy: view.tasksUnhealthy,
          },
        },
      },
    };
  }
  if (embed.has(`${prefix}.readiness`)) view.readinessCheckResults = [];
  return view;
}
