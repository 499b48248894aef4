import type { CallRecord } from '../analytics/call-record.js';
import { decodeRecords, encodeRecords } from '../analytics/record-batch.js';
import type { LeaseRequester } from './leased-limiter.js';
import { isClusterMessage, type ChangeKind, type ClusterMessage } from './messages.js';

/** How long a worker waits for the primary: a lease, a propagation, the others' metrics. */
export interface WorkerLinkTimeouts {
  readonly leaseMs: number;
  readonly propagateMs: number;
  readonly metricsMs: number;
}

const defaultTimeouts: WorkerLinkTimeouts = { leaseMs: 1000, propagateMs: 5000, metricsMs: 3000 };
/** Requests waiting for the primary at once; more are refused at once (never queued without end). */
const pendingMax = 100_000;
/** Analytics batches on their way to the primary; past this, a batch is dropped and counted. */
const analyticsBatchesMax = 8;

type Answer = Extract<ClusterMessage, { id: number }>;

/**
 * A worker's end of the IPC channel to the primary of `exo gateway --workers N`: requests with
 * ids and timeouts (leases, propagation, metrics), and the primary's requests to this worker
 * (reload, metrics, shutdown).
 */
export class WorkerLink {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (message: Answer) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }
  >();
  private analyticsInFlight = 0;
  /** Call records dropped because the channel to the primary was backed up. */
  analyticsDropped = 0;
  private onReload: ((what: ChangeKind) => Promise<unknown>) | undefined;
  private onMetrics: (() => string) | undefined;
  private onShutdown: (() => void) | undefined;
  private onAnalytics: ((records: readonly CallRecord[]) => void) | undefined;
  private readonly timeouts: WorkerLinkTimeouts;

  constructor(
    readonly index: number,
    readonly workers: number,
    timeouts: Partial<WorkerLinkTimeouts> = {},
  ) {
    this.timeouts = { ...defaultTimeouts, ...timeouts };
    process.on('message', (message: unknown) => {
      if (isClusterMessage(message)) this.receive(message);
    });
  }

  /** The admin worker: the admin API, the summed analytics, the aggregated /metrics. */
  get isAdmin(): boolean {
    return this.index === 0;
  }

  readonly lease: LeaseRequester = (request) =>
    this.request({ exo: 'lease', id: 0, ...request }, this.timeouts.leaseMs).then((answer) => {
      if (answer.exo !== 'lease-granted') throw new Error(`unexpected answer ${answer.exo}`);
      return { tokens: answer.tokens, count: answer.count };
    });

  /**
   * Tells the other workers to re-read what changed on disk, and waits until they did (or the
   * timeout passed: a worker that is restarting reads everything when it starts anyway).
   */
  async propagate(what: ChangeKind): Promise<void> {
    if (this.workers <= 1) return;
    await this.request({ exo: 'changed', id: 0, what }, this.timeouts.propagateMs).catch(
      () => undefined,
    );
  }

  /** The Prometheus text of every other worker. */
  async gatherMetrics(): Promise<ReadonlyArray<{ worker: number; text: string }>> {
    if (this.workers <= 1) return [];
    const answer = await this.request({ exo: 'metrics-request', id: 0 }, this.timeouts.metricsMs);
    return answer.exo === 'metrics-gathered' ? answer.texts : [];
  }

  forwardAnalytics(records: readonly CallRecord[]): void {
    if (records.length === 0) return;
    if (this.analyticsInFlight >= analyticsBatchesMax || !process.send) {
      this.analyticsDropped += records.length;
      return;
    }
    this.analyticsInFlight++;
    const message: ClusterMessage = { exo: 'analytics', batch: encodeRecords(records) };
    process.send(message, undefined, {}, () => {
      this.analyticsInFlight--;
    });
  }

  handleReload(handler: (what: ChangeKind) => Promise<unknown>): void {
    this.onReload = handler;
  }

  handleMetrics(handler: () => string): void {
    this.onMetrics = handler;
  }

  handleShutdown(handler: () => void): void {
    this.onShutdown = handler;
  }

  handleAnalytics(handler: (records: readonly CallRecord[]) => void): void {
    this.onAnalytics = handler;
  }

  send(message: ClusterMessage): void {
    process.send?.(message);
  }

  /** Fails everything still waiting (the worker is closing). */
  close(): void {
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new Error('the gateway worker is closing'));
      this.pending.delete(id);
    }
  }

  private request(message: Answer, timeoutMs: number): Promise<Answer> {
    return new Promise((resolve, reject) => {
      if (this.pending.size >= pendingMax || !process.send || !process.connected) {
        reject(new Error('the primary cannot take more requests'));
        return;
      }
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the primary did not answer ${message.exo} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      process.send({ ...message, id });
    });
  }

  private receive(message: ClusterMessage): void {
    switch (message.exo) {
      case 'lease-granted':
      case 'propagated':
      case 'metrics-gathered': {
        const waiting = this.pending.get(message.id);
        if (waiting === undefined) return;
        this.pending.delete(message.id);
        clearTimeout(waiting.timer);
        waiting.resolve(message);
        return;
      }
      case 'reload': {
        const { id } = message;
        const done = (): void => this.send({ exo: 'reloaded', id });
        void (this.onReload?.(message.what) ?? Promise.resolve()).then(done, done);
        return;
      }
      case 'metrics-request':
        this.send({ exo: 'metrics', id: message.id, text: this.onMetrics?.() ?? '' });
        return;
      case 'analytics': {
        const records = decodeRecords(message.batch);
        if (records) this.onAnalytics?.(records);
        return;
      }
      case 'shutdown':
        this.onShutdown?.();
        return;
      default:
        return;
    }
  }
}
