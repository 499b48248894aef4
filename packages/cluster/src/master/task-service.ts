import type { AppChange } from '../core/deployment-plan.js';
import { isTerminal } from '../core/task-state.js';
import type { AppService } from './app-service.js';
import type { MasterContext } from './context.js';
import { deploy, type DeploymentResult } from './deployments.js';
import { MasterErrors } from './master-errors.js';
import { keys, type TaskRecord } from './model.js';
import type { StoreOperation } from './store/state-store.js';
import { appendTo, sendKills, type KillOrder } from './dispatch.js';

/**
 * Killing tasks on a user's request. Without scale the app keeps its instance count and the
 * scheduler replaces the killed tasks; with scale the app's instances shrink by as many, in
 * a deployment.
 */
export async function killTasks(
  context: MasterContext,
  apps: AppService,
  taskIds: readonly string[],
  options: { scale: boolean; force: boolean },
): Promise<{ killed: TaskRecord[]; deployment?: DeploymentResult }> {
  const tasks = taskIds.map((id) => {
    const task = context.state.tasks.get(id);
    if (!task) throw MasterErrors.create('EXO_TASK_NOT_FOUND', `Task '${id}' does not exist`);
    return task;
  });
  let deployment: DeploymentResult | undefined;
  if (options.scale) {
    const version = apps.nextVersion();
    const perApp = new Map<string, number>();
    for (const task of tasks) {
      if (task.killRequestedAt === undefined && !isTerminal(task.state))
        perApp.set(task.appId, (perApp.get(task.appId) ?? 0) + 1);
    }
    const changes: AppChange[] = [...perApp]
      .filter(([appId]) => context.state.apps.has(appId))
      .map(([appId, count]) =>
        apps.scaleChange(appId, context.state.apps.get(appId)!.instances - count, version),
      );
    if (changes.length > 0)
      deployment = await deploy(context, changes, { force: options.force, version });
  }
  const now = context.clock.now();
  const operations: StoreOperation[] = [];
  const byAgent = new Map<string, KillOrder[]>();
  for (const task of tasks) {
    if (isTerminal(task.state)) continue;
    task.killRequestedAt ??= now;
    task.killReason = 'user';
    operations.push({ type: 'put', key: keys.task(task.id), value: task });
    if (task.state === 'TASK_UNREACHABLE') continue;
    appendTo(byAgent, task.agentId, {
      taskId: task.id,
      gracePeriodMs: task.spec.killGracePeriodMs,
    });
  }
  await context.persist(operations);
  for (const kills of byAgent.values())
    context.metrics.taskKills.inc({ reason: 'user' }, kills.length);
  sendKills(context, byAgent);
  context.wake();
  return deployment ? { killed: tasks, deployment } : { killed: tasks };
}
