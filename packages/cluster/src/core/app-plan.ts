import type { AppDefinition, KillSelection } from './app-definition.js';
import { isActive, type TaskState } from './task-state.js';

/**
 * What the controller decides for one app in one round: how many new instances of the
 * current configuration to launch and which tasks to kill. A pure function of the app, its
 * tasks and `now`; the master applies the result. The same function drives steady state
 * (keep `instances` running, replace lost and unhealthy tasks) and rolling upgrades.
 */
export interface TaskView {
  readonly id: string;
  /** The app's versionInfo.lastConfigChangeAt the task was launched with. */
  readonly configVersion: string;
  readonly state: TaskState;
  readonly stagedAt: number;
  readonly healthy: boolean | undefined;
  /** A kill was already sent; the task no longer counts toward instances. */
  readonly killRequested: boolean;
  /** The task came back from an agent that had been declared unreachable. */
  readonly wasUnreachable: boolean;
}

export type KillReason = 'scale-down' | 'upgrade' | 'unhealthy' | 'duplicate' | 'app-deleted';

export interface AppPlanInput {
  /** undefined when the app was deleted: every task is killed. */
  readonly app: AppDefinition | undefined;
  readonly tasks: readonly TaskView[];
  /** Launches wait until this time (crash-loop backoff). */
  readonly launchDelayUntil: number;
  readonly now: number;
  /** A deployment step this app waits for has not started: change nothing. */
  readonly frozen: boolean;
  /** The previous round could not place this app's launches. */
  readonly placementFailed: boolean;
}

export interface AppPlan {
  readonly launch: number;
  readonly kill: readonly { readonly taskId: string; readonly reason: KillReason }[];
  /** Launches wanted but held back by the backoff delay. */
  readonly delayed: number;
}

const noChange: AppPlan = { launch: 0, kill: [], delayed: 0 };

export function planApp(input: AppPlanInput): AppPlan {
  const { app } = input;
  const live = input.tasks.filter((t) => !t.killRequested && isActive(t.state));
  if (!app)
    return {
      launch: 0,
      kill: live.map((t) => ({ taskId: t.id, reason: 'app-deleted' as const })),
      delayed: 0,
    };
  if (input.frozen) return noChange;

  const configVersion = app.versionInfo.lastConfigChangeAt;
  const current = live.filter((t) => t.configVersion === configVersion);
  const old = live.filter((t) => t.configVersion !== configVersion);
  const hasChecks = app.healthChecks.length > 0;
  const ready = (t: TaskView): boolean =>
    t.state === 'TASK_RUNNING' && (!hasChecks || t.healthy === true);

  // Tasks already told to stop still run (and hold resources) until they exit: a rolling
  // upgrade counts them against maximumOverCapacity.
  const dyingTasks = input.tasks.filter(
    (t) => t.killRequested && (isActive(t.state) || t.state === 'TASK_KILLING'),
  );
  const dying = dyingTasks.length;
  // The upgrade lasts until the last old task has exited, not only until it was told to stop:
  // until then launches stay bounded by maximumOverCapacity.
  const upgrading = old.length > 0 || dyingTasks.some((t) => t.configVersion !== configVersion);
  const plan = !upgrading
    ? planSteady(app, current, ready, input)
    : planRolling({ app, current, old, ready, dying });
  if (plan.launch > 0 && input.launchDelayUntil > input.now) {
    return { launch: 0, kill: plan.kill, delayed: plan.launch };
  }
  return plan;
}

function planSteady(
  app: AppDefinition,
  current: readonly TaskView[],
  ready: (t: TaskView) => boolean,
  input: AppPlanInput,
): AppPlan {
  const wanted = app.instances;
  const unhealthy = current.filter((t) => t.healthy === false);
  const serving = current.filter((t) => t.healthy !== false);
  const kill: { taskId: string; reason: KillReason }[] = [];

  const readyTotal = serving.filter(ready).length;
  const reason: KillReason = serving.some((t) => t.wasUnreachable) ? 'duplicate' : 'scale-down';
  // Duplicates (tasks back from an unreachable agent next to their replacements) wait until
  // `wanted` of them are ready: until then no one knows which copy will run, and killing
  // either could leave the app with none running.
  if (serving.length > wanted && (reason === 'scale-down' || readyTotal >= wanted)) {
    // Surplus is killed in killOrder, but never so that fewer tasks stay ready than were
    // ready (up to `wanted`): when an agent returns before its replacements run, the
    // replacements that are not running yet are dropped instead of the tasks that serve.
    let excess = serving.length - wanted;
    const readyFloor = Math.min(wanted, readyTotal);
    let readyLeft = readyTotal;
    for (const task of killOrder(serving, ready, app.killSelection)) {
      if (excess === 0) break;
      if (ready(task)) {
        if (readyLeft - 1 < readyFloor) continue;
        readyLeft--;
      }
      kill.push({ taskId: task.id, reason });
      excess--;
    }
  }
  // An unhealthy task is killed only once its replacement is ready, so capacity never dips
  // (or at once when the replacement cannot be placed: it may be holding the resources).
  const readyServing = serving.filter(ready).length;
  for (const task of unhealthy) {
    if (readyServing >= wanted || input.placementFailed || wanted === 0)
      kill.push({ taskId: task.id, reason: 'unhealthy' });
  }
  return { launch: Math.max(0, wanted - serving.length), kill, delayed: 0 };
}

function planRolling(input: {
  app: AppDefinition;
  current: readonly TaskView[];
  old: readonly TaskView[];
  ready: (t: TaskView) => boolean;
  dying: number;
}): AppPlan {
  const { app, current, old, ready, dying } = input;
  const wanted = app.instances;
  const minimumHealthy = Math.ceil(wanted * app.upgradeStrategy.minimumHealthCapacity);
  let maximumCapacity = Math.floor(wanted * (1 + app.upgradeStrategy.maximumOverCapacity));
  // minimumHealthCapacity 1 with maximumOverCapacity 0 would never make progress; like
  // Marathon, allow one instance over capacity in that case.
  if (wanted > 0 && maximumCapacity <= minimumHealthy) maximumCapacity = minimumHealthy + 1;

  const kill: { taskId: string; reason: KillReason }[] = [];
  let killableReady = Math.max(
    0,
    current.filter(ready).length + old.filter(ready).length - minimumHealthy,
  );
  for (const task of killOrder(old, ready, app.killSelection)) {
    if (!ready(task)) {
      kill.push({ taskId: task.id, reason: 'upgrade' });
    } else if (killableReady > 0) {
      kill.push({ taskId: task.id, reason: 'upgrade' });
      killableReady--;
    }
  }
  if (current.length > wanted) {
    for (const task of killOrder(current, ready, app.killSelection).slice(
      0,
      current.length - wanted,
    )) {
      kill.push({ taskId: task.id, reason: 'scale-down' });
    }
  }
  // Tasks killed in this round run until they exit, so they still take capacity now.
  const remaining = current.length + old.length + dying;
  const launch = Math.max(0, Math.min(wanted - current.length, maximumCapacity - remaining));
  return { launch, kill, delayed: 0 };
}

/**
 * The order in which to kill: tasks back from an unreachable agent first (their
 * replacements already run), then tasks not ready, then by the app's killSelection.
 */
export function killOrder(
  tasks: readonly TaskView[],
  ready: (t: TaskView) => boolean,
  selection: KillSelection,
): TaskView[] {
  return [...tasks].sort((a, b) => {
    if (a.wasUnreachable !== b.wasUnreachable) return a.wasUnreachable ? -1 : 1;
    const readyA = ready(a);
    if (readyA !== ready(b)) return readyA ? 1 : -1;
    const byAge =
      selection === 'YOUNGEST_FIRST' ? b.stagedAt - a.stagedAt : a.stagedAt - b.stagedAt;
    return byAge !== 0 ? byAge : a.id < b.id ? -1 : 1;
  });
}

/** True when the app runs exactly its instances, all of the current configuration and ready. */
export function isConverged(app: AppDefinition | undefined, tasks: readonly TaskView[]): boolean {
  const alive = tasks.filter((t) => isActive(t.state) || t.state === 'TASK_KILLING');
  if (!app) return alive.length === 0;
  const hasChecks = app.healthChecks.length > 0;
  const configVersion = app.versionInfo.lastConfigChangeAt;
  if (alive.length !== app.instances) return false;
  return alive.every(
    (t) =>
      !t.killRequested &&
      t.configVersion === configVersion &&
      t.state === 'TASK_RUNNING' &&
      (!hasChecks || t.healthy === true),
  );
}
