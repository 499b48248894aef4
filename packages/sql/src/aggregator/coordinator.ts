/**
 * Transactions across partitions. A transaction that wrote on one leaf only commits there
 * directly: with one partition engine the engine's own commit is atomic; with several the leaf
 * logs the write set as decided (fsync'ed) before it commits the engines one by one, and its
 * recovery finishes a commit a kill cut short. One that wrote on several leaves commits in two
 * phases: every leaf makes the writes durable (`prepare`), the
 * decision is fsync'ed to the decision log, then every leaf commits. A failure before the
 * decision rolls everything back; after it the transaction is committed (the statement
 * succeeds): a leaf that did not acknowledge the commit is told again, and `recover` finishes
 * it whenever a connection to the leaf opens (a leaf restart, or an aggregator restart).
 */
import type { Engine, LeafApi, PartitionRef, TxnId } from '../leaf/api.js';
import type { LeafDef } from '../catalog/types.js';
import type { DecisionLog } from './decision-log.js';
import type { RecoveryApi } from '../leaf/client.js';
import { failpoint } from '../failpoint.js';

/** Commit decisions a leaf did not acknowledge are re-sent this often, backing off to 5 s. */
const COMMIT_RETRIES_MAX = 40;
const COMMIT_RETRY_DELAY_MAX_MS = 5_000;

export class Transaction {
  /** Leaf id → the partition engines the transaction used there. */
  readonly participants = new Map<string, { leaf: LeafDef; engines: Set<string> }>();
  wrote = false;
  /** Committed or rolled back (its writes no longer count in `Coordinator.writingOn`). */
  ended = false;
  /** Writes sent so far, and each leaf's count at its last write (for savepoints). */
  writeCount = 0;
  readonly lastWriteOn = new Map<string, number>();

  constructor(
    readonly id: TxnId,
    /** Told of the first write on each leaf. */
    private readonly onFirstWrite?: (leafId: string) => void,
  ) {}

  touch(leaf: LeafDef, partition: PartitionRef, engine: Engine, write: boolean): void {
    let entry = this.participants.get(leaf.id);
    if (entry === undefined) {
      entry = { leaf, engines: new Set() };
      this.participants.set(leaf.id, entry);
    }
    entry.engines.add(`${partition.database}/${partition.ordinal}/${engine}`);
    if (write) {
      if (!this.lastWriteOn.has(leaf.id)) this.onFirstWrite?.(leaf.id);
      this.wrote = true;
      this.writeCount += 1;
      this.lastWriteOn.set(leaf.id, this.writeCount);
    }
  }

  get engineCount(): number {
    let count = 0;
    for (const entry of this.participants.values()) count += entry.engines.size;
    return count;
  }
}

export class Coordinator {
  private counter = 0;
  private readonly active = new Set<TxnId>();
  /** Committed transactions some leaf has not acknowledged yet, with those leaves' ids. */
  private readonly unfinished = new Map<TxnId, Set<string>>();
  /** Leaf id → transactions that wrote there and have not ended (committed or rolled back). */
  private readonly writing = new Map<string, number>();

  /** How many transactions are open (begun, not yet committed or rolled back). */
  get openCount(): number {
    return this.active.size;
  }

  constructor(
    private readonly options: {
      readonly idPrefix: string;
      readonly log: DecisionLog;
      readonly leaf: (leaf: LeafDef) => Promise<LeafApi>;
      /** A committed transaction some leaf has still not acknowledged after every retry. */
      readonly onUnfinished?: (id: TxnId, leaves: readonly LeafDef[]) => void;
    },
  ) {}

  begin(): Transaction {
    this.counter += 1;
    const txn = new Transaction(`${this.options.idPrefix}:${this.counter}`, (leafId) =>
      this.writing.set(leafId, (this.writing.get(leafId) ?? 0) + 1),
    );
    this.active.add(txn.id);
    return txn;
  }

  async commit(txn: Transaction): Promise<void> {
    try {
      await this.commitWrites(txn);
    } finally {
      this.endWrites(txn);
    }
  }

  private async commitWrites(txn: Transaction): Promise<void> {
    const leaves = [...txn.participants.values()].map((entry) => entry.leaf);
    try {
      if (leaves.length === 0) return;
      // Several partition engines on ONE leaf need no decision here: each partition is its own
      // DuckDB (or SQLite) file with its own commit, so the leaf cannot commit them as one
      // engine transaction, but it logs the write set marked decided before committing them
      // (storage/transactions.ts), which saves this log's fsync and a round trip.
      if (leaves.length === 1 || !txn.wrote) {
        await Promise.all(
          leaves.map(async (leaf) => (await this.options.leaf(leaf)).commit(txn.id)),
        );
        return;
      }
      try {
        await Promise.all(
          leaves.map(async (leaf) => (await this.options.leaf(leaf)).prepare(txn.id)),
        );
      } catch (error) {
        await this.rollbackQuietly(txn.id, leaves);
        throw error;
      }
      failpoint('before-decision');
      await this.options.log.recordCommit(txn.id);
      failpoint('after-decision');
    } finally {
      this.active.delete(txn.id);
    }
    // The decision is durable: the transaction is committed, whatever happens to a leaf now.
    // A leaf that cannot commit yet (it died, or its connection did) is told again until it
    // has; a restarted leaf is also resolved by `recover` when its client reconnects.
    const pending = await this.commitOn(txn.id, leaves);
    if (pending.length === 0) this.options.log.forget(txn.id);
    else {
      this.unfinished.set(txn.id, new Set(pending.map((leaf) => leaf.id)));
      this.finishLater(txn.id, pending);
    }
  }

  /**
   * Whether a transaction of this process wrote on the leaf and has not ended: a leaf that dies
   * now may redo it at its restart, so its files must not be written from outside meanwhile
   * (`local-writes.ts`); `commitPendingOn` covers the time after a commit decision.
   */
  writingOn(leafId: string): boolean {
    return (this.writing.get(leafId) ?? 0) > 0;
  }

  private endWrites(txn: Transaction): void {
    if (txn.ended) return;
    txn.ended = true;
    for (const leafId of txn.lastWriteOn.keys()) {
      const count = (this.writing.get(leafId) ?? 0) - 1;
      if (count > 0) this.writing.set(leafId, count);
      else this.writing.delete(leafId);
    }
  }

  /**
   * Whether the leaf may still miss a commit this aggregator acknowledged (it did not confirm a
   * decision yet): its files then do not hold every acknowledged write (`local-reads.ts`).
   */
  commitPendingOn(leafId: string): boolean {
    for (const leaves of this.unfinished.values()) if (leaves.has(leafId)) return true;
    return false;
  }

  private stillPending(id: TxnId, leaves: readonly LeafDef[]): void {
    const ids = this.unfinished.get(id);
    if (ids === undefined) return;
    const left = new Set(leaves.map((leaf) => leaf.id));
    for (const leafId of ids) if (!left.has(leafId)) ids.delete(leafId);
    if (ids.size === 0) this.unfinished.delete(id);
  }

  /** Sends the commit decision to `leaves`; the ones that did not acknowledge it. */
  private async commitOn(id: TxnId, leaves: readonly LeafDef[]): Promise<LeafDef[]> {
    const outcomes = await Promise.allSettled(
      leaves.map(async (leaf) => (await this.options.leaf(leaf)).commit(id)),
    );
    return leaves.filter((_leaf, index) => outcomes[index]?.status === 'rejected');
  }

  private finishLater(id: TxnId, leaves: readonly LeafDef[], attempt = 1): void {
    if (attempt > COMMIT_RETRIES_MAX) {
      // Left to `recover`, run whenever a connection to the leaf opens; the decision stays logged.
      this.options.onUnfinished?.(id, leaves);
      return;
    }
    const delayMs = Math.min(COMMIT_RETRY_DELAY_MAX_MS, 50 * 2 ** attempt);
    setTimeout(() => {
      void this.commitOn(id, leaves).then((pending) => {
        this.stillPending(id, pending);
        if (pending.length === 0) this.options.log.forget(id);
        else this.finishLater(id, pending, attempt + 1);
      });
    }, delayMs).unref();
  }

  async rollback(txn: Transaction): Promise<void> {
    try {
      await this.rollbackQuietly(
        txn.id,
        [...txn.participants.values()].map((entry) => entry.leaf),
      );
    } finally {
      this.active.delete(txn.id);
      this.endWrites(txn);
    }
  }

  private async rollbackQuietly(id: TxnId, leaves: readonly LeafDef[]): Promise<void> {
    await Promise.all(
      leaves.map(async (leaf) => {
        try {
          await (await this.options.leaf(leaf)).rollback(id);
        } catch {
          // A leaf that cannot be reached rolls back by itself: an unprepared transaction dies
          // with its connection, and a prepared one is resolved by `recover` (presumed abort).
        }
      }),
    );
  }

  /** Marks savepoint `savepoint` on every leaf the transaction wrote to. */
  async savepoint(txn: Transaction, savepoint: number, keep: readonly number[]): Promise<void> {
    const request = { txn: txn.id, savepoint, keep };
    await Promise.all(
      this.leavesWritten(txn, 0).map(async (leaf) =>
        (await this.options.leaf(leaf)).savepoint(request),
      ),
    );
  }

  /**
   * Drops the writes made after savepoint `savepoint` (set when the transaction had made
   * `writesBefore` writes) on the leaves written to since then.
   */
  async rollbackToSavepoint(
    txn: Transaction,
    savepoint: { readonly id: number; readonly writesBefore: number },
  ): Promise<void> {
    const request = { txn: txn.id, savepoint: savepoint.id, keep: [] };
    await Promise.all(
      this.leavesWritten(txn, savepoint.writesBefore).map(async (leaf) =>
        (await this.options.leaf(leaf)).rollbackToSavepoint(request),
      ),
    );
  }

  /** The leaves whose last write came after the transaction's first `writes` writes. */
  private leavesWritten(txn: Transaction, writes: number): LeafDef[] {
    const leaves: LeafDef[] = [];
    for (const [id, last] of txn.lastWriteOn) {
      const entry = txn.participants.get(id);
      if (last > writes && entry !== undefined) leaves.push(entry.leaf);
    }
    return leaves;
  }

  /**
   * Resolves a leaf's in-doubt transactions that this process is not still running; after it
   * the leaf holds every commit decided so far (`commitPendingOn` is false for it).
   */
  async recover(api: RecoveryApi, leafId?: string): Promise<void> {
    for (const id of await api.inDoubt()) {
      if (this.active.has(id)) continue;
      if (this.options.log.isCommitted(id)) await api.commit(id);
      else await api.rollback(id);
    }
    if (leafId === undefined) return;
    for (const [id, leaves] of this.unfinished) {
      leaves.delete(leafId);
      if (leaves.size === 0) this.unfinished.delete(id);
    }
  }
}
