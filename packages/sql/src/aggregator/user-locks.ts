/**
 * Named user locks (GET_LOCK, RELEASE_LOCK, IS_FREE_LOCK, IS_USED_LOCK, RELEASE_ALL_LOCKS) as
 * MariaDB keeps them: a lock is held by one connection, which may take it again (each GET_LOCK
 * counts, each RELEASE_LOCK gives one back); names are compared as written; a connection's
 * locks go when it closes. Held by the aggregator, so they are shared by the connections of
 * one aggregator (as by those of one MariaDB server).
 */
interface Held {
  owner: number;
  count: number;
}

export class UserLocks {
  private readonly held = new Map<string, Held>();
  /** Connections waiting for a name, first come first served. */
  private readonly waiting = new Map<string, (() => void)[]>();

  /**
   * Takes `name` for `owner`, waiting up to `timeoutMs` for its holder to let go; true when
   * taken. `signal` (the statement's interrupt) ends the wait with its error.
   */
  async acquire(
    name: string,
    owner: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.tryTake(name, owner)) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.waitFor(name, left, signal);
    }
  }

  /** 1 when `owner` held `name` (one count given back), 0 when another does, null when none. */
  release(name: string, owner: number): 1 | 0 | null {
    const held = this.held.get(name);
    if (held === undefined) return null;
    if (held.owner !== owner) return 0;
    held.count -= 1;
    if (held.count === 0) this.free(name);
    return 1;
  }

  /** The connection holding `name`, or undefined. */
  holder(name: string): number | undefined {
    return this.held.get(name)?.owner;
  }

  /** Lets go of every lock `owner` holds; the number of counts given back. */
  releaseAll(owner: number): number {
    let released = 0;
    for (const [name, held] of [...this.held]) {
      if (held.owner !== owner) continue;
      released += held.count;
      this.free(name);
    }
    return released;
  }

  private tryTake(name: string, owner: number): boolean {
    const held = this.held.get(name);
    if (held === undefined) {
      this.held.set(name, { owner, count: 1 });
      return true;
    }
    if (held.owner !== owner) return false;
    held.count += 1;
    return true;
  }

  private free(name: string): void {
    this.held.delete(name);
    const queue = this.waiting.get(name);
    const next = queue?.shift();
    if (queue?.length === 0) this.waiting.delete(name);
    next?.();
  }

  private waitFor(name: string, ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const queue = this.waiting.get(name) ?? [];
      this.waiting.set(name, queue);
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        const index = queue.indexOf(wake);
        if (index >= 0) queue.splice(index, 1);
        if (queue.length === 0 && this.waiting.get(name) === queue) this.waiting.delete(name);
      };
      const wake = (): void => {
        done();
        resolve();
      };
      const aborted = (): void => {
        done();
        reject(signal?.reason instanceof Error ? signal.reason : new Error('interrupted'));
      };
      const timer = setTimeout(wake, ms);
      queue.push(wake);
      if (signal?.aborted === true) aborted();
      else signal?.addEventListener('abort', aborted, { once: true });
    });
  }
}
