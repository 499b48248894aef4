import type { Logger } from '@exosphere/common';
import { AppTasks, type TaskView } from './app-tasks.js';
import { EventStreamParser, type StreamEvent } from './event-stream-parser.js';
import { fetchAppWithTasks, openEventStream, type MasterLocation } from './master-api.js';
import { applyMasterEvent } from './apply-event.js';
import { defaultResolverSettings, type ResolverSettings } from './resolver-settings.js';

/** Called with the tasks of an app that take traffic, after every change to that list. */
export type ReadyTasksListener = (tasks: readonly TaskView[]) => void;

/** The event types the resolver follows (the master's names, Marathon's too). */
const followedTypes = [
  'status_update_event',
  'health_status_changed_event',
  'instance_health_changed_event',
  'app_terminated_event',
  'deployment_info',
  'deployment_success',
  'deployment_failed',
  'deployment_step_success',
  'deployment_step_failure',
];

/** One connection to the master: its stream, and the events held while it syncs. */
interface Connection {
  readonly controller: AbortController;
  syncing: number;
  held: Array<Record<string, unknown>>;
}

interface WatchedApp {
  readonly tasks: AppTasks;
  readonly listeners: Set<ReadyTasksListener>;
  /** Set once a snapshot of the app was applied; listeners hear nothing before. */
  synced: boolean;
  /** The ready list last announced, as text, so unchanged lists are not announced again. */
  announced: string;
  ready: readonly TaskView[];
}

/**
 * Follows the tasks of the apps in use on one master. At start and after every reconnect it
 * opens `GET /v2/events`, then fetches every watched app with its tasks (a full sync); events
 * that arrive during a sync are held and replayed on top of the snapshot, so a change between
 * the snapshot and the subscription is never lost. Afterwards each event is applied as it
 * arrives and the listeners of the apps it changed hear the new ready list at once.
 *
 * While the master is unreachable the last known tasks are kept (an outage of the master does
 * not take down the apps it runs); the connection is retried with capped exponential backoff.
 */
export class MasterResolver {
  private readonly settings: ResolverSettings;
  private readonly apps = new Map<string, WatchedApp>();
  private readonly dirty = new Set<string>();
  private readonly pending = new Set<string>();
  private pendingScheduled = false;
  /** The open connection, once the stream's head has arrived. */
  private connection: Connection | undefined;
  private attempt: AbortController | undefined;
  private closed = false;
  private wake: (() => void) | undefined;
  /** Settles after the first connection attempt, synced or failed. */
  private firstAttempt: (() => void) | undefined;
  private readonly firstAttempted: Promise<void>;
  /** Whether the stream is open and its full sync done. */
  connected = false;
  /** Connection attempts that failed or streams that ended. */
  failures = 0;

  constructor(
    readonly master: MasterLocation,
    private readonly logger: Logger,
    settings: Partial<ResolverSettings> = {},
  ) {
    this.settings = { ...defaultResolverSettings, ...settings };
    this.firstAttempted = new Promise((resolve) => (this.firstAttempt = resolve));
    void this.run();
  }

  /**
   * Listens to the ready tasks of `appId`. The listener hears the current list at once when the
   * app is already synced, then every change. Returns the function that stops listening.
   */
  watch(appId: string, listener: ReadyTasksListener): () => void {
    let app = this.apps.get(appId);
    if (!app) {
      app = {
        tasks: new AppTasks(appId),
        listeners: new Set(),
        synced: false,
        announced: '',
        ready: [],
      };
      this.apps.set(appId, app);
      this.scheduleSync(appId);
    }
    const watched = app;
    watched.listeners.add(listener);
    if (watched.synced) listener(watched.ready);
    return () => {
      watched.listeners.delete(listener);
      if (watched.listeners.size === 0 && this.apps.get(appId) === watched) this.apps.delete(appId);
    };
  }

  /** The apps watched and how many of their tasks are ready (for metrics). */
  readyCounts(): Array<[string, number]> {
    return [...this.apps].map(([appId, app]) => [appId, app.ready.length]);
  }

  get watchedCount(): number {
    return this.apps.size;
  }

  /**
   * Resolves after the first full sync or the first failed attempt (a master that is down
   * does not hold the gateway's start back), or after `timeoutMs`.
   */
  async whenSynced(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.firstAttempted,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }

  close(): void {
    this.closed = true;
    this.attempt?.abort();
    this.wake?.();
    this.firstAttempt?.();
  }

  private async run(): Promise<void> {
    let delayMs = this.settings.reconnectInitialMs;
    let downSinceMs: number | undefined;
    while (!this.closed) {
      const controller = new AbortController();
      this.attempt = controller;
      try {
        const body = await openEventStream(this.master, {
          types: followedTypes,
          signal: controller.signal,
          connectTimeoutMs: this.settings.requestTimeoutMs,
        });
        const connection: Connection = { controller, syncing: 0, held: [] };
        this.connection = connection;
        this.pending.clear();
        // The stream is open before the snapshot is asked for: every later change is an event.
        const reading = this.read(body, connection);
        await Promise.race([this.sync([...this.apps.keys()], connection), reading]);
        this.connected = true;
        this.firstAttempt?.();
        delayMs = this.settings.reconnectInitialMs;
        if (downSinceMs !== undefined)
          this.logger.info('following the master again; targets resynced', {
            master: this.master.url,
            downMs: Math.round(performance.now() - downSinceMs),
            apps: this.apps.size,
          });
        downSinceMs = undefined;
        await reading;
      } catch (error) {
        if (this.closed) break;
        this.failures++;
        this.firstAttempt?.();
        if (downSinceMs === undefined) {
          downSinceMs = performance.now();
          this.logger.warn(
            'the master is unreachable; app upstreams keep their last known targets',
            { master: this.master.url, error: describe(error), retryInMs: delayMs },
          );
        } else
          this.logger.debug('the master is still unreachable', {
            master: this.master.url,
            error: describe(error),
            retryInMs: delayMs,
          });
      } finally {
        controller.abort();
        this.connection = undefined;
        this.connected = false;
      }
      if (this.closed) break;
      // Jitter spreads the reconnects of many gateways after a master restart.
      await this.sleep(delayMs * (0.8 + Math.random() * 0.4));
      delayMs = Math.min(delayMs * 2, this.settings.reconnectMaxMs);
    }
  }

  private sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, delayMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Reads the stream until it ends (an error then) or the connection is aborted. */
  private async read(body: ReadableStream<Uint8Array>, connection: Connection): Promise<void> {
    const { controller } = connection;
    const parser = new EventStreamParser(this.settings.eventCharsMax);
    const decoder = new TextDecoder();
    const reader = body.getReader();
    let idle: NodeJS.Timeout | undefined;
    const armIdle = (): void => {
      clearTimeout(idle);
      idle = setTimeout(
        () => controller.abort(new Error(`no data for ${this.settings.idleTimeoutMs} ms`)),
        this.settings.idleTimeoutMs,
      );
    };
    try {
      armIdle();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) throw new Error('the master closed the event stream');
        armIdle();
        for (const event of parser.push(decoder.decode(value, { stream: true })))
          this.receive(event, connection);
        this.announce();
      }
    } catch (error) {
      throw controller.signal.aborted && controller.signal.reason instanceof Error
        ? controller.signal.reason
        : error;
    } finally {
      clearTimeout(idle);
      await reader.cancel().catch(() => undefined);
    }
  }

  private receive(event: StreamEvent, connection: Connection): void {
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    if (typeof data !== 'object' || data === null) return;
    const fields = { ...(data as Record<string, unknown>), eventType: event.type };
    if (connection.syncing > 0) {
      if (connection.held.length >= this.settings.bufferedEventsMax) {
        connection.controller.abort(new Error('too many events during a sync'));
        return;
      }
      connection.held.push(fields);
      return;
    }
    this.apply(fields);
  }

  private apply(event: Record<string, unknown>): void {
    applyMasterEvent(event, {
      tasksOf: (appId) => (typeof appId === 'string' ? this.apps.get(appId)?.tasks : undefined),
      changed: (appId) => this.dirty.add(appId),
      refetch: (appId) => {
        if (this.apps.has(appId)) this.scheduleSync(appId);
      },
    });
  }

  private scheduleSync(appId: string): void {
    // Without a stream, the next connection's full sync covers every watched app.
    if (!this.connection) return;
    this.pending.add(appId);
    if (this.pendingScheduled) return;
    this.pendingScheduled = true;
    setImmediate(() => {
      this.pendingScheduled = false;
      const connection = this.connection;
      if (!connection || this.pending.size === 0) return;
      const appIds = [...this.pending];
      this.pending.clear();
      this.sync(appIds, connection).catch((error: unknown) => {
        // A master that cannot answer a fetch is treated like a lost stream: reconnect, resync.
        connection.controller.abort(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  /** Fetches `appIds` and replaces their state, holding events meanwhile, then replays them. */
  private async sync(appIds: readonly string[], connection: Connection): Promise<void> {
    connection.syncing++;
    let snapshots: Array<[string, Record<string, unknown> | undefined]>;
    try {
      snapshots = await mapConcurrently(appIds, this.settings.fetchConcurrency, async (appId) => [
        appId,
        await fetchAppWithTasks(this.master, appId, {
          timeoutMs: this.settings.requestTimeoutMs,
          bytesMax: this.settings.responseBytesMax,
          signal: connection.controller.signal,
        }),
      ]);
    } finally {
      connection.syncing--;
    }
    if (connection.controller.signal.aborted) return;
    for (const [appId, snapshot] of snapshots) {
      const app = this.apps.get(appId);
      if (!app) continue;
      app.tasks.replace(snapshot);
      app.synced = true;
      this.dirty.add(appId);
    }
    if (connection.syncing === 0) {
      const held = connection.held;
      connection.held = [];
      for (const event of held) this.apply(event);
    }
    this.announce();
  }

  /** Tells the listeners of every changed app its new ready list (unchanged lists are quiet). */
  private announce(): void {
    for (const appId of this.dirty) {
      const app = this.apps.get(appId);
      if (!app?.synced) continue;
      const ready = app.tasks.ready();
      const text = JSON.stringify(ready.map((task) => [task.id, task.host, task.ports]));
      if (text === app.announced) continue;
      app.announced = text;
      app.ready = ready;
      for (const listener of app.listeners) listener(ready);
    }
    this.dirty.clear();
  }
}

/** fetch() reports "fetch failed" and hides the reason (ECONNREFUSED...) in `cause`. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
