/**
 * Savepoints on a leaf. The aggregator numbers the savepoints of a transaction and sends
 * `savepoint(id)` to each leaf its transaction wrote to; the leaf marks how many of the
 * transaction's writes existed then. `rollbackToSavepoint(id)` keeps the writes before the
 * mark and drops the ones after it, on every engine alike: each part that wrote after the mark
 * rolls its engine transaction back and replays its kept writes, in order, in a fresh engine
 * transaction (the same redo that two-phase commit uses after a failed commit). DuckDB has no
 * savepoints, so this one mechanism serves both engines. The write set shrinks to the kept
 * writes, so a later prepare logs exactly those.
 *
 * A leaf that never received the mark joined the transaction's writes after the savepoint
 * was set: all of its writes are dropped. Marks the aggregator no longer holds (released, or
 * replaced by a savepoint of the same name) are dropped with every new mark, so their number
 * stays bounded by the aggregator's own limit.
 */
import type { EngineTxn } from './exec-types.js';
import type { WriteRecord } from './txn-records.js';
import { partKey, type LeafTxn, type TxnPart } from './txn-state.js';

/** Records savepoint `id` at the transaction's current write count. */
export function markSavepoint(txn: LeafTxn, id: number, keep: readonly number[]): void {
  const live = new Set(keep);
  txn.savepoints = txn.savepoints.filter((mark) => mark.id !== id && live.has(mark.id));
  txn.savepoints.push({ id, writes: txn.writes.length });
}

export interface RollbackToOptions {
  readonly txn: LeafTxn;
  readonly id: number;
  /** Replaces a part's engine transaction by a fresh one holding `kept` (replayed in order). */
  readonly reopen: (part: TxnPart, kept: readonly WriteRecord[]) => Promise<EngineTxn>;
}

/**
 * Drops the writes made after savepoint `id` and the marks set after it (the mark itself
 * stays, as in MySQL). Returns the dropped writes, whose load files the caller removes.
 */
export async function rollbackToMark(options: RollbackToOptions): Promise<WriteRecord[]> {
  const { txn, id } = options;
  const index = txn.savepoints.findIndex((mark) => mark.id === id);
  const cut = index < 0 ? 0 : (txn.savepoints[index]?.writes ?? 0);
  txn.savepoints = index < 0 ? [] : txn.savepoints.slice(0, index + 1);
  const kept = txn.writes.slice(0, cut);
  const dropped = txn.writes.slice(cut);
  const broken = [...txn.parts.values()].some((part) => part.broken !== undefined);
  if (dropped.length === 0 && !broken) return [];
  const touched = new Set(dropped.map((write) => partKey(write.partition, write.engine)));
  // The write set shrinks first: should a replay fail, the caller aborts the transaction and
  // must not find dropped writes (or their load files) in it.
  txn.writes = kept;
  for (const [key, part] of txn.parts) {
    // A broken part (its engine ended the transaction on an error) is rebuilt as well.
    if (!touched.has(key) && part.broken === undefined) continue;
    const partWrites = kept.filter((write) => partKey(write.partition, write.engine) === key);
    part.txn = await options.reopen(part, partWrites);
    part.wrote = partWrites.length > 0;
    part.broken = undefined;
  }
  return dropped;
}
