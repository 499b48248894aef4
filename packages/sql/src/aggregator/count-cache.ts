/**
 * Row counts for the broadcast choice (`broadcast-count.ts`), kept between statements: a count
 * costs a round trip to every leaf and, when filtered, a scan, on every query that may
 * broadcast (TPC-H: 5–25 ms of each such query). A count is only a statistic — the choice it
 * feeds decides how a query runs, never what it answers — but a stale one could copy a table
 * that has grown past the broadcast limits, so an entry lives only while nothing was written:
 * it records the leaf write counter (`leaf/write-epoch.ts`), which any INSERT, UPDATE, DELETE,
 * TRUNCATE, LOAD DATA, commit or DDL sent by this process moves, and the catalog version. It
 * also expires after `COUNT_TTL_MS`, for writes that reach the leaves from elsewhere.
 */
import { leafWriteEpoch } from '../leaf/write-epoch.js';

/** How long a cached count may be used at most. */
export const COUNT_TTL_MS = 30_000;
/** Counts kept per cache; the oldest goes first. */
export const COUNT_ENTRIES_MAX = 1_000;

interface Entry {
  readonly rows: number;
  readonly epoch: number;
  readonly catalogVersion: number;
  readonly atMs: number;
}

export interface CountKey {
  /** The catalog version the count's statement was translated at. */
  readonly catalogVersion: number;
  /** The database and the engine statement (it names the table and holds the filter). */
  readonly text: string;
}

export class CountCache {
  private readonly entries = new Map<string, Entry>();

  /** The cached count, or `undefined` when absent or stale. */
  get(key: CountKey, nowMs: number = Date.now()): number | undefined {
    const entry = this.entries.get(key.text);
    if (entry === undefined) return undefined;
    if (
      entry.epoch !== leafWriteEpoch() ||
      entry.catalogVersion !== key.catalogVersion ||
      nowMs - entry.atMs > COUNT_TTL_MS
    ) {
      this.entries.delete(key.text);
      return undefined;
    }
    return entry.rows;
  }

  /**
   * Counts with `count` unless cached. The write counter is read before the count starts: a
   * write sent or answered while it runs leaves the entry stale at once.
   */
  async count(key: CountKey, count: () => Promise<number>): Promise<number> {
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    const epoch = leafWriteEpoch();
    const atMs = Date.now();
    const rows = await count();
    this.entries.delete(key.text);
    if (this.entries.size >= COUNT_ENTRIES_MAX) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key.text, { rows, epoch, catalogVersion: key.catalogVersion, atMs });
    return rows;
  }

  /** Entries held now (stale ones included until they are looked up). */
  get size(): number {
    return this.entries.size;
  }
}

const caches = new WeakMap<object, CountCache>();

/** The cache of one aggregator, keyed by an object it owns for its lifetime (its cluster). */
export function countCacheOf(owner: object): CountCache {
  let cache = caches.get(owner);
  if (cache === undefined) {
    cache = new CountCache();
    caches.set(owner, cache);
  }
  return cache;
}
