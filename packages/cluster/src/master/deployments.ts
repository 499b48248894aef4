import type { AppDefinition } from '../core/app-definition.js';
import { isConverged } from '../core/app-plan.js';
import { findDependencyCycle, planSteps, type AppChange } from '../core/deployment-plan.js';
import type { MasterContext } from './context.js';
import { MasterErrors } from './master-errors.js';
import { keys, type DeploymentRecord } from './model.js';
import { deploymentPlanJson } from './json/deployment-json.js';
import type { StoreOperation } from './store/state-store.js';

export interface DeploymentResult {
  deploymentId: string;
  version: string;
}

/**
 * Applies a set of app changes as one deployment: checks locks and dependency cycles,
 * then writes the new definitions, their versions and the deployment record in one
 * atomic commit. Either all of it is stored or none of it.
 */
export async function deploy(
  context: MasterContext,
  changes: readonly AppChange[],
  options: { force: boolean; version: string; extraOperations?: StoreOperation[] },
): Promise<DeploymentResult> {
  const { state } = context;
  const locking = new Set<DeploymentRecord>();
  for (const change of changes) {
    const deployment = state.deploymentOf(change.id);
    if (deployment) locking.add(deployment);
  }
  if (locking.size > 0 && !options.force) {
    const ids = [...locking].map((d) => d.id);
    throw MasterErrors.create(
      'EXO_APP_LOCKED',
      `App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/${ids[0]}'.`,
      { data: { deployments: ids.map((id) => ({ id })) } },
    );
  }
  const after = new Map<string, { dependencies: readonly string[] }>(state.apps);
  for (const change of changes) {
    if (change.target) after.set(change.id, change.target);
    else after.delete(change.id);
  }
  const cycle = findDependencyCycle(after);
  if (cycle) {
    throw MasterErrors.create('EXO_DEPENDENCY_CYCLE', `dependency cycle: ${cycle.join(' -> ')}`, {
      details: [{ path: '/dependencies', errors: [`cycle ${cycle.join(' -> ')}`] }],
    });
  }

  const operations: StoreOperation[] = [...(options.extraOperations ?? [])];
  const canceled = [...locking];
  for (const deployment of canceled)
    operations.push({ type: 'delete', key: keys.deployment(deployment.id) });

  const steps = planSteps(changes);
  const deploymentId = context.random.uuid();
  const record: DeploymentRecord = {
    id: deploymentId,
    version: options.version,
    affectedApps: changes.map((c) => c.id),
    steps,
    currentStep: 1,
    startedAt: context.clock.now(),
    originals: Object.fromEntries(changes.map((c) => [c.id, c.original ?? null])),
    targets: Object.fromEntries(changes.map((c) => [c.id, c.target ?? null])),
  };
  for (const change of changes) {
    if (change.target) {
      operations.push({ type: 'put', key: keys.app(change.id), value: change.target });
      operations.push({
        type: 'put',
        key: keys.version(change.id, change.target.version),
        value: change.target,
      });
      operations.push(...pruneVersions(context, change.id));
    } else {
      operations.push({ type: 'delete', key: keys.app(change.id) });
      for (const version of state.versions.get(change.id) ?? []) {
        operations.push({ type: 'delete', key: keys.version(change.id, version) });
      }
    }
  }
  if (steps.length > 0)
    operations.push({ type: 'put', key: keys.deployment(deploymentId), value: record });

  await context.persist(operations);

  // Durable: now change memory and tell the world.
  for (const deployment of canceled) {
    state.deployments.delete(deployment.id);
    context.events.publish('deployment_failed', {
      id: deployment.id,
      plan: deploymentPlanJson(deployment),
      reason: 'canceled by a forced change',
    });
  }
  for (const change of changes) {
    if (change.target) {
      const previous = change.original;
      state.apps.set(change.id, change.target);
      const versions = state.versions.get(change.id) ?? [];
      versions.push(change.target.version);
      state.versions.set(change.id, versions.slice(-context.settings.versionsMax));
      if (
        !previous ||
        previous.versionInfo.lastConfigChangeAt !== change.target.versionInfo.lastConfigChangeAt
      ) {
        // A new configuration starts with a clean crash-loop record.
        const runtime = state.runtimeOf(change.id);
        runtime.consecutiveFailures = 0;
        runtime.launchDelayUntil = 0;
      }
    } else {
      state.apps.delete(change.id);
      state.versions.delete(change.id);
      context.events.publish('app_terminated_event', { appId: change.id });
    }
  }
  if (steps.length > 0) {
    state.deployments.set(deploymentId, record);
    context.events.publish('deployment_info', {
      plan: deploymentPlanJson(record),
      currentStep: record.steps[0],
    });
  }
  context.events.publish('group_change_success', { groupId: '/', version: options.version });
  context.wake();
  return { deploymentId, version: options.version };
}

function pruneVersions(context: MasterContext, appId: string): StoreOperation[] {
  const versions = context.state.versions.get(appId) ?? [];
  const excess = versions.length + 1 - context.settings.versionsMax;
  return excess > 0
    ? versions
        .slice(0, excess)
        .map((v) => ({ type: 'delete' as const, key: keys.version(appId, v) }))
    : [];
}

/** Apps in steps that have not started yet: the scheduler leaves them alone. */
export function frozenApps(context: MasterContext): Set<string> {
  const frozen = new Set<string>();
  for (const deployment of context.state.deployments.values()) {
    deployment.steps.forEach((step, index) => {
      if (index + 1 > deployment.currentStep)
        for (const action of step.actions) frozen.add(action.app);
    });
  }
  return frozen;
}

/** Advances deployments whose current step converged; finishes those past their last step. */
export function progressDeployments(context: MasterContext): StoreOperation[] {
  const { state, clock } = context;
  const operations: StoreOperation[] = [];
  for (const deployment of [...state.deployments.values()]) {
    for (;;) {
      const step = deployment.steps[deployment.currentStep - 1];
      if (!step) break;
      const done = step.actions.every((action) => {
        const app = state.apps.get(action.app);
        const views = state.tasksOfApp(action.app).map((t) => ({
          id: t.id,
          configVersion: t.configVersion,
          state: t.state,
          stagedAt: t.stagedAt,
          healthy: t.healthy,
          killRequested: t.killRequestedAt !== undefined,
          wasUnreachable: t.wasUnreachable,
        }));
        return isConverged(app, views);
      });
      if (!done) break;
      context.events.publish('deployment_step_success', {
        plan: deploymentPlanJson(deployment),
        currentStep: step,
      });
      deployment.currentStep++;
      if (deployment.currentStep > deployment.steps.length) {
        state.deployments.delete(deployment.id);
        operations.push({ type: 'delete', key: keys.deployment(deployment.id) });
        context.metrics.deploymentDuration.observe((clock.now() - deployment.startedAt) / 1000);
        context.events.publish('deployment_success', {
          id: deployment.id,
          plan: deploymentPlanJson(deployment),
        });
        break;
      }
      operations.push({ type: 'put', key: keys.deployment(deployment.id), value: deployment });
      context.events.publish('deployment_info', {
        plan: deploymentPlanJson(deployment),
        currentStep: deployment.steps[deployment.currentStep - 1],
      });
    }
  }
  return operations;
}

/**
 * DELETE /v2/deployments/{id}: without force, starts a deployment back to each affected
 * app's original definition (deleting apps the deployment created); with force, only
 * removes the deployment and leaves apps as they are.
 */
export async function cancelDeployment(
  context: MasterContext,
  deploymentId: string,
  options: { force: boolean; version: string },
): Promise<DeploymentResult | undefined> {
  const deployment = context.state.deployments.get(deploymentId);
  if (!deployment)
    throw MasterErrors.create('EXO_DEPLOYMENT_NOT_FOUND', `no deployment '${deploymentId}'`);
  if (options.force) {
    await context.persist([{ type: 'delete', key: keys.deployment(deploymentId) }]);
    context.state.deployments.delete(deploymentId);
    context.events.publish('deployment_failed', {
      id: deploymentId,
      plan: deploymentPlanJson(deployment),
      reason: 'canceled',
    });
    return undefined;
  }
  const changes: AppChange[] = deployment.affectedApps.map((id) => {
    const original = deployment.originals[id] ?? undefined;
    const current = context.state.apps.get(id);
    // The original's configuration version is kept, so tasks still running it count as
    // current and only the tasks of the abandoned configuration are replaced.
    const target: AppDefinition | undefined = original
      ? {
          ...original,
          version: options.version,
          versionInfo: { ...original.versionInfo, lastScalingAt: options.version },
        }
      : undefined;
    return { id, original: current, target };
  });
  return deploy(context, changes, { force: true, version: options.version });
}
