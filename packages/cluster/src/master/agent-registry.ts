import type {
  HeartbeatRequest,
  HeartbeatResponse,
  RegisterRequest,
  RegisterResponse,
  TaskLaunchSpec,
  TaskStatus,
} from '../core/protocol.js';
import { isTerminal } from '../core/task-state.js';
import type { MasterContext } from './context.js';
import { keys, type AgentRecord } from './model.js';
import { applyTaskStatus, publishStateChange } from './task-updates.js';
import type { StoreOperation } from './store/state-store.js';

/**
 * Agents: registration, heartbeats and liveness. An agent silent for longer than
 * agentTimeoutMs is declared unreachable and its tasks become TASK_UNREACHABLE, which the
 * scheduler replaces at once. Liveness uses the monotonic clock, and a master that itself
 * stalled (a long pause between rounds) first gives every agent a fresh grace period, so a
 * slow master never declares healthy agents dead.
 */
export class AgentRegistry {
  /** Monotonic time each agent was last heard from. */
  private readonly lastSeen = new Map<string, number>();
  private lastCheck: number | undefined;

  constructor(private readonly context: MasterContext) {
    const now = context.clock.monotonic();
    // After a master restart every known agent gets a full timeout to check in.
    for (const id of context.state.agents.keys()) this.lastSeen.set(id, now);
  }

  async register(request: RegisterRequest): Promise<RegisterResponse> {
    const { state, clock } = this.context;
    const now = clock.now();
    const existing = state.agents.get(request.agentId);
    const agent: AgentRecord = {
      id: request.agentId,
      hostname: request.hostname,
      url: request.url,
      resources: request.resources,
      attributes: { ...request.attributes },
      isolation: request.isolation,
      registeredAt: existing?.registeredAt ?? now,
      condition: 'active',
      lastHeartbeatAt: now,
    };
    state.agents.set(agent.id, agent);
    this.lastSeen.set(agent.id, clock.monotonic());
    if (!existing) {
      this.context.events.publish('agent_registered_event', {
        agentId: agent.id,
        hostname: agent.hostname,
        url: agent.url,
      });
      this.context.logger.info('agent registered', {
        agentId: agent.id,
        hostname: agent.hostname,
        url: agent.url,
      });
    } else if (existing.condition === 'unreachable') {
      this.context.logger.info('agent reachable again', { agentId: agent.id });
    }
    const operations: StoreOperation[] = [{ type: 'put', key: keys.agent(agent.id), value: agent }];
    this.reconcileReport(agent, request.tasks, operations);
    await this.context.persist(operations);
    this.context.wake();
    return {
      masterId: this.context.masterId,
      heartbeatIntervalMs: this.context.settings.heartbeatIntervalMs,
    };
  }

  async heartbeat(request: HeartbeatRequest): Promise<HeartbeatResponse> {
    const { state, clock, metrics } = this.context;
    const agent = state.agents.get(request.agentId);
    if (!agent) return { known: false, kill: [], launch: [], acknowledged: [] };
    const monotonicNow = clock.monotonic();
    const previous = this.lastSeen.get(agent.id);
    if (previous !== undefined) metrics.heartbeatLag.observe((monotonicNow - previous) / 1000);
    this.lastSeen.set(agent.id, monotonicNow);
    agent.lastHeartbeatAt = clock.now();
    const operations: StoreOperation[] = [];
    if (agent.condition === 'unreachable') {
      agent.condition = 'active';
      operations.push({ type: 'put', key: keys.agent(agent.id), value: agent });
      this.context.logger.info('agent reachable again', { agentId: agent.id });
    }
    const response = this.reconcileReport(agent, request.tasks, operations);
    await this.context.persist(operations);
    return response;
  }

  /**
   * Compares an agent's full task report with what the master believes runs there, and
   * answers with what the agent must kill, (re)launch and forget.
   */
  private reconcileReport(
    agent: AgentRecord,
    reported: readonly TaskStatus[],
    operations: StoreOperation[],
  ): HeartbeatResponse {
    const { state, clock, settings } = this.context;
    const now = clock.now();
    const kill: { taskId: string; gracePeriodMs: number }[] = [];
    const acknowledged: string[] = [];
    const seen = new Set<string>();
    for (const status of reported) {
      seen.add(status.taskId);
      const task = state.tasks.get(status.taskId);
      if (!task || task.agentId !== agent.id) {
        // Unknown to the master: already recorded as ended, or never launched by it.
        if (isTerminal(status.state)) acknowledged.push(status.taskId);
        else kill.push({ taskId: status.taskId, gracePeriodMs: 0 });
        continue;
      }
      operations.push(...applyTaskStatus(this.context, task, status));
      if (isTerminal(status.state)) acknowledged.push(status.taskId);
      else if (task.killRequestedAt !== undefined && status.state !== 'TASK_KILLING') {
        kill.push({ taskId: task.id, gracePeriodMs: task.spec.killGracePeriodMs });
      }
    }
    const launch: TaskLaunchSpec[] = [];
    for (const task of state.tasksOnAgent(agent.id)) {
      if (seen.has(task.id) || isTerminal(task.state)) continue;
      if (task.state === 'TASK_STAGING') {
        if (task.killRequestedAt !== undefined || now - task.stagedAt > settings.launchTimeoutMs) {
          this.endTask(task.id, 'TASK_LOST', 'the launch never reached the agent', operations);
        } else if (now - task.stagedAt > settings.heartbeatIntervalMs * 2) {
          launch.push(task.spec); // the push may have been lost: launches are idempotent
        }
      } else if (task.state === 'TASK_UNREACHABLE') {
        // The agent is back and its report is complete: a task it no longer has is gone
        // (the host rebooted, or the task ended while the agent was cut off).
        this.endTask(task.id, 'TASK_GONE', 'the agent returned without this task', operations);
      } else if (now - task.updatedAt > settings.heartbeatIntervalMs * 4) {
        // The time guard keeps a heartbeat that was in flight before the task started from
        // wrongly declaring it lost.
        this.endTask(task.id, 'TASK_LOST', 'the agent no longer knows this task', operations);
      }
    }
    return { known: true, kill, launch, acknowledged };
  }

  private endTask(
    taskId: string,
    state: 'TASK_LOST' | 'TASK_GONE',
    message: string,
    operations: StoreOperation[],
  ): void {
    const task = this.context.state.tasks.get(taskId);
    if (!task) return;
    operations.push(
      ...applyTaskStatus(this.context, task, {
        taskId,
        state,
        updatedAt: this.context.clock.now(),
        message,
      }),
    );
  }

  /**
   * Declares silent agents unreachable. Returns the store operations to persist.
   */
  checkLiveness(): StoreOperation[] {
    const { state, clock, settings, metrics, logger, events } = this.context;
    const monotonicNow = clock.monotonic();
    const operations: StoreOperation[] = [];
    if (
      this.lastCheck !== undefined &&
      monotonicNow - this.lastCheck > settings.agentTimeoutMs / 2
    ) {
      // The master itself was paused (GC, CPU starvation, SIGSTOP): heartbeats may be queued
      // unread. Extend every agent's grace instead of declaring them dead.
      logger.warn('master stalled; extending agent grace period', {
        stallMs: Math.round(monotonicNow - this.lastCheck),
      });
      for (const id of this.lastSeen.keys()) this.lastSeen.set(id, monotonicNow);
    }
    this.lastCheck = monotonicNow;
    for (const agent of state.agents.values()) {
      if (agent.condition !== 'active') continue;
      const seen = this.lastSeen.get(agent.id) ?? monotonicNow;
      if (!this.lastSeen.has(agent.id)) this.lastSeen.set(agent.id, monotonicNow);
      if (monotonicNow - seen <= settings.agentTimeoutMs) continue;
      agent.condition = 'unreachable';
      metrics.agentsLost.inc();
      logger.warn('agent unreachable: no heartbeat', {
        agentId: agent.id,
        silentMs: Math.round(monotonicNow - seen),
      });
      events.publish('agent_unreachable_event', { agentId: agent.id, hostname: agent.hostname });
      operations.push({ type: 'put', key: keys.agent(agent.id), value: agent });
      for (const task of state.tasksOnAgent(agent.id)) {
        if (isTerminal(task.state) || task.state === 'TASK_UNREACHABLE') continue;
        const previous = task.state;
        task.state = 'TASK_UNREACHABLE';
        task.unreachableSince = clock.now();
        task.updatedAt = clock.now();
        task.message = 'agent unreachable';
        publishStateChange(this.context, task, previous);
        operations.push({ type: 'put', key: keys.task(task.id), value: task });
      }
    }
    return operations;
  }

  /** Drops the liveness entry of an agent that was removed. */
  forget(agentId: string): void {
    this.lastSeen.delete(agentId);
  }
}
