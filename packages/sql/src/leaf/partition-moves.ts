/**
 * The leaf's side of moving a partition to another leaf (REBALANCE PARTITIONS, REMOVE LEAF).
 *
 * On the source, `freeze` stops new writes to the partition (they wait; reads go on), waits
 * until the writes already under way and the transactions that wrote there have ended, then
 * checkpoints both engines and snapshots the files (partition-files.ts) for `read` to serve.
 * The partition stays frozen until `thaw`, or until it is dropped once the catalog names the
 * destination. On the destination, `receive` writes chunks aside and `install` makes them
 * durable and opens the partition.
 */
import { sqlError } from '../errors.js';
import type { ExecRequest, PartitionRef } from './api.js';
import { partitionKey } from '../storage/names.js';

/** How often the drain looks again for writes still under way. */
const DRAIN_POLL_MS = 20;

/** Engine SQL that only reads: anything else counts as a write while a partition is frozen. */
const READ_ONLY_SQL = /^\s*\(?\s*(?:SELECT|WITH|FROM|VALUES|TABLE|PRAGMA|EXPLAIN|DESCRIBE|SHOW)\b/i;

export function isWriteRequest(request: ExecRequest): boolean {
  return !READ_ONLY_SQL.test(request.sql);
}

interface Frozen {
  readonly released: Promise<void>;
  readonly release: () => void;
}

export class MoveGate {
  private readonly frozen = new Map<string, Frozen>();
  private readonly writing = new Map<string, number>();

  isFrozen(ref: PartitionRef): boolean {
    return this.frozen.has(partitionKey(ref));
  }

  /**
   * Runs a write to `ref`: waits while the partition is frozen (unless `mayPass`: its
   * transaction already wrote there, and the freeze is waiting for it), and counts it as under
   * way meanwhile.
   */
  async write<T>(ref: PartitionRef, mayPass: boolean, run: () => Promise<T>): Promise<T> {
    const key = partitionKey(ref);
    for (let frozen = this.frozen.get(key); frozen !== undefined && !mayPass;) {
      await frozen.released;
      frozen = this.frozen.get(key);
    }
    this.writing.set(key, (this.writing.get(key) ?? 0) + 1);
    try {
      return await run();
    } finally {
      const left = (this.writing.get(key) ?? 1) - 1;
      if (left === 0) this.writing.delete(key);
      else this.writing.set(key, left);
    }
  }

  /** Freezes `ref`; false when it is frozen already (another move is under way). */
  freeze(ref: PartitionRef): boolean {
    const key = partitionKey(ref);
    if (this.frozen.has(key)) return false;
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.frozen.set(key, { released, release });
    return true;
  }

  thaw(ref: PartitionRef): void {
    const key = partitionKey(ref);
    this.frozen.get(key)?.release();
    this.frozen.delete(key);
  }

  /** Waits until no write to `ref` is under way and `busy()` is false, or fails after `timeoutMs`. */
  async drain(ref: PartitionRef, busy: () => boolean, timeoutMs: number): Promise<void> {
    const key = partitionKey(ref);
    const deadline = Date.now() + timeoutMs;
    while ((this.writing.get(key) ?? 0) > 0 || busy()) {
      if (Date.now() > deadline) {
        throw sqlError(
          'LOCK_WAIT_TIMEOUT',
          'Lock wait timeout exceeded: writes to the partition did not end; the move was abandoned',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
  }
}
