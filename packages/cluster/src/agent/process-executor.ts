import type { TaskLaunchSpec, TaskStatus } from '../core/protocol.js';
import { isTerminal } from '../core/task-state.js';
import type { Executor } from './executor.js';
import { ExecutorTasks, type ProcessExecutorOptions } from './executor-tasks.js';
import { isSafeTaskId, sandboxPath } from './sandbox.js';
import { startKill } from './task-kill.js';
import { recoverTasks } from './task-recovery.js';
import { startTask } from './task-start.js';

export type { ProcessExecutorOptions } from './executor-tasks.js';

/**
 * Runs each task as a real process tree: a wrapper (task-wrapper.ts) in its own process
 * group and, where available, its own cgroups, inside `<workDir>/sandboxes/<taskId>`.
 * Every change is checkpointed so a restarted agent re-attaches instead of killing tasks.
 * Starting is in task-start.ts, killing in task-kill.ts, re-attaching in task-recovery.ts;
 * the shared task table and state changes in executor-tasks.ts.
 */
export class ProcessExecutor implements Executor {
  private readonly tasks: ExecutorTasks;

  constructor(private readonly options: ProcessExecutorOptions) {
    if (!isSafeTaskId(options.agentId)) {
      throw new Error(`agent id '${options.agentId}' must be letters, digits, '.', '_', ':', '-'`);
    }
    this.tasks = new ExecutorTasks(options);
  }

  isolation(): string {
    return this.tasks.cgroups?.description ?? 'not enforced: cgroup isolation is turned off';
  }

  /** The sandbox folder of a task (it may not exist). */
  sandboxDir(taskId: string): string | undefined {
    return isSafeTaskId(taskId) ? sandboxPath(this.options.workDir, taskId) : undefined;
  }

  onUpdate(listener: (status: TaskStatus) => void): void {
    this.tasks.onUpdate(listener);
  }

  list(): TaskStatus[] {
    return [...this.tasks.tasks.values()].map((record) => this.tasks.statusOf(record));
  }

  forget(taskId: string): void {
    const record = this.tasks.tasks.get(taskId);
    if (record === undefined || !isTerminal(record.status.state)) return;
    this.tasks.tasks.delete(taskId);
    void this.tasks.checkpoint.save();
  }

  async launch(spec: TaskLaunchSpec): Promise<void> {
    if (this.tasks.stopped || this.tasks.tasks.has(spec.taskId)) return;
    await startTask(this.tasks, spec);
  }

  async kill(taskId: string, gracePeriodMs: number): Promise<void> {
    const record = this.tasks.tasks.get(taskId);
    if (record === undefined || isTerminal(record.status.state)) return;
    if (!record.killRequested) {
      record.killRequested = true;
      record.killGracePeriodMs = Math.max(0, gracePeriodMs);
      this.tasks.setState(record, { state: 'TASK_KILLING' });
      // A launch still fetching stops; one still spawning sends the signals itself once it
      // has a pid.
      record.launchAbort.abort();
      if (record.pid !== undefined) startKill(this.tasks, record);
    }
    await record.ended;
  }

  async recover(): Promise<void> {
    await recoverTasks(this.tasks);
  }

  async shutdown(options: { killTasks: boolean }): Promise<void> {
    const records = [...this.tasks.tasks.values()];
    if (options.killTasks) {
      await Promise.all(
        records.map((record) => this.kill(record.spec.taskId, record.spec.killGracePeriodMs)),
      );
    }
    this.tasks.stopped = true;
    for (const record of this.tasks.tasks.values()) {
      record.health?.stop();
      record.livenessTimer?.cancel();
      record.killTimer?.cancel();
      // Leaving a task running: this executor must not react to its end any more; the next
      // agent process re-attaches from the checkpoint and learns the exit status from the file.
      record.child?.removeAllListeners('exit');
      // Nor keep this process alive: a task left running may outlive the agent process.
      record.child?.unref();
    }
    await this.tasks.checkpoint.save();
    await this.tasks.checkpoint.flushed();
    if (options.killTasks) this.tasks.cgroups?.removeAgentFolders();
  }
}
