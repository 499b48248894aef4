/**
 * Broadcast copies kept on the leaves between statements (`broadcast-select.ts`). A copy costs
 * an export on the source partitions, a transfer and a load on every target leaf (TPC-H: 20–45
 * ms per copied table, most of the queries that copy small tables); a repeated query, and the
 * nested plans of one statement (a scalar sub-plan and its outer query), copy the same table
 * with the same columns and filter again. A copy made outside transactions is kept under a key
 * naming the copy's engine statement (table, columns, filter) and its target leaves, and later
 * statements read it instead of copying.
 *
 * A cached copy answers for the partitions' rows at the time it was fetched, so it lives only
 * while nothing was written: it records the leaf write counter (`leaf/write-epoch.ts`) read
 * before its rows were fetched — any INSERT, UPDATE, DELETE, REPLACE, TRUNCATE, LOAD DATA,
 * commit, rollback or DDL sent by this process, and any lost leaf connection (the leaf drops
 * that connection's copies), moves it — and the catalog version, and it expires after
 * `COPY_CACHE_TTL_MS` (a bound for writes that reach the leaves from elsewhere). Explicit
 * transactions never take broadcast plans, so a transaction always reads its own writes.
 *
 * A copy still read by a running statement is never dropped: one that became stale is retired
 * (no later statement finds it) and dropped when its last reader ends.
 */
import { leafWriteEpoch } from '../leaf/write-epoch.js';

/** How long a cached copy may be used after its rows were fetched. */
export const COPY_CACHE_TTL_MS = 30_000;
/** Cached copies kept at once (each is one table on every target leaf). */
export const COPY_CACHE_ENTRIES_MAX = 64;
/** Declared bytes of the cached copies together (`planner/broadcast.ts` `copyBytes`). */
export const COPY_CACHE_BYTES_MAX = 64 * 1024 * 1024;
export interface CopyCacheLimits {
  readonly entriesMax: number;
  readonly bytesMax: number;
  readonly ttlMs: number;
}

const DEFAULT_LIMITS: CopyCacheLimits = {
  entriesMax: COPY_CACHE_ENTRIES_MAX,
  bytesMax: COPY_CACHE_BYTES_MAX,
  ttlMs: COPY_CACHE_TTL_MS,
};
let limits: CopyCacheLimits = DEFAULT_LIMITS;

/**
 * Sets the limits of every copy cache of this process (`bytesMax` 0 turns caching off: each
 * statement makes and drops its own copies). Without an argument, restores the defaults.
 */
export function configureCopyCache(next: Partial<CopyCacheLimits> = {}): void {
  limits = { ...DEFAULT_LIMITS, ...next };
}

interface Entry {
  readonly key: string;
  readonly name: string;
  readonly bytes: number;
  readonly epoch: number;
  readonly catalogVersion: number;
  readonly atMs: number;
  /** Settles when the copy exists on every target leaf (rejects when making it failed). */
  ready: Promise<void>;
  /** Statements reading the copy now. */
  users: number;
  /** No longer found by lookups; dropped when its last user ends. */
  retired: boolean;
  /** Drops the copy on its leaves (set once it is being made). */
  drop: () => void;
  timer: NodeJS.Timeout | undefined;
}

/** One statement's use of a copy (cached or its own). */
export interface CopyLease {
  readonly name: string;
  /** Whether this statement makes the copy (and must call `made` or `failed`). */
  readonly makes: boolean;
  /** Whether the copy outlives the statement. */
  readonly cached: boolean;
  /** Waits until the copy exists (made by another statement), or rejects. */
  ready(): Promise<void>;
  /** The copy exists on every target leaf; `drop` removes it when the cache lets it go. */
  made(drop: () => void): void;
  /** Making the copy failed: `drop` removes whatever was made. */
  failed(drop: () => void, error: unknown): void;
  /** The statement no longer reads the copy. */
  release(): void;
}

export interface CopyRequest {
  /** The copy's engine statement and target leaves; `undefined` when it cannot be cached. */
  readonly key: string | undefined;
  readonly catalogVersion: number;
  /** Declared bytes of the copy. */
  readonly bytes: number;
}

export class CopyCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  /** The name of a usable cached copy for `request`, or `undefined`. */
  lookup(request: CopyRequest): string | undefined {
    if (request.key === undefined) return undefined;
    const entry = this.entries.get(request.key);
    if (entry === undefined) return undefined;
    if (!this.valid(entry, request.catalogVersion)) {
      this.retire(entry);
      return undefined;
    }
    return entry.name;
  }

  /**
   * Takes the copy named `name` for one statement: the cached one when `name` is the one
   * `lookup` gave (synchronously, so nothing retires it in between), or a new copy the statement
   * makes — kept in the cache when the limits allow, else dropped when the statement ends.
   */
  acquire(request: CopyRequest, name: string): CopyLease {
    const key = request.key;
    const existing = key === undefined ? undefined : this.entries.get(key);
    if (existing?.name === name && !existing.retired) {
      existing.users += 1;
      return this.lease(existing, false);
    }
    if (key === undefined || existing !== undefined || !this.makeRoom(request.bytes))
      return ownLease(name);
    const entry: Entry = {
      key,
      name,
      bytes: request.bytes,
      epoch: leafWriteEpoch(),
      catalogVersion: request.catalogVersion,
      atMs: Date.now(),
      ready: Promise.resolve(),
      users: 1,
      retired: false,
      drop: () => undefined,
      timer: undefined,
    };
    let settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;
    entry.ready = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Readers that wait on a failed copy see the error; nobody waiting is not an error.
    entry.ready.catch(() => undefined);
    entry.timer = setTimeout(() => this.retire(entry), limits.ttlMs);
    entry.timer.unref();
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    return {
      ...this.lease(entry, true),
      made: (drop) => {
        entry.drop = drop;
        settle?.resolve();
      },
      failed: (drop, error) => {
        entry.drop = drop;
        settle?.reject(error);
        this.retire(entry);
      },
    };
  }

  private valid(entry: Entry, catalogVersion: number): boolean {
    return (
      !entry.retired &&
      entry.epoch === leafWriteEpoch() &&
      entry.catalogVersion === catalogVersion &&
      Date.now() - entry.atMs <= limits.ttlMs
    );
  }

  private lease(entry: Entry, makes: boolean): CopyLease {
    let released = false;
    return {
      name: entry.name,
      makes,
      cached: true,
      ready: () => entry.ready,
      made: () => undefined,
      failed: () => undefined,
      release: () => {
        if (released) return;
        released = true;
        entry.users -= 1;
        if (entry.retired && entry.users === 0) entry.drop();
      },
    };
  }

  /** Frees room for `bytes` more by retiring unused copies, oldest first. */
  private makeRoom(bytes: number): boolean {
    if (limits.bytesMax <= 0 || bytes > limits.bytesMax) return false;
    for (const entry of [...this.entries.values()]) {
      if (this.entries.size < limits.entriesMax && this.bytes + bytes <= limits.bytesMax) break;
      if (entry.users === 0) this.retire(entry);
    }
    return this.entries.size < limits.entriesMax && this.bytes + bytes <= limits.bytesMax;
  }

  private retire(entry: Entry): void {
    if (entry.retired) return;
    entry.retired = true;
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    if (this.entries.get(entry.key) === entry) {
      this.entries.delete(entry.key);
      this.bytes -= entry.bytes;
    }
    if (entry.users === 0) entry.drop();
  }
}

/** A copy made and dropped by one statement. */
function ownLease(name: string): CopyLease {
  let drop: () => void = () => undefined;
  let released = false;
  return {
    name,
    makes: true,
    cached: false,
    ready: () => Promise.resolve(),
    made: (next) => {
      drop = next;
    },
    failed: (next) => {
      drop = next;
    },
    release: () => {
      if (released) return;
      released = true;
      drop();
    },
  };
}

const caches = new WeakMap<object, CopyCache>();

/** The cache of one aggregator, keyed by an object it owns for its lifetime (its cluster). */
export function copyCacheOf(owner: object): CopyCache {
  let cache = caches.get(owner);
  if (cache === undefined) {
    cache = new CopyCache();
    caches.set(owner, cache);
  }
  return cache;
}
