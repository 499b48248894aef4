/**
 * Restart recovery of prepared transactions. For each prepare record without an outcome,
 * every (partition, engine) it wrote is checked: if `_exo_applied` holds the transaction, that
 * part committed before the crash; otherwise its logged writes are redone in a fresh engine
 * transaction, which stays open (holding its locks) until the aggregator commits or rolls back.
 * Two cases are decided already and committed here: a record this leaf logged as `decided`
 * (every part was on this leaf), and a transaction of which some part committed (a part
 * commits only after the decision to commit).
 */
import type { Logger } from '@exosphere/common';
import type { PartitionRef } from '../leaf/api.js';
import type { Partition } from './partition.js';
import type { PrepareLog } from './prepare-log.js';
import { decodeLogRecord, encodeLogRecord, type WriteRecord } from './txn-records.js';
import { LeafTxn, partKey, type TxnPart } from './txn-state.js';
import type { Transactions } from './transactions.js';

export interface RecoveryOptions {
  readonly records: readonly Buffer[];
  readonly transactions: Transactions;
  readonly log: PrepareLog;
  readonly partition: (ref: PartitionRef) => Partition | undefined;
  readonly logger: Logger;
}

export async function recoverPrepared(options: RecoveryOptions): Promise<void> {
  const undecided = new Map<
    string,
    { writes: readonly WriteRecord[]; record: Buffer; decided: boolean }
  >();
  for (const payload of options.records) {
    const record = decodeLogRecord(payload);
    if (record.kind === 'prepare' || record.kind === 'decided')
      undecided.set(record.txn, {
        writes: record.writes,
        record: payload,
        decided: record.kind === 'decided',
      });
    else undecided.delete(record.txn);
  }
  for (const [id, { writes, record, decided }] of undecided) {
    const txn = new LeafTxn(id);
    txn.writes = [...writes];
    txn.record = record;
    txn.phase = 'prepared';
    let pending = 0;
    for (const write of writes) {
      const key = partKey(write.partition, write.engine);
      if (txn.parts.has(key)) continue;
      const partition = options.partition(write.partition);
      if (partition === undefined) {
        options.logger.error('a prepared transaction wrote to a partition that no longer exists', {
          txn: id,
          partition: write.partition,
        });
        continue;
      }
      const part: TxnPart = {
        partition,
        engine: write.engine,
        txn: undefined,
        wrote: true,
        committed: false,
        chain: Promise.resolve(),
      };
      txn.parts.set(key, part);
      if (await partition.isApplied(write.engine, id)) {
        part.committed = true;
        continue;
      }
      pending += 1;
      try {
        part.txn = await options.transactions.redo(txn, part);
      } catch (error) {
        // The commit will try the redo again; the transaction stays in doubt meanwhile.
        options.logger.error('redo of a prepared transaction failed', {
          txn: id,
          error: String(error),
        });
      }
    }
    if (pending === 0) {
      // Every part committed before the crash: only the outcome record was missing.
      options.transactions.committed.add(id);
      await options.log.append(encodeLogRecord({ kind: 'committed', txn: id }), false);
      continue;
    }
    options.transactions.txns.set(id, txn);
    txn.decided = decided || pending < txn.parts.size;
    if (txn.decided) {
      try {
        await options.transactions.commit(id);
        options.logger.info('committed a transaction decided before the restart', { txn: id });
      } catch (error) {
        // Still decided: the next commit or rollback request for it finishes the commit.
        options.logger.error('commit of a decided transaction failed', {
          txn: id,
          error: String(error),
        });
      }
      continue;
    }
    options.logger.info('prepared transaction in doubt after restart', { txn: id });
  }
  await options.log.compact(() => options.transactions.liveRecords());
}
