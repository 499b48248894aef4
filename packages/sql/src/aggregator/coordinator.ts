/**
 * Transactions across partitions. A transaction that wrote to one partition engine commits
 * there directly (the engine's own commit is atomic). One that touched several — on one leaf
 * or many — commits in two phases: every leaf makes the writes durable (`prepare`), the
 * decision is fsync'ed to the decision log, then every leaf commits. A failure before the
 * decision rolls everything back; after it, commits are retried and, if the aggregator dies,
 * finished by `recover` when it next connects to each leaf.
 */
import type { Engine, LeafApi, PartitionRef, TxnId } from '../leaf/api.js';
import type { LeafDef } from '../catalog/types.js';
import type { DecisionLog } from './decision-log.js';

/**
 * Crash tests stop the process at exact points of two-phase commit: EXO_SQL_FAILPOINT names
 * the point, and the process kills itself there as `kill -9` would.
 */
function failpoint(name: string): void {
  if (process.env['EXO_SQL_FAILPOINT'] === name) process.kill(process.pid, 'SIGKILL');
}

export class Transaction {
  /** Leaf id → the partition engines the transaction used there. */
  readonly participants = new Map<string, { leaf: LeafDef; engines: Set<string> }>();
  wrote = false;
  /** Writes sent so far, and each leaf's count at its last write (for savepoints). */
  writeCount = 0;
  readonly lastWriteOn = new Map<string, number>();

  constructor(readonly id: TxnId) {}

  touch(leaf: LeafDef, partition: PartitionRef, engine: Engine, write: boolean): void {
    let entry = this.participants.get(leaf.id);
    if (entry === undefined) {
      entry = { leaf, engines: new Set() };
      this.participants.set(leaf.id, entry);
    }
    entry.engines.add(`${partition.database}/${partition.ordinal}/${engine}`);
    if (write) {
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

  constructor(
    private readonly options: {
      readonly idPrefix: string;
      readonly log: DecisionLog;
      readonly leaf: (leaf: LeafDef) => Promise<LeafApi>;
    },
  ) {}

  begin(): Transaction {
    this.counter += 1;
    const txn = new Transaction(`${this.options.idPrefix}:${this.counter}`);
    this.active.add(txn.id);
    return txn;
  }

  async commit(txn: Transaction): Promise<void> {
    try {
      const leaves = [...txn.participants.values()].map((entry) => entry.leaf);
      if (leaves.length === 0) return;
      // Several partition engines on ONE leaf still take both phases. Each partition is its own
      // DuckDB database file (or SQLite file) with its own commit and WAL fsync, and DuckDB
      // refuses a transaction that writes to two attached databases, so the leaf cannot commit
      // them as one engine transaction. Committing them one after another without a decision
      // is not atomic: a leaf killed between two engine commits restarts with the prepare record
      // undecided, and presumed abort would roll back the parts not yet committed while the
      // others stay. Skipping the aggregator's round trip would need the leaf to log the
      // decision itself (a prepare record marked decided, which its recovery commits).
      if (txn.engineCount === 1 || !txn.wrote) {
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
      await Promise.all(leaves.map(async (leaf) => (await this.options.leaf(leaf)).commit(txn.id)));
      this.options.log.forget(txn.id);
    } finally {
      this.active.delete(txn.id);
    }
  }

  async rollback(txn: Transaction): Promise<void> {
    try {
      await this.rollbackQuietly(
        txn.id,
        [...txn.participants.values()].map((entry) => entry.leaf),
      );
    } finally {
      this.active.delete(txn.id);
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

  /** Resolves a leaf's in-doubt transactions that this process is not still running. */
  async recover(api: LeafApi): Promise<void> {
    for (const id of await api.inDoubt()) {
      if (this.active.has(id)) continue;
      if (this.options.log.isCommitted(id)) await api.commit(id);
      else await api.rollback(id);
    }
  }
}
