/** A stored response. */
export interface CacheEntry {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer;
  /** Monotonic time it was stored, and its age then (the upstream's Age). */
  readonly storedMs: number;
  readonly initialAgeSeconds: number;
  readonly expiresMs: number;
  readonly bytes: number;
}

/**
 * A bounded LRU map: at most `entriesMax` entries and `bytesMax` bytes (bodies plus an estimate
 * of headers and key). A Map keeps insertion order, so re-inserting on use makes the first key
 * the least recently used.
 */
export class CacheStore {
  private readonly entries = new Map<string, CacheEntry>();
  private bytes = 0;

  constructor(
    private readonly entriesMax: number,
    private readonly bytesMax: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  get(key: string, nowMs: number): CacheEntry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresMs <= nowMs) {
      this.bytes -= entry.bytes;
      return undefined;
    }
    this.entries.set(key, entry);
    return entry;
  }

  /** Stores an entry, evicting the least recently used; false when it alone is too large. */
  set(key: string, entry: CacheEntry): boolean {
    if (entry.bytes > this.bytesMax) return false;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.bytes;
    }
    while (this.entries.size >= this.entriesMax || this.bytes + entry.bytes > this.bytesMax) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.bytes -= this.entries.get(oldest.value)!.bytes;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    return true;
  }
}

/** Size of an entry for the byte limit: body, key and header text. */
export function entryBytes(
  key: string,
  headers: Readonly<Record<string, string | string[]>>,
  body: Buffer,
): number {
  let bytes = body.length + key.length + 64;
  for (const [name, value] of Object.entries(headers))
    bytes += name.length + (Array.isArray(value) ? value.join(', ').length : value.length) + 4;
  return bytes;
}

/** Cache-Control directives (RFC 9111 §5.2), names lower-cased, values unquoted. */
export function cacheDirectives(value: string | string[] | undefined): Map<string, string> {
  const directives = new Map<string, string>();
  if (value === undefined) return directives;
  const text = Array.isArray(value) ? value.join(',') : value;
  for (const part of text.split(',')) {
    const [name, ...rest] = part.split('=');
    const key = name?.trim().toLowerCase();
    if (!key) continue;
    directives.set(
      key,
      rest
        .join('=')
        .trim()
        .replace(/^"(.*)"$/, '$1'),
    );
  }
  return directives;
}
