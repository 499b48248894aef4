import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { readFile, rmdir, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock, Logger } from '@exosphere/common';
import type { Resources } from '../core/resources.js';

/** The cgroup v1 controllers the agent uses: CPU bandwidth, memory limits and pid tracking. */
const controllerNames = ['cpu', 'memory', 'pids'] as const;
type ControllerName = (typeof controllerNames)[number];

/** A file that proves a folder is the v1 hierarchy of that controller. */
const markerFiles: Record<ControllerName, string> = {
  cpu: 'cpu.shares',
  memory: 'memory.limit_in_bytes',
  pids: 'cgroup.procs',
};

const mebibyte = 1024 * 1024;
const cfsPeriodUs = 100_000;
const cfsQuotaMinimumUs = 1000;

export interface MemoryEvents {
  /** `oom_kill` from memory.oom_control (kernel 4.13+): processes the OOM killer killed. */
  readonly oomKills: number;
  readonly underOom: boolean;
  /** memory.failcnt: how often usage hit the limit. */
  readonly failCount: number;
}

export interface CgroupIsolationOptions {
  /** Where the v1 controllers are mounted, normally /sys/fs/cgroup. */
  readonly root: string;
  readonly agentId: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Per-task cgroups v1 at `<root>/<controller>/exosphere/<agentId>/<taskId>`. Availability is
 * probed once, by creating the agent's folder in each controller; whatever is not usable is
 * named in `description` instead of being silently skipped.
 */
export class CgroupIsolation {
  readonly description: string;
  private readonly controllers: readonly ControllerName[];

  constructor(private readonly options: CgroupIsolationOptions) {
    const usable: ControllerName[] = [];
    const problems: string[] = [];
    for (const controller of controllerNames) {
      const problem = this.probe(controller);
      if (problem === undefined) usable.push(controller);
      else problems.push(problem);
    }
    this.controllers = usable;
    if (usable.length === 0) {
      this.description = `not enforced: ${problems.join('; ')}`;
    } else {
      this.description =
        `cgroups v1: ${usable.join(', ')} enforced` +
        (problems.length > 0 ? `; not enforced: ${problems.join('; ')}` : '');
    }
  }

  get enabled(): boolean {
    return this.controllers.length > 0;
  }

  get enforcesMemory(): boolean {
    return this.controllers.includes('memory');
  }

  /** Creates the task's cgroups with its limits; returns the cgroup.procs files to join. */
  async create(taskId: string, resources: Resources): Promise<string[]> {
    const files: string[] = [];
    for (const controller of this.controllers) {
      const directory = this.taskDirectory(controller, taskId);
      await mkdir(directory, { recursive: true });
      if (controller === 'memory' && resources.mem > 0) {
        const bytes = String(Math.round(resources.mem * mebibyte));
        await writeFile(join(directory, 'memory.limit_in_bytes'), bytes);
        // Memory plus swap gets the same limit, so a task cannot spill past its limit into swap.
        const swapFile = join(directory, 'memory.memsw.limit_in_bytes');
        if (existsSync(swapFile)) await writeFile(swapFile, bytes);
      }
      if (controller === 'cpu' && resources.cpus > 0) {
        const quotaUs = Math.max(cfsQuotaMinimumUs, Math.round(resources.cpus * cfsPeriodUs));
        await writeFile(join(directory, 'cpu.cfs_period_us'), String(cfsPeriodUs));
        await writeFile(join(directory, 'cpu.cfs_quota_us'), String(quotaUs));
        await writeFile(
          join(directory, 'cpu.shares'),
          String(Math.max(2, Math.round(resources.cpus * 1024))),
        );
      }
      files.push(join(directory, 'cgroup.procs'));
    }
    return files;
  }

  /** Every pid in the task's cgroups, including processes that left the process group. */
  async pids(taskId: string): Promise<number[]> {
    const pids = new Set<number>();
    for (const controller of this.controllers) {
      let text: string;
      try {
        text = await readFile(join(this.taskDirectory(controller, taskId), 'cgroup.procs'), 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n')) {
        const pid = Number.parseInt(line, 10);
        if (Number.isInteger(pid) && pid > 0) pids.add(pid);
      }
    }
    return [...pids];
  }

  async memoryEvents(taskId: string): Promise<MemoryEvents | undefined> {
    if (!this.enforcesMemory) return undefined;
    const directory = this.taskDirectory('memory', taskId);
    try {
      const control = await readFile(join(directory, 'memory.oom_control'), 'utf8');
      const failCount = Number.parseInt(
        await readFile(join(directory, 'memory.failcnt'), 'utf8'),
        10,
      );
      return {
        oomKills: Number(/^oom_kill (\d+)$/m.exec(control)?.[1] ?? 0),
        underOom: /^under_oom 1$/m.test(control),
        failCount: Number.isInteger(failCount) ? failCount : 0,
      };
    } catch {
      return undefined;
    }
  }

  /** Removes the task's cgroups, retrying while the last processes are still exiting. */
  async remove(taskId: string): Promise<void> {
    for (const controller of this.controllers) {
      const directory = this.taskDirectory(controller, taskId);
      for (let attempt = 0; ; attempt++) {
        try {
          await rmdir(directory);
          break;
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') break;
          if (attempt >= 20) {
            this.options.logger.warn('could not remove a task cgroup', { directory, error });
            break;
          }
          await this.options.clock.sleep(50);
        }
      }
    }
  }

  /** Removes the agent's folders when no task cgroup is left (best effort, at shutdown). */
  removeAgentFolders(): void {
    for (const controller of this.controllers) {
      try {
        rmdirSync(this.agentDirectory(controller));
      } catch {
        // Tasks left running keep their cgroups, and so the agent folder, on purpose.
      }
    }
  }

  private probe(controller: ControllerName): string | undefined {
    const mount = join(this.options.root, controller);
    if (!existsSync(join(mount, markerFiles[controller]))) {
      return existsSync(join(this.options.root, 'cgroup.controllers'))
        ? `${this.options.root} is cgroups v2, which the agent does not drive yet`
        : `${mount} is not a cgroup v1 ${controller} hierarchy`;
    }
    try {
      mkdirSync(this.agentDirectory(controller), { recursive: true });
      return undefined;
    } catch (error) {
      return `${mount} is not writable (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
    }
  }

  private agentDirectory(controller: ControllerName): string {
    return join(this.options.root, controller, 'exosphere', this.options.agentId);
  }

  private taskDirectory(controller: ControllerName, taskId: string): string {
    return join(this.agentDirectory(controller), taskId);
  }
}
