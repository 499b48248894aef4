/**
 * The rowstore write lock of each partition, held by one writer (a transaction id, or a token
 * for one autocommit statement) at a time.
 *
 * SQLite allows one writer per database file and better-sqlite3 is synchronous, so a writer
 * that waited inside SQLite (busy_timeout) would freeze the whole leaf. Every connection to a
 * partition's file lives in this process, so waiting happens here instead: a FIFO queue per
 * partition, woken when the holder commits or rolls back, bounded by the lock wait timeout
 * (innodb_lock_wait_timeout: error 1205). Waits across partitions form a wait-for graph;
 * a cycle is reported at once as a deadlock (error 1213), as InnoDB does.
 */
import { sqlError } from '../errors.js';
import { currentInterruptSignal, interruptedError, onInterrupt } from './interrupt-scope.js';

interface Waiter {
  readonly owner: string;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

export class LockTable {
  /** The locks each waiting owner waits for (a transaction's requests may wait on several). */
  private readonly waitingFor = new Map<string, Set<WriteLock>>();

  create(): WriteLock {
    return new WriteLock(this);
  }

  addWait(owner: string, lock: WriteLock): void {
    let locks = this.waitingFor.get(owner);
    if (locks === undefined) this.waitingFor.set(owner, (locks = new Set()));
    locks.add(lock);
  }

  removeWait(owner: string, lock: WriteLock): void {
    const locks = this.waitingFor.get(owner);
    if (locks === undefined || lock.waits(owner)) return;
    locks.delete(lock);
    if (locks.size === 0) this.waitingFor.delete(owner);
  }

  /**
   * Who waits for whom here, as [waiter, holder] pairs: the aggregator joins every leaf's pairs
   * to find the cycles no single leaf sees (`aggregator/deadlock-detector.ts`).
   */
  waits(): [string, string][] {
    const pairs: [string, string][] = [];
    for (const [owner, locks] of this.waitingFor)
      for (const lock of locks) if (lock.holder !== undefined) pairs.push([owner, lock.holder]);
    return pairs;
  }

  /**
   * Ends every wait of `owner` here with `error` (by default a deadlock, 1213: the aggregator
   * chose it as a cycle's victim); false when it waits for nothing here.
   */
  failWait(owner: string, error: Error = deadlockError()): boolean {
    let failed = false;
    for (const lock of [...(this.waitingFor.get(owner) ?? [])])
      failed = lock.fail(owner, error) || failed;
    return failed;
  }

  /** Whether `owner` waiting for `lock` closes a cycle of waits. */
  wouldDeadlock(owner: string, lock: WriteLock): boolean {
    const seen = new Set<WriteLock>();
    const pending: WriteLock[] = [lock];
    while (pending.length > 0 && seen.size < 10_000) {
      const current = pending.pop() as WriteLock;
      if (seen.has(current)) continue;
      seen.add(current);
      const holder = current.holder;
      if (holder === undefined) continue;
      if (holder === owner) return true;
      pending.push(...(this.waitingFor.get(holder) ?? []));
    }
    return false;
  }
}

export class WriteLock {
  private owner: string | undefined;
  private readonly queue: Waiter[] = [];

  constructor(private readonly table: LockTable) {}

  get holder(): string | undefined {
    return this.owner;
  }

  /** Takes the lock without waiting; false when another owner holds it or others wait first. */
  tryAcquire(owner: string): boolean {
    if (this.owner === owner) return true;
    if (this.owner !== undefined || this.queue.length > 0) return false;
    this.owner = owner;
    return true;
  }

  acquire(owner: string, timeoutMs: number): Promise<void> {
    if (this.tryAcquire(owner)) return Promise.resolve();
    if (this.table.wouldDeadlock(owner, this)) return Promise.reject(deadlockError());
    const signal = currentInterruptSignal();
    if (signal?.aborted === true) return Promise.reject(interruptedError(signal));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        owner,
        resolve: () => {
          interrupt.done();
          resolve();
        },
        reject: (error) => {
          interrupt.done();
          reject(error);
        },
        timer: undefined,
      };
      // KILL QUERY ends the wait at once, as the lock wait timeout does (interrupt-scope.ts).
      const interrupt = onInterrupt(() => {
        clearTimeout(waiter.timer);
        this.remove(waiter);
        reject(interruptedError(signal));
      });
      waiter.timer = setTimeout(() => {
        interrupt.done();
        this.remove(waiter);
        reject(
          sqlError('LOCK_WAIT_TIMEOUT', 'Lock wait timeout exceeded; try restarting transaction'),
        );
      }, timeoutMs);
      this.queue.push(waiter);
      this.table.addWait(owner, this);
    });
  }

  release(owner: string): void {
    if (this.owner !== owner) return;
    this.owner = undefined;
    const next = this.queue.shift();
    if (next === undefined) return;
    this.owner = next.owner;
    // Every wait of the new owner ends: two requests of one transaction may wait here at once,
    // and the one left queued would wait for its own transaction until the timeout.
    const granted = [next, ...this.queue.filter((waiter) => waiter.owner === next.owner)];
    for (const waiter of granted) {
      clearTimeout(waiter.timer);
      this.remove(waiter);
      waiter.resolve();
    }
  }

  /** Whether `owner` waits here. */
  waits(owner: string): boolean {
    return this.queue.some((waiter) => waiter.owner === owner);
  }

  /** Fails every wait of `owner` here with `error`; false when it does not wait here. */
  fail(owner: string, error: Error): boolean {
    const failed = this.queue.filter((waiter) => waiter.owner === owner);
    for (const waiter of failed) {
      clearTimeout(waiter.timer);
      this.remove(waiter);
      waiter.reject(error);
    }
    return failed.length > 0;
  }

  /** Fails every waiter (the partition is closing). */
  abort(error: Error): void {
    for (const waiter of [...this.queue]) {
      clearTimeout(waiter.timer);
      this.remove(waiter);
      waiter.reject(error);
    }
  }

  private remove(waiter: Waiter): void {
    const index = this.queue.indexOf(waiter);
    if (index >= 0) this.queue.splice(index, 1);
    this.table.removeWait(waiter.owner, this);
  }
}

function deadlockError(): Error {
  return sqlError(
    'LOCK_DEADLOCK',
    'Deadlock found when trying to get lock; try restarting transaction',
  );
}
