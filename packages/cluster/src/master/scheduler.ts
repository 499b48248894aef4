import { planApp, type TaskView } from '../core/app-plan.js';
import { taskIdFor } from '../core/path-id.js';
import { place } from '../core/placement.js';
import { PlacementLedger } from '../core/placement-ledger.js';
import type { AgentSnapshot } from '../core/placement-types.js';
import type { TaskLaunchSpec } from '../core/protocol.js';
import { addResources, zeroResources, type Resources } from '../core/resources.js';
import { isActive, isTerminal } from '../core/task-state.js';
import type { MasterContext } from './context.js';
import { buildLaunchSpec } from './launch-spec.js';
import { keys, type TaskRecord } from './model.js';
import { publishStateChange } from './task-updates.js';
import { appendTo, sendKills, sendLaunches, type KillOrder } from './dispatch.js';
import type { StoreOperation } from './store/state-store.js';

/**
 * One scheduling round: for every app, plan (pure core), place the launches on agents
 * (pure core), write the new tasks durably, then tell agents to launch and kill.
 * Task records are written before any launch is sent, so a master crash can never leave a
 * running task the master does not know about.
 */
export async function runSchedulingRound(
  context: MasterContext,
  frozenApps: ReadonlySet<string>,
): Promise<void> {
  const { state, clock } = context;
  const now = clock.now();
  const operations: StoreOperation[] = [];
  const launches = new Map<string, TaskLaunchSpec[]>();
  const kills = new Map<string, KillOrder[]>();
  let ledger: PlacementLedger | undefined;

  operations.push(...expungeUnreachable(context, now));
  for (const appId of state.appIdsWithWork()) {
    const app = state.apps.get(appId);
    const runtime = state.runtimeOf(appId);
    const tasks = state.tasksOfApp(appId);
    resetBackoffWhenStable(context, appId, tasks, now);
    const plan = planApp({
      app,
      tasks: tasks.map((t) => taskView(context, t, now)),
      launchDelayUntil: runtime.launchDelayUntil,
      now,
      frozen: frozenApps.has(appId),
      placementFailed: runtime.placement !== undefined,
    });
    runtime.delayedCount = plan.delayed;
    for (const { taskId, reason } of plan.kill) {
      const task = state.tasks.get(taskId)!;
      task.killRequestedAt = now;
      task.killReason = reason;
      operations.push({ type: 'put', key: keys.task(task.id), value: task });
      context.metrics.taskKills.inc({ reason });
      if (reason === 'unhealthy') {
        context.events.publish('unhealthy_instance_kill_event', {
          appId,
          taskId,
          instanceId: taskId,
          version: task.version,
          reason: 'health check failures',
          host: task.host,
          slaveId: task.agentId,
        });
      }
      if (task.state === 'TASK_UNREACHABLE') continue; // killed when its agent returns
      appendTo(kills, task.agentId, { taskId, gracePeriodMs: task.spec.killGracePeriodMs });
    }
    if (!app || plan.launch === 0) {
      if (plan.delayed === 0) runtime.placement = undefined;
      if (plan.launch === 0 && plan.delayed === 0) runtime.waitingSince = undefined;
      continue;
    }
    runtime.waitingSince ??= now;
    ledger ??= buildLedger(context);
    const result = place(
      {
        appId,
        resources: { cpus: app.cpus, mem: app.mem, disk: app.disk },
        ports: app.portDefinitions.map((p) => (app.requirePorts ? p.port : 0)),
        requirePorts: app.requirePorts,
        constraints: app.constraints,
        existing: tasks
          .filter((t) => isActive(t.state) && t.killRequestedAt === undefined)
          .map((t) => ({ agentId: t.agentId })),
        count: plan.launch,
        strategy: context.settings.placementStrategy,
      },
      ledger,
    );
    context.metrics.placements.inc({}, result.placements.length);
    for (const placement of result.placements) {
      const agent = state.agents.get(placement.agentId)!;
      const taskId = taskIdFor(appId, context.random.uuid());
      const spec = buildLaunchSpec(app, taskId, placement.ports);
      const task: TaskRecord = {
        id: taskId,
        appId,
        agentId: agent.id,
        host: agent.hostname,
        ports: placement.ports,
        servicePorts: app.portDefinitions.map((p) => p.port),
        configVersion: app.versionInfo.lastConfigChangeAt,
        version: app.version,
        resources: spec.resources,
        spec,
        state: 'TASK_STAGING',
        stagedAt: now,
        updatedAt: now,
        wasUnreachable: false,
      };
      state.addTask(task);
      operations.push({ type: 'put', key: keys.task(task.id), value: task });
      appendTo(launches, agent.id, spec);
      publishStateChange(context, task, 'TASK_STAGING');
    }
    if (result.diagnosis) {
      const unplaced = plan.launch - result.placements.length;
      runtime.placement = { diagnosis: result.diagnosis, at: now, unplaced };
      for (const [reason, count] of Object.entries(result.diagnosis.rejections)) {
        context.metrics.placementFailures.inc({ reason }, count ?? 0);
      }
    } else {
      runtime.placement = undefined;
      runtime.waitingSince = undefined;
    }
  }
  await context.persist(operations);
  sendLaunches(context, launches);
  sendKills(context, kills);
}

/** What the pure planner sees of a task. An unreachable task inside the app's inactiveAfterSeconds still counts. */
function taskView(context: MasterContext, task: TaskRecord, now: number): TaskView {
  const app = context.state.apps.get(task.appId);
  const inactiveAfterMs = (app?.unreachableStrategy.inactiveAfterSeconds ?? 0) * 1000;
  const stillCounts =
    task.state === 'TASK_UNREACHABLE' &&
    task.unreachableSince !== undefined &&
    now - task.unreachableSince < inactiveAfterMs;
  return {
    id: task.id,
    configVersion: task.configVersion,
    state: stillCounts ? 'TASK_RUNNING' : task.state,
    stagedAt: task.stagedAt,
    healthy: task.healthy,
    killRequested: task.killRequestedAt !== undefined,
    wasUnreachable: task.wasUnreachable,
  };
}

/** Unreachable tasks past the app's expungeAfterSeconds are forgotten (TASK_GONE). */
function expungeUnreachable(context: MasterContext, now: number): StoreOperation[] {
  const operations: StoreOperation[] = [];
  for (const task of [...context.state.tasks.values()]) {
    if (task.state !== 'TASK_UNREACHABLE' || task.unreachableSince === undefined) continue;
    const app = context.state.apps.get(task.appId);
    const expungeAfterMs = (app?.unreachableStrategy.expungeAfterSeconds ?? 0) * 1000;
    if (now - task.unreachableSince < expungeAfterMs) continue;
    task.state = 'TASK_GONE';
    task.message = 'expunged: unreachable for longer than expungeAfterSeconds';
    publishStateChange(context, task, 'TASK_UNREACHABLE');
    context.state.removeTask(task.id);
    operations.push({ type: 'delete', key: keys.task(task.id) });
  }
  return operations;
}

/** A crash loop is over once a task of the current configuration has been ready for a while. */
function resetBackoffWhenStable(
  context: MasterContext,
  appId: string,
  tasks: readonly TaskRecord[],
  now: number,
): void {
  const runtime = context.state.runtimeOf(appId);
  if (runtime.consecutiveFailures === 0) return;
  const app = context.state.apps.get(appId);
  if (!app) return;
  const stableMs = Math.max(10_000, runtime.launchDelayUntil > 0 ? app.backoffSeconds * 1000 : 0);
  const stable = tasks.some(
    (t) =>
      t.state === 'TASK_RUNNING' &&
      t.configVersion === app.versionInfo.lastConfigChangeAt &&
      t.startedAt !== undefined &&
      now - t.startedAt >= stableMs &&
      (app.healthChecks.length === 0 || t.healthy === true),
  );
  if (stable) {
    runtime.consecutiveFailures = 0;
    runtime.launchDelayUntil = 0;
  }
}

/** Agents as placement sees them: totals and what their non-terminal tasks use. */
export function buildLedger(context: MasterContext): PlacementLedger {
  const snapshots: AgentSnapshot[] = [];
  for (const agent of context.state.agents.values()) {
    let used: Resources = zeroResources;
    const usedPorts = new Set<number>();
    for (const task of context.state.tasksOnAgent(agent.id)) {
      if (isTerminal(task.state)) continue;
      used = addResources(used, task.resources);
      for (const port of task.ports) usedPorts.add(port);
    }
    snapshots.push({
      id: agent.id,
      hostname: agent.hostname,
      attributes: agent.attributes,
      total: agent.resources,
      used,
      usedPorts,
      schedulable: agent.condition === 'active',
    });
  }
  return new PlacementLedger(snapshots);
}
