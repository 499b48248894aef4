import type { Counter, Gauge, Histogram, MetricsRegistry } from '@exosphere/common';
import { taskStates } from '../core/task-state.js';
import type { ClusterState } from './state.js';

/** The master's Prometheus metrics. */
export interface MasterMetrics {
  readonly placements: Counter;
  readonly placementFailures: Counter;
  readonly heartbeatLag: Histogram;
  readonly deploymentDuration: Histogram;
  readonly agentsLost: Counter;
  readonly taskLaunches: Counter;
  readonly taskKills: Counter;
  readonly schedulingRound: Histogram;
}

export function createMasterMetrics(
  registry: MetricsRegistry,
  state: () => ClusterState,
): MasterMetrics {
  const tasks: Gauge = registry.gauge('exo_tasks', 'Tasks by state.');
  tasks.collect(() => {
    const counts = new Map<string, number>(taskStates.map((s) => [s, 0]));
    for (const task of state().tasks.values())
      counts.set(task.state, (counts.get(task.state) ?? 0) + 1);
    return [...counts].map(([s, n]) => [{ state: s }, n]);
  });
  registry.gauge('exo_agents', 'Agents by condition.').collect(() => {
    const counts = { active: 0, unreachable: 0 };
    for (const agent of state().agents.values()) counts[agent.condition]++;
    return Object.entries(counts).map(([condition, n]) => [{ condition }, n]);
  });
  registry.gauge('exo_apps', 'Apps defined.').collect(() => [[{}, state().apps.size]]);
  registry
    .gauge('exo_deployments', 'Deployments in progress.')
    .collect(() => [[{}, state().deployments.size]]);
  return {
    placements: registry.counter('exo_placements_total', 'Task instances placed on agents.'),
    placementFailures: registry.counter(
      'exo_placement_failures_total',
      'Instances that could not be placed, by reason.',
    ),
    heartbeatLag: registry.histogram(
      'exo_agent_heartbeat_lag_seconds',
      'Time between consecutive heartbeats of an agent.',
      [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
    ),
    deploymentDuration: registry.histogram(
      'exo_deployment_duration_seconds',
      'Time from deployment start to success.',
      [0.5, 1, 2, 5, 10, 30, 60, 300, 900],
    ),
    agentsLost: registry.counter(
      'exo_agents_lost_total',
      'Agents declared unreachable after missing heartbeats.',
    ),
    taskLaunches: registry.counter('exo_task_launches_total', 'Task launches sent to agents.'),
    taskKills: registry.counter('exo_task_kills_total', 'Task kills sent to agents, by reason.'),
    schedulingRound: registry.histogram(
      'exo_scheduling_round_seconds',
      'Duration of one scheduling round.',
      [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
    ),
  };
}
