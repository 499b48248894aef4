/**
 * The master's state store: a key-value map with atomic multi-key commits, the subset of
 * etcd's model the master needs (get, prefix range, transactional put/delete). The embedded
 * FileStateStore backs it on one machine; an etcd implementation can back it for highly
 * available masters without the master changing. Values are JSON-serialisable.
 */
export type StoreOperation =
  | { readonly type: 'put'; readonly key: string; readonly value: unknown }
  | { readonly type: 'delete'; readonly key: string };

export interface StoreEntry {
  readonly key: string;
  readonly value: unknown;
}

export interface StateStore {
  /** Every entry whose key starts with `prefix`, in key order. */
  list(prefix: string): Promise<StoreEntry[]>;
  get(key: string): Promise<unknown>;
  /**
   * Applies all operations atomically and durably: when the promise resolves the commit
   * survives kill -9 of the process and a power loss; when it rejects nothing was applied.
   */
  commit(operations: readonly StoreOperation[]): Promise<void>;
  close(): Promise<void>;
}

/** An in-memory store for the simulation and unit tests (no durability, by design). */
export class MemoryStateStore implements StateStore {
  private readonly entries = new Map<string, string>();

  list(prefix: string): Promise<StoreEntry[]> {
    const result = [...this.entries]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => ({ key, value: JSON.parse(value) as unknown }));
    return Promise.resolve(result);
  }

  get(key: string): Promise<unknown> {
    const value = this.entries.get(key);
    return Promise.resolve(value === undefined ? undefined : (JSON.parse(value) as unknown));
  }

  commit(operations: readonly StoreOperation[]): Promise<void> {
    for (const operation of operations) {
      if (operation.type === 'put')
        this.entries.set(operation.key, JSON.stringify(operation.value));
      else this.entries.delete(operation.key);
    }
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
