/**
 * A counter of the writes this process has sent to leaves, for caches of what the partitions
 * hold (`aggregator/count-cache.ts`: row counts for the broadcast choice). A cached value made
 * while the counter read N is valid only as long as it still reads N.
 *
 * The counter moves when a write is sent and again when its answer arrives: a count that
 * starts after the first move sees a new value on its return, and one that overlaps the write
 * being applied sees the second. It is one counter for every leaf and table, so any write makes
 * every cached value stale — coarse, but it needs no knowledge of what a statement touches.
 * Reads (SELECT outside transactions), broadcast copies, exports and Info never move it;
 * anything else does (inserts, loads, commits, rollbacks, DDL, partition moves).
 */
import type { ExecRequest } from './api.js';
import { Op } from './wire.js';

let epoch = 0;

/** The current value of the counter. */
export function leafWriteEpoch(): number {
  return epoch;
}

/** Moves the counter: a write is sent, or its answer arrived. */
export function advanceWriteEpoch(): void {
  epoch += 1;
}

/** Requests that never change what the partitions hold. */
const READ_OPS: ReadonlySet<number> = new Set([
  Op.Info,
  Op.InDoubt,
  Op.CreateBroadcast,
  Op.DropBroadcast,
  Op.ExportBroadcastRows,
  Op.Cancel,
  Op.ReadPartitionChunk,
]);

/** A statement that only reads: a SELECT outside any transaction. */
const READ_SQL = /^\s*SELECT\s/i;

/** Whether a request with operation `op` (and, for Exec, its statements) may write. */
export function mayWrite(op: number, requests?: readonly ExecRequest[]): boolean {
  if (op === Op.Exec)
    return (requests ?? []).some(
      (request) => request.txn !== undefined || !READ_SQL.test(request.sql),
    );
  return !READ_OPS.has(op);
}
