import type { CallRecord } from './call-record.js';
import { LatencyHistogram } from './latency-histogram.js';

const minuteMs = 60_000;
/** The dimension value of an entry that overflowed `entriesMax`. */
export const overflowKey = '(other)';

/** The call counts and latencies of one combination of dimensions in one minute. */
export class RollupEntry {
  count = 0;
  errors4xx = 0;
  errors5xx = 0;
  readonly latency = new LatencyHistogram();
  upstreamLatencySumMs = 0;
  upstreamCount = 0;
  requestBytes = 0;
  responseBytes = 0;

  constructor(readonly dimensions: RollupDimensions) {}

  add(record: CallRecord): void {
    this.count++;
    if (record.status >= 500) this.errors5xx++;
    else if (record.status >= 400) this.errors4xx++;
    this.latency.add(record.latencyMs);
    if (record.upstreamLatencyMs !== undefined) {
      this.upstreamLatencySumMs += record.upstreamLatencyMs;
      this.upstreamCount++;
    }
    this.requestBytes += record.requestBytes;
    this.responseBytes += record.responseBytes;
  }

  merge(other: RollupEntry): void {
    this.count += other.count;
    this.errors4xx += other.errors4xx;
    this.errors5xx += other.errors5xx;
    this.latency.merge(other.latency);
    this.upstreamLatencySumMs += other.upstreamLatencySumMs;
    this.upstreamCount += other.upstreamCount;
    this.requestBytes += other.requestBytes;
    this.responseBytes += other.responseBytes;
  }
}

export interface RollupDimensions {
  readonly route: string;
  readonly api: string | undefined;
  readonly operation: string;
  readonly application: string | undefined;
  readonly status: string;
}

export type RollupDimension = keyof RollupDimensions;

interface LastEntry {
  readonly minute: number;
  readonly status: number;
  readonly route: string;
  readonly operation: string;
  readonly api: string | undefined;
  readonly application: string | undefined;
  readonly entry: RollupEntry;
}

/**
 * Per-minute rollups of call records, kept for `retentionMinutes` after the newest minute seen,
 * with at most `entriesMax` entries (minute × route × API × operation × application × status)
 * in all: beyond it a minute's new combinations go to one "(other)" entry of that minute, so
 * memory stays bounded whatever the cardinality of applications or operations.
 */
export class Rollups {
  /** Minute number (epoch minutes) → dimension key → entry. */
  private readonly minutes = new Map<number, Map<string, RollupEntry>>();
  private newestMinute = -Infinity;
  private entryCount = 0;
  /** Records older than the retention when they arrived (a clock step backwards). */
  tooOld = 0;
  /** Records counted under "(other)" because of `entriesMax`. */
  overflowed = 0;
  /** The entry the previous record went to, with its dimensions (see `add`). */
  private last: LastEntry | undefined = undefined;

  constructor(
    private settings: { readonly retentionMinutes: number; readonly entriesMax: number },
  ) {}

  get entries(): number {
    return this.entryCount;
  }

  configure(settings: { readonly retentionMinutes: number; readonly entriesMax: number }): void {
    this.settings = settings;
    this.evict();
  }

  add(record: CallRecord): void {
    const minute = Math.floor(record.timestampMs / minuteMs);
    if (minute > this.newestMinute) {
      this.newestMinute = minute;
      this.evict();
    } else if (minute <= this.newestMinute - this.settings.retentionMinutes) {
      this.tooOld++;
      return;
    }
    // Calls come in runs of the same dimensions (one route, one application, 200s): the last
    // entry is reused without building its key.
    const last = this.last;
    if (
      last !== undefined &&
      last.minute === minute &&
      last.status === record.status &&
      last.route === record.route &&
      last.operation === record.operation &&
      last.api === record.api &&
      last.application === record.application
    ) {
      last.entry.add(record);
      return;
    }
    let entries = this.minutes.get(minute);
    if (!entries) {
      entries = new Map();
      this.minutes.set(minute, entries);
    }
    const status = String(record.status);
    const key = `${record.route}\n${record.api ?? ''}\n${record.operation}\n${record.application ?? ''}\n${status}`;
    let entry = entries.get(key);
    if (!entry) {
      if (this.entryCount >= this.settings.entriesMax) {
        this.overflowed++;
        entry = entries.get(overflowKey);
        if (!entry) {
          entry = new RollupEntry({
            route: overflowKey,
            api: overflowKey,
            operation: overflowKey,
            application: overflowKey,
            status: overflowKey,
          });
          entries.set(overflowKey, entry);
          this.entryCount++;
        }
      } else {
        entry = new RollupEntry({
          route: record.route,
          api: record.api,
          operation: record.operation,
          application: record.application,
          status,
        });
        entries.set(key, entry);
        this.entryCount++;
      }
    }
    entry.add(record);
    // An "(other)" entry stands for many dimensions: it is never reused by identity.
    this.last =
      entry.dimensions.route === overflowKey
        ? undefined
        : {
            minute,
            status: record.status,
            route: record.route,
            operation: record.operation,
            api: record.api,
            application: record.application,
            entry,
          };
  }

  /** Visits every entry of the minutes starting in [fromMs, toMs). */
  forEach(
    range: { readonly fromMs: number; readonly toMs: number },
    visit: (minuteStartMs: number, entry: RollupEntry) => void,
  ): void {
    const first = Math.ceil(range.fromMs / minuteMs);
    const end = Math.ceil(range.toMs / minuteMs);
    // Walk whichever is smaller: the retained minutes or the minutes of the range.
    if (end - first > this.minutes.size) {
      for (const [minute, entries] of this.minutes)
        if (minute >= first && minute < end)
          for (const entry of entries.values()) visit(minute * minuteMs, entry);
      return;
    }
    for (let minute = first; minute < end; minute++) {
      const entries = this.minutes.get(minute);
      if (entries) for (const entry of entries.values()) visit(minute * minuteMs, entry);
    }
  }

  private evict(): void {
    this.last = undefined;
    const oldestKept = this.newestMinute - this.settings.retentionMinutes + 1;
    for (const [minute, entries] of this.minutes) {
      if (minute >= oldestKept) continue;
      this.entryCount -= entries.size;
      this.minutes.delete(minute);
    }
  }
}
