/**
 * A bounded least-recently-used cache of prepared statements keyed by SQL text. A Map keeps
 * insertion order, so re-inserting on hit makes the first key the least recently used.
 */
export class StatementCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(
    private readonly capacity: number,
    private readonly dispose: (value: T) => void = () => {},
  ) {}

  get(sql: string): T | undefined {
    const value = this.entries.get(sql);
    if (value !== undefined) {
      this.entries.delete(sql);
      this.entries.set(sql, value);
    }
    return value;
  }

  set(sql: string, value: T): void {
    this.entries.set(sql, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) {
        const evicted = this.entries.get(oldest.value);
        this.entries.delete(oldest.value);
        if (evicted !== undefined) this.dispose(evicted);
      }
    }
  }

  /** Drops every statement (after DDL, whose effect on prepared plans differs by engine). */
  clear(): void {
    for (const value of this.entries.values()) this.dispose(value);
    this.entries.clear();
  }
}
