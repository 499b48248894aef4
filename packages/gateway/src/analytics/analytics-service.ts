import type { Clock, Logger, MetricsRegistry } from '@exosphere/common';
import type { ExchangeState } from '../proxy/exchange.js';
import { CallQueue } from './call-queue.js';
import type { CallRecord, CallSlot } from './call-record.js';
import { captureCall } from './capture.js';
import { OperationResolver, resolveCall } from './resolve.js';
import { Rollups } from './rollups.js';
import type { AnalyticsSettings, AnalyticsSqlSettings } from './settings.js';
import { SqlSink } from './sql-sink.js';
import { summarize, type Summary, type SummaryQuery } from './summary.js';

export interface AnalyticsServiceOptions {
  readonly settings: AnalyticsSettings;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly registry?: MetricsRegistry | undefined;
  /**
   * The SQL sink when the configuration has no `analytics.sql` (given by `exo up`, which runs
   * the data plane beside the gateway).
   */
  readonly defaultSql?: AnalyticsSqlSettings | undefined;
  /**
   * A worker of several (`exo gateway --workers N`) other than the admin one: drained records
   * go here (to the admin worker, which sums them into its rollups and its SQL sink) instead
   * of this process's rollups and sink.
   */
  readonly forward?: ((records: CallRecord[]) => void) | undefined;
}

export interface AnalyticsStatus {
  readonly enabled: boolean;
  readonly recorded: number;
  readonly dropped: { readonly queue: number; readonly sink: number };
  readonly queue: { readonly depth: number; readonly capacity: number };
  readonly rollups: { readonly entries: number; readonly overflowed: number };
  readonly sql: {
    readonly connected: boolean;
    readonly bufferedRows: number;
    readonly flushedRows: number;
    readonly retriedRows: number;
    readonly errors: number;
  } | null;
}

/**
 * Analytics of the gateway, one per process, surviving reloads. The proxy calls `record` when
 * a call completes: one slot of a bounded queue is filled (constant work, no allocation, no
 * await) or, when the queue is full, the call is dropped and counted. Every `drainIntervalMs`
 * a timer turns queued slots into records, adds them to the per-minute rollups that
 * `GET /analytics/summary` reads, and offers them to the SQL sink when one is configured.
 */
export class AnalyticsService {
  private settings: AnalyticsSettings;
  private queue: CallQueue;
  private readonly rollups: Rollups;
  private readonly operations = new OperationResolver();
  private sink: SqlSink | undefined;
  private sinkKey = '';
  private drainTimer: NodeJS.Timeout | undefined;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly defaultSql: AnalyticsSqlSettings | undefined;
  private readonly forward: ((records: CallRecord[]) => void) | undefined;
  private outbox: CallRecord[] = [];
  /** Drops of queues replaced by a reconfiguration, plus the current queue's. */
  private droppedBefore = 0;
  /** Sink counters of sinks closed by a reconfiguration. */
  private readonly closedSinks = { flushedRows: 0, droppedRows: 0, retriedRows: 0, errors: 0 };
  recorded = 0;
  private readonly drainVisit = (slot: CallSlot): void => this.consume(slot);

  constructor(options: AnalyticsServiceOptions) {
    this.clock = options.clock;
    this.logger = options.logger;
    this.defaultSql = options.defaultSql;
    this.forward = options.forward;
    this.settings = options.settings;
    this.queue = new CallQueue(options.settings.queueMax);
    this.rollups = new Rollups({
      retentionMinutes: options.settings.retentionMinutes,
      entriesMax: options.settings.rollupEntriesMax,
    });
    if (options.registry) registerAnalyticsMetrics(options.registry, this);
    this.configure(options.settings);
  }

  /** Applies the `analytics:` section of a newly applied configuration. */
  configure(settings: AnalyticsSettings): void {
    this.settings = settings;
    if (settings.queueMax !== this.queue.capacity) {
      this.drainNow();
      this.droppedBefore += this.queue.dropped;
      this.queue = new CallQueue(settings.queueMax);
    }
    this.rollups.configure({
      retentionMinutes: settings.retentionMinutes,
      entriesMax: settings.rollupEntriesMax,
    });
    clearInterval(this.drainTimer);
    this.drainTimer = undefined;
    // Calls recorded before analytics was switched off still count.
    this.drainNow();
    if (settings.enabled) {
      this.drainTimer = setInterval(() => this.drainNow(), settings.drainIntervalMs);
      this.drainTimer.unref();
    }
    const sql =
      settings.enabled && this.forward === undefined
        ? (settings.sql ?? this.defaultSql)
        : undefined;
    const key = sql ? JSON.stringify(sql) : '';
    if (key === this.sinkKey) return;
    this.sinkKey = key;
    const previous = this.sink;
    this.sink = sql
      ? new SqlSink(sql, this.logger.child({ component: 'analytics-sql' }))
      : undefined;
    if (previous) void this.retire(previous);
  }

  /** The proxy's hook: constant work, never waits, never throws for a full queue. */
  record(exchange: ExchangeState, monotonicMs: number): void {
    if (!this.settings.enabled) return;
    const slot = this.queue.claim();
    if (slot === undefined) return;
    captureCall(slot, exchange, { wallMs: this.clock.now(), monotonicMs });
  }

  /** Moves every queued call into the rollups and the sink now. */
  drainNow(): void {
    this.queue.drain(this.drainVisit);
    if (this.outbox.length === 0) return;
    const records = this.outbox;
    this.outbox = [];
    this.forward?.(records);
  }

  /** Records drained by another worker of this gateway (the admin worker sums them all). */
  ingest(records: readonly CallRecord[]): void {
    if (!this.settings.enabled) return;
    for (const record of records) {
      this.recorded++;
      this.rollups.add(record);
      this.sink?.offer(record);
    }
  }

  summary(query: SummaryQuery): Summary {
    return summarize(this.rollups, query);
  }

  nowMs(): number {
    return this.clock.now();
  }

  get droppedQueue(): number {
    return this.droppedBefore + this.queue.dropped;
  }

  get queueDepth(): number {
    return this.queue.depth;
  }

  status(): AnalyticsStatus {
    const sink = this.sinkCounters();
    return {
      enabled: this.settings.enabled,
      recorded: this.recorded,
      dropped: { queue: this.droppedQueue, sink: sink.droppedRows },
      queue: { depth: this.queue.depth, capacity: this.queue.capacity },
      rollups: { entries: this.rollups.entries, overflowed: this.rollups.overflowed },
      sql: this.sink
        ? {
            connected: this.sink.connected,
            bufferedRows: this.sink.bufferedRows,
            flushedRows: sink.flushedRows,
            retriedRows: sink.retriedRows,
            errors: sink.errors,
          }
        : null,
    };
  }

  /** Counters of the current sink plus those of sinks closed by reconfigurations. */
  sinkCounters(): {
    flushedRows: number;
    droppedRows: number;
    retriedRows: number;
    errors: number;
  } {
    const current = this.sink?.counters;
    const closed = this.closedSinks;
    return {
      flushedRows: closed.flushedRows + (current?.flushedRows ?? 0),
      droppedRows: closed.droppedRows + (current?.droppedRows ?? 0),
      retriedRows: closed.retriedRows + (current?.retriedRows ?? 0),
      errors: closed.errors + (current?.errors ?? 0),
    };
  }

  get sinkBufferedRows(): number {
    return this.sink?.bufferedRows ?? 0;
  }

  get sinkConnected(): boolean {
    return this.sink?.connected ?? false;
  }

  /** Drains what is queued, writes what the sink can within its timeout, and stops. */
  async close(): Promise<void> {
    clearInterval(this.drainTimer);
    this.drainTimer = undefined;
    this.drainNow();
    const sink = this.sink;
    this.sink = undefined;
    this.sinkKey = '';
    if (sink) await this.retire(sink);
  }

  private consume(slot: CallSlot): void {
    const record = resolveCall(slot, this.operations);
    this.recorded++;
    if (this.forward !== undefined) {
      this.outbox.push(record);
      return;
    }
    this.rollups.add(record);
    this.sink?.offer(record);
  }

  private async retire(sink: SqlSink): Promise<void> {
    await sink.close();
    const closed = this.closedSinks;
    closed.flushedRows += sink.counters.flushedRows;
    closed.droppedRows += sink.counters.droppedRows;
    closed.retriedRows += sink.counters.retriedRows;
    closed.errors += sink.counters.errors;
  }
}

/** Prometheus series of analytics, read when scraped. */
function registerAnalyticsMetrics(registry: MetricsRegistry, analytics: AnalyticsService): void {
  registry
    .gauge(
      'exo_gateway_analytics_recorded_total',
      'Calls recorded into analytics (drained from the queue).',
    )
    .collect(() => [[{}, analytics.recorded]]);
  registry
    .gauge(
      'exo_gateway_analytics_dropped_total',
      'Analytics records dropped: stage "queue" (the proxy found the queue full) or "sink" (the SQL retry buffer was full, or the server refused the rows).',
    )
    .collect(() => [
      [{ stage: 'queue' }, analytics.droppedQueue],
      [{ stage: 'sink' }, analytics.sinkCounters().droppedRows],
    ]);
  registry
    .gauge('exo_gateway_analytics_flushed_total', 'Analytics rows written to the SQL table.')
    .collect(() => [[{}, analytics.sinkCounters().flushedRows]]);
  registry
    .gauge(
      'exo_gateway_analytics_retried_total',
      'Analytics rows of failed INSERTs put back for another attempt.',
    )
    .collect(() => [[{}, analytics.sinkCounters().retriedRows]]);
  registry
    .gauge(
      'exo_gateway_analytics_sink_errors_total',
      'Failed connects, DDL and INSERTs of the analytics SQL sink.',
    )
    .collect(() => [[{}, analytics.sinkCounters().errors]]);
  registry
    .gauge('exo_gateway_analytics_queue_depth', 'Calls waiting in the analytics queue.')
    .collect(() => [[{}, analytics.queueDepth]]);
  registry
    .gauge('exo_gateway_analytics_sink_buffered_rows', 'Rows waiting for the SQL table.')
    .collect(() => [[{}, analytics.sinkBufferedRows]]);
  registry
    .gauge(
      'exo_gateway_analytics_sink_connected',
      'Whether the analytics SQL sink is connected (1) or not (0).',
    )
    .collect(() => [[{}, analytics.sinkConnected ? 1 : 0]]);
}
