/**
 * The aggregator's cache of query-text shapes (COM_QUERY): one per aggregator, shared by its
 * sessions, least recently used first out, bounded in entries and in estimated bytes, so no
 * client can grow it by sending ever new texts. Keys carry the account and the current
 * database (privileges are checked once per cached plan and account, `dispatch.ts`).
 *
 * Two kinds of entries: a shape's layout (which literals stay verbatim, or that the statement
 * is never cached), keyed by the shape text; and, for each set of verbatim values, the state
 * of its plan: seen once, rejected, or ready with the parameterized statement and its plan slot.
 */
import type { Statement } from '../parser/ast.js';
import type { PlanKey, PlanSlot } from './plan-cache.js';

export interface TextCacheLimits {
  readonly entriesMax: number;
  readonly bytesMax: number;
}

export const TEXT_CACHE_LIMITS: TextCacheLimits = { entriesMax: 4096, bytesMax: 32 * 1024 * 1024 };

export type TextCacheEntry =
  | { readonly kind: 'layout'; readonly verbatim: readonly number[] | undefined }
  | { readonly kind: 'seen' }
  | { readonly kind: 'rejected'; readonly key: PlanKey }
  | {
      readonly kind: 'ready';
      readonly key: PlanKey;
      readonly statement: Statement;
      readonly slot: PlanSlot;
      /** For each parameter index, the literal ordinal in the shape. */
      readonly params: readonly number[];
    };

/** Rough memory of an entry: its key twice (UTF-16), plus the statement and plan it keeps. */
function entryBytes(key: string, entry: TextCacheEntry): number {
  return key.length * 2 + (entry.kind === 'ready' ? 256 + key.length * 24 : 64);
}

/** What a cache did since it was made (for tests and diagnostics). */
export interface TextCacheCounts {
  /** Texts that ran a ready plan without parsing. */
  hits: number;
  /** Shapes checked and made ready. */
  verified: number;
  /** Shapes checked and found not cacheable. */
  rejected: number;
}

export class TextCache {
  private readonly entries = new Map<string, { entry: TextCacheEntry; bytes: number }>();
  private bytesUsed = 0;
  readonly counts: TextCacheCounts = { hits: 0, verified: 0, rejected: 0 };

  constructor(readonly limits: TextCacheLimits = TEXT_CACHE_LIMITS) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.bytesUsed;
  }

  get(key: string): TextCacheEntry | undefined {
    const found = this.entries.get(key);
    if (found === undefined) return undefined;
    // Move to the most recently used end (a Map keeps insertion order).
    this.entries.delete(key);
    this.entries.set(key, found);
    return found.entry;
  }

  set(key: string, entry: TextCacheEntry): void {
    const bytes = entryBytes(key, entry);
    this.delete(key);
    if (bytes > this.limits.bytesMax / 16 || this.limits.entriesMax === 0) return;
    this.entries.set(key, { entry, bytes });
    this.bytesUsed += bytes;
    for (const [oldest, found] of this.entries) {
      if (this.entries.size <= this.limits.entriesMax && this.bytesUsed <= this.limits.bytesMax)
        break;
      this.entries.delete(oldest);
      this.bytesUsed -= found.bytes;
    }
  }

  delete(key: string): void {
    const found = this.entries.get(key);
    if (found === undefined) return;
    this.entries.delete(key);
    this.bytesUsed -= found.bytes;
  }
}

/** Every cache of this process, weakly, so totals can be read without the services. */
const live = new Set<WeakRef<TextCache>>();

/** An aggregator's cache (kept in its services), counted in `textCacheTotals`. */
export function createTextCache(): TextCache {
  const cache = new TextCache();
  live.add(new WeakRef(cache));
  return cache;
}

/** Sums over the live caches of this process: entries, bytes and counts. */
export function textCacheTotals(): TextCacheCounts & { entries: number; bytes: number } {
  const totals = { hits: 0, verified: 0, rejected: 0, entries: 0, bytes: 0 };
  for (const reference of live) {
    const cache = reference.deref();
    if (cache === undefined) {
      live.delete(reference);
      continue;
    }
    totals.hits += cache.counts.hits;
    totals.verified += cache.counts.verified;
    totals.rejected += cache.counts.rejected;
    totals.entries += cache.size;
    totals.bytes += cache.bytes;
  }
  return totals;
}
