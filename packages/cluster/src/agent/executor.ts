import type { TaskLaunchSpec, TaskStatus } from '../core/protocol.js';

/**
 * Runs tasks on one agent. The real implementation starts OS process trees in sandboxes;
 * the simulation has an in-memory one. Either way the agent core only sees this interface.
 */
export interface Executor {
  /** Starts a task; idempotent per taskId (a second launch of a known task is ignored). */
  launch(spec: TaskLaunchSpec): Promise<void>;
  /** Stops a task: SIGTERM to its whole tree, SIGKILL after `gracePeriodMs`. Idempotent. */
  kill(taskId: string, gracePeriodMs: number): Promise<void>;
  /** Status of every task known (running, and ended but not yet forgotten). */
  list(): TaskStatus[];
  /** Drops an ended task from `list()` once the master has recorded its end. */
  forget(taskId: string): void;
  /** Called on every state or health change. */
  onUpdate(listener: (status: TaskStatus) => void): void;
  /** Re-attaches to tasks left running by a previous agent process (from the checkpoint). */
  recover(): Promise<void>;
  /** Stops the executor; kills every task when `killTasks`, otherwise leaves them running. */
  shutdown(options: { killTasks: boolean }): Promise<void>;
  /** How resources are isolated here, or why they are not (shown to users). */
  isolation(): string;
}
