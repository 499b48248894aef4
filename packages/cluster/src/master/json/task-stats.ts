import type { AppDefinition } from '../../core/app-definition.js';
import type { TaskRecord } from '../model.js';

/**
 * Marathon's `taskStats` embed (TaskStatsByVersion): counts and lifetimes for all tasks and for
 * three subsets. A subset without tasks is left out, as Marathon leaves it out.
 */
export function taskStatsJson(
  app: AppDefinition,
  tasks: readonly TaskRecord[],
  nowMs: number,
): Record<string, unknown> {
  const lastScalingMs = Date.parse(app.versionInfo.lastScalingAt);
  const latestConfig = app.versionInfo.lastConfigChangeAt;
  const subsets: Record<string, readonly TaskRecord[]> = {
    startedAfterLastScaling: tasks.filter((t) => t.stagedAt >= lastScalingMs),
    withLatestConfig: tasks.filter((t) => t.configVersion === latestConfig),
    withOutdatedConfig: tasks.filter((t) => t.configVersion !== latestConfig),
    totalSummary: tasks,
  };
  const json: Record<string, unknown> = {};
  for (const [name, subset] of Object.entries(subsets)) {
    if (subset.length > 0) json[name] = { stats: statsOf(app, subset, nowMs) };
  }
  return json;
}

function statsOf(
  app: AppDefinition,
  tasks: readonly TaskRecord[],
  nowMs: number,
): Record<string, unknown> {
  const hasChecks = app.healthChecks.length > 0;
  const running = tasks.filter((t) => t.state === 'TASK_RUNNING');
  const lifeTimes = tasks
    .filter((t) => t.startedAt !== undefined)
    .map((t) => Math.max(0, nowMs - t.startedAt!) / 1000)
    .sort((a, b) => a - b);
  const stats: Record<string, unknown> = {
    counts: {
      staged: tasks.filter((t) => t.state === 'TASK_STAGING' || t.state === 'TASK_STARTING').length,
      running: running.length,
      healthy: hasChecks ? running.filter((t) => t.healthy === true).length : 0,
      unhealthy: hasChecks ? running.filter((t) => t.healthy === false).length : 0,
    },
  };
  if (lifeTimes.length > 0) {
    const middle = Math.floor(lifeTimes.length / 2);
    stats.lifeTime = {
      averageSeconds: lifeTimes.reduce((sum, s) => sum + s, 0) / lifeTimes.length,
      medianSeconds:
        lifeTimes.length % 2 === 1
          ? lifeTimes[middle]!
          : (lifeTimes[middle - 1]! + lifeTimes[middle]!) / 2,
    };
  }
  return stats;
}
