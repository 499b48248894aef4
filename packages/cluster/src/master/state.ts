import type { AppDefinition } from '../core/app-definition.js';
import type { StateStore } from './store/state-store.js';
import { JobState } from './jobs/job-state.js';
import {
  keys,
  type AgentRecord,
  type AppRuntime,
  type DeploymentRecord,
  type GroupRecord,
  type TaskRecord,
} from './model.js';

/**
 * The master's in-memory view of the cluster, loaded from the store at start and kept in
 * step with it: every change is made here synchronously and then committed to the store.
 * Reads (the API, the scheduler) never touch the store.
 */
export class ClusterState {
  readonly apps = new Map<string, AppDefinition>();
  /** Version strings per app, oldest first. */
  readonly versions = new Map<string, string[]>();
  readonly tasks = new Map<string, TaskRecord>();
  readonly agents = new Map<string, AgentRecord>();
  readonly deployments = new Map<string, DeploymentRecord>();
  readonly groups = new Map<string, GroupRecord>();
  readonly runtime = new Map<string, AppRuntime>();
  /** Jobs, schedules, runs and their history. */
  jobs = new JobState();
  private readonly tasksByApp = new Map<string, Set<string>>();
  private readonly tasksByAgent = new Map<string, Set<string>>();

  static async load(store: StateStore): Promise<ClusterState> {
    const state = new ClusterState();
    for (const { value } of await store.list(keys.appPrefix)) {
      const app = value as AppDefinition;
      state.apps.set(app.id, app);
    }
    for (const { key } of await store.list('versions/')) {
      const at = key.lastIndexOf('@');
      const appId = key.slice('versions'.length, at);
      const list = state.versions.get(appId) ?? [];
      list.push(key.slice(at + 1));
      state.versions.set(appId, list);
    }
    for (const list of state.versions.values()) list.sort();
    for (const { value } of await store.list(keys.taskPrefix)) state.addTask(value as TaskRecord);
    for (const { value } of await store.list(keys.agentPrefix)) {
      const agent = value as AgentRecord;
      state.agents.set(agent.id, agent);
    }
    for (const { value } of await store.list(keys.deploymentPrefix)) {
      const deployment = value as DeploymentRecord;
      state.deployments.set(deployment.id, deployment);
    }
    state.jobs = await JobState.load(store);
    for (const { value } of await store.list(keys.groupPrefix)) {
      const group = value as GroupRecord;
      state.groups.set(group.id, group);
    }
    return state;
  }

  addTask(task: TaskRecord): void {
    this.tasks.set(task.id, task);
    index(this.tasksByApp, task.appId).add(task.id);
    index(this.tasksByAgent, task.agentId).add(task.id);
  }

  removeTask(id: string): void {
    const task = this.tasks.get(id);
    if (!task) return;
    this.tasks.delete(id);
    this.tasksByApp.get(task.appId)?.delete(id);
    this.tasksByAgent.get(task.agentId)?.delete(id);
  }

  tasksOfApp(appId: string): TaskRecord[] {
    return [...(this.tasksByApp.get(appId) ?? [])].map((id) => this.tasks.get(id)!);
  }

  tasksOnAgent(agentId: string): TaskRecord[] {
    return [...(this.tasksByAgent.get(agentId) ?? [])].map((id) => this.tasks.get(id)!);
  }

  /**
   * App ids that have a definition or still have tasks (deleted apps being stopped). Job
   * tasks are indexed under "job:<id>" owners, which are not app paths, and are left out.
   */
  appIdsWithWork(): string[] {
    const ids = new Set(this.apps.keys());
    for (const [appId, set] of this.tasksByApp)
      if (set.size > 0 && appId.startsWith('/')) ids.add(appId);
    return [...ids].sort();
  }

  runtimeOf(appId: string): AppRuntime {
    let runtime = this.runtime.get(appId);
    if (!runtime) {
      runtime = { consecutiveFailures: 0, launchDelayUntil: 0, delayedCount: 0 };
      this.runtime.set(appId, runtime);
    }
    return runtime;
  }

  /** The deployment that currently includes `appId`, if any. */
  deploymentOf(appId: string): DeploymentRecord | undefined {
    for (const deployment of this.deployments.values())
      if (deployment.affectedApps.includes(appId)) return deployment;
    return undefined;
  }
}

function index(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}
