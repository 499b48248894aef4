import type { Logger } from '@exosphere/common';
import type { MasterConfig } from '../config/schema.js';
import type { TaskView } from './app-tasks.js';
import { masterLocation, type MasterLocation } from './master-api.js';
import { MasterResolver } from './master-resolver.js';
import type { ResolverSettings } from './resolver-settings.js';

/** Where an upstream that follows an app gets its target URLs. */
export interface AppTargetSource {
  /** Identifies the master; part of an upstream's fingerprint so a new master means a new pool. */
  readonly key: string;
  /** Calls `onChange` with the app's target URLs now (when known) and after every change. */
  watch(options: {
    readonly app: string;
    readonly portIndex: number;
    readonly onChange: (urls: readonly string[]) => void;
  }): () => void;
}

export interface MasterStatus {
  readonly master: string;
  readonly connected: boolean;
  readonly failures: number;
  readonly apps: ReadonlyArray<[string, number]>;
}

/**
 * The gateway's link to compute-plane masters: one `MasterResolver` per master (the file's
 * `master`, else the one given by flags or environment), shared by every upstream that follows
 * an app on it, started on first use and closed when its last upstream is retired.
 */
export class AppDiscovery {
  private readonly resolvers = new Map<string, { resolver: MasterResolver; watches: number }>();

  constructor(
    private readonly options: {
      readonly defaultMaster?: MasterLocation | undefined;
      readonly logger: Logger;
      readonly settings?: Partial<ResolverSettings>;
    },
  ) {}

  /** Whether a master is configured outside the file, so `app` upstreams are valid without one. */
  get hasDefaultMaster(): boolean {
    return this.options.defaultMaster !== undefined;
  }

  /** The source for the configuration's master, or undefined when there is none at all. */
  sourceFor(master: MasterConfig | undefined): AppTargetSource | undefined {
    const location = master ? masterLocation(master.url, master.token) : this.options.defaultMaster;
    if (!location) return undefined;
    return {
      key: location.key,
      watch: ({ app, portIndex, onChange }) => {
        const entry = this.acquire(location);
        const stop = entry.resolver.watch(app, (tasks) => onChange(targetUrls(tasks, portIndex)));
        let stopped = false;
        return () => {
          if (stopped) return;
          stopped = true;
          stop();
          this.release(location.key);
        };
      },
    };
  }

  /** Resolves when every master in use has synced once, or after `timeoutMs`. */
  async whenSynced(timeoutMs: number): Promise<void> {
    await Promise.all(
      [...this.resolvers.values()].map((entry) => entry.resolver.whenSynced(timeoutMs)),
    );
  }

  status(): MasterStatus[] {
    return [...this.resolvers.values()].map(({ resolver }) => ({
      master: resolver.master.url,
      connected: resolver.connected,
      failures: resolver.failures,
      apps: resolver.readyCounts(),
    }));
  }

  close(): void {
    for (const { resolver } of this.resolvers.values()) resolver.close();
    this.resolvers.clear();
  }

  private acquire(location: MasterLocation): { resolver: MasterResolver; watches: number } {
    let entry = this.resolvers.get(location.key);
    if (!entry) {
      entry = {
        resolver: new MasterResolver(
          location,
          this.options.logger.child({ master: location.url }),
          this.options.settings,
        ),
        watches: 0,
      };
      this.resolvers.set(location.key, entry);
    }
    entry.watches++;
    return entry;
  }

  private release(key: string): void {
    const entry = this.resolvers.get(key);
    if (!entry) return;
    entry.watches--;
    if (entry.watches > 0) return;
    entry.resolver.close();
    this.resolvers.delete(key);
  }
}

/** `http://host:port` of each ready task, taking the port at `portIndex`; duplicates once. */
export function targetUrls(tasks: readonly TaskView[], portIndex: number): string[] {
  const urls = new Set<string>();
  for (const task of tasks) {
    const port = task.ports[portIndex];
    if (port === undefined || port === 0) continue;
    const host = task.host.includes(':') ? `[${task.host}]` : task.host;
    urls.add(`http://${host}:${port}`);
  }
  return [...urls];
}
