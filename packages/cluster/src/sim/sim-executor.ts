import type { TaskLaunchSpec, TaskStatus } from '../core/protocol.js';
import type { Executor } from '../agent/executor.js';
import type { SimHost } from './sim-host.js';

/**
 * The Executor of one simulated agent process. It owns nothing: the processes live on the
 * SimHost, so `shutdown({ killTasks: false })` leaves them running and the executor of the next
 * agent process on the same host finds them again in `recover()`.
 */
export class SimExecutor implements Executor {
  private attached = false;
  private readonly listeners: ((status: TaskStatus) => void)[] = [];
  private readonly forward = (status: TaskStatus): void => {
    for (const listener of this.listeners) listener(status);
  };

  constructor(private readonly host: SimHost) {}

  launch(spec: TaskLaunchSpec): Promise<void> {
    if (this.attached) this.host.start(spec);
    return Promise.resolve();
  }

  kill(taskId: string, gracePeriodMs: number): Promise<void> {
    if (this.attached) this.host.kill(taskId, gracePeriodMs);
    return Promise.resolve();
  }

  list(): TaskStatus[] {
    return this.attached ? this.host.statuses() : [];
  }

  forget(taskId: string): void {
    if (this.attached) this.host.forget(taskId);
  }

  onUpdate(listener: (status: TaskStatus) => void): void {
    this.listeners.push(listener);
  }

  recover(): Promise<void> {
    if (this.host.alive) {
      this.attached = true;
      this.host.attach(this.forward);
    }
    return Promise.resolve();
  }

  shutdown(options: { killTasks: boolean }): Promise<void> {
    if (this.attached && options.killTasks) {
      for (const process of this.host.liveProcesses()) this.host.kill(process.spec.taskId, 0);
    }
    this.detach();
    return Promise.resolve();
  }

  /** The agent process died (SIGKILL): the host stops reporting to this executor. */
  detach(): void {
    this.attached = false;
    this.host.detach(this.forward);
  }

  isolation(): string {
    return 'simulated: no isolation';
  }
}
