/**
 * Credentials verified recently, so that a client sending the same API key on every request
 * costs one HMAC for its first request rather than one per request. Keys stay stored hashed
 * (configuration, catalog, disk); this cache holds, in this process's memory only, keys that
 * already matched their stored hash, each mapped to its entry. Failed checks are never cached,
 * so guessing fills nothing. The map's own string hashing is the fast lookup; an entry is found
 * only by the exact presented key.
 *
 * Bounded (least recently used first out). A cache belongs to one policy instance, which is
 * rebuilt from configuration on every reload, so a revoked or changed key is forgotten then.
 */
export class VerifiedKeyCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly entriesMax: number) {}

  get(presented: string): T | undefined {
    const found = this.entries.get(presented);
    if (found === undefined) return undefined;
    // Most recently used last: Map iteration order is insertion order. Refreshing only when
    // the cache is nearly full keeps the common hit to one lookup.
    if (this.entries.size >= this.entriesMax >> 1) {
      this.entries.delete(presented);
      this.entries.set(presented, found);
    }
    return found;
  }

  set(presented: string, value: T): void {
    if (this.entries.size >= this.entriesMax) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(presented, value);
  }

  get size(): number {
    return this.entries.size;
  }
}
