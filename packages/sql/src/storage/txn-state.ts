/** The in-memory state of one transaction on this leaf. */
import type { Engine, PartitionRef, TxnId } from '../leaf/api.js';
import type { EngineTxn } from './exec-types.js';
import { partitionKey } from './names.js';
import type { Partition } from './partition.js';
import type { WriteRecord } from './txn-records.js';

export interface TxnPart {
  readonly partition: Partition;
  readonly engine: Engine;
  /** Undefined when the engine transaction is gone and the writes must be redone. */
  txn: EngineTxn | undefined;
  wrote: boolean;
  committed: boolean;
  /** The last statement queued on this part: statements of one part run one at a time. */
  chain: Promise<unknown>;
  /**
   * A statement failed in a way that ended the engine transaction (DuckDB aborts its
   * transaction on any error). Rolling back to a savepoint repairs the part by replaying its
   * kept writes; any other request first rolls the whole transaction back. Holds the error.
   */
  broken?: { readonly reason: unknown } | undefined;
}

/** A savepoint as this leaf sees it: how many of the transaction's writes it keeps. */
export interface SavepointMark {
  readonly id: number;
  readonly writes: number;
}

export type TxnPhase = 'active' | 'preparing' | 'prepared' | 'committing';

export class LeafTxn {
  phase: TxnPhase = 'active';
  readonly parts = new Map<string, TxnPart>();
  readonly opening = new Map<string, Promise<TxnPart>>();
  writes: WriteRecord[] = [];
  /** Savepoint marks set on this leaf, oldest first (see `txn-savepoints.ts`). */
  savepoints: SavepointMark[] = [];
  /** The encoded prepare record, kept for log compaction. */
  record: Buffer | undefined;
  /**
   * This leaf decided the outcome (commit) itself: the transaction's parts are all here. Its
   * prepare record says so, and nothing may roll it back any more.
   */
  decided = false;
  /** The prepare under way (settled either way), which a rollback waits for. */
  preparing: Promise<void> | undefined;

  constructor(readonly id: TxnId) {}

  /** Waits for every queued statement (whatever its outcome). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.opening.values()]);
    await Promise.allSettled([...this.parts.values()].map((part) => part.chain));
  }

  writesOf(part: TxnPart): WriteRecord[] {
    const key = partKey(part.partition.ref, part.engine);
    return this.writes.filter((write) => partKey(write.partition, write.engine) === key);
  }
}

export function partKey(partition: PartitionRef, engine: Engine): string {
  return `${partitionKey(partition)}\u0000${engine}`;
}

/** A bounded set of transaction ids, forgetting the oldest first. */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  add(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next();
      if (oldest.done !== true) this.ids.delete(oldest.value);
    }
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  delete(id: string): void {
    this.ids.delete(id);
  }
}
