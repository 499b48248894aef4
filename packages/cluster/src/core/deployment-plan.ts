import { configFingerprint, type AppDefinition } from './app-definition.js';

/**
 * Marathon deployment plans: the apps a change affects, ordered into steps so that an app
 * starts only after the apps it depends on (and stops before them).
 */
export type DeploymentActionName =
  'StartApplication' | 'StopApplication' | 'ScaleApplication' | 'RestartApplication';

export interface DeploymentAction {
  readonly action: DeploymentActionName;
  readonly app: string;
}

export interface DeploymentStep {
  readonly actions: readonly DeploymentAction[];
}

export interface AppChange {
  readonly id: string;
  readonly original: AppDefinition | undefined;
  readonly target: AppDefinition | undefined;
}

export function actionFor(change: AppChange): DeploymentActionName | undefined {
  if (!change.original && change.target) return 'StartApplication';
  if (change.original && !change.target) return 'StopApplication';
  if (!change.original || !change.target) return undefined;
  if (
    change.target.versionInfo.lastConfigChangeAt !== change.original.versionInfo.lastConfigChangeAt
  ) {
    return 'RestartApplication';
  }
  if (configFingerprint(change.target) !== configFingerprint(change.original))
    return 'RestartApplication';
  return 'ScaleApplication';
}

/** Steps by dependency level: level k holds apps whose dependencies (among the changed apps) are all in levels < k. */
export function planSteps(changes: readonly AppChange[]): DeploymentStep[] {
  const byId = new Map(changes.map((c) => [c.id, c]));
  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const levelOf = (id: string): number => {
    const known = level.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // cycles are rejected before planning; never loop here
    visiting.add(id);
    const change = byId.get(id)!;
    const dependencies = (change.target ?? change.original)?.dependencies ?? [];
    let result = 0;
    for (const dependency of dependencies)
      if (byId.has(dependency)) result = Math.max(result, levelOf(dependency) + 1);
    visiting.delete(id);
    level.set(id, result);
    return result;
  };
  const starting: DeploymentAction[][] = [];
  const stopping: DeploymentAction[][] = [];
  for (const change of [...changes].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const action = actionFor(change);
    if (!action) continue;
    const index = levelOf(change.id);
    const list = action === 'StopApplication' ? stopping : starting;
    (list[index] ??= []).push({ action, app: change.id });
  }
  // Stops run in reverse dependency order (dependents first), before starts.
  const steps = [...stopping.reverse(), ...starting].filter(
    (actions) => actions && actions.length > 0,
  );
  return steps.map((actions) => ({ actions }));
}

/** The first dependency cycle among `apps`, as a path of ids, or undefined. */
export function findDependencyCycle(
  apps: ReadonlyMap<string, { dependencies: readonly string[] }>,
): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const mark = state.get(id);
    if (mark === 'done') return undefined;
    if (mark === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const dependency of apps.get(id)?.dependencies ?? []) {
      if (!apps.has(dependency)) continue;
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of [...apps.keys()].sort()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}
