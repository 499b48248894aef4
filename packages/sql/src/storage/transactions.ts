/**
 * Transactions on this leaf, and their two-phase commit.
 *
 * A transaction opens one engine transaction per (partition, engine) on first use. Every
 * statement that writes is recorded (SQL and parameters, or a bulk insert's rows). `prepare`
 * writes `_exo_applied(txn)` inside each engine transaction that wrote, then appends the
 * whole write set to the prepare log and fsyncs it, keeping the engine transactions (and
 * their locks) open. `commit` commits each engine transaction; one whose commit fails, or
 * that a restart lost, is redone from the logged writes in a fresh transaction. After a
 * restart, a prepared transaction whose outcome was not logged is redone where
 * `_exo_applied` lacks it, held open, and listed by `inDoubt()` until the aggregator decides.
 *
 * Error rules follow InnoDB: a deadlock (1213, also DuckDB's optimistic conflicts) rolls the
 * whole transaction back; a lock wait timeout (1205) fails only the statement. DuckDB aborts
 * its transaction on any error: that part is marked broken, and the aggregator's statement
 * rollback (a rollback to the savepoint it marks before each write statement of an explicit
 * transaction) replays the part's kept writes in a fresh engine transaction. Any other request
 * to a transaction with a broken part rolls the whole transaction back and fails (with the
 * part's error; a commit with 1402, XA_RBROLLBACK), as do its later statements (1402).
 */
import type { Logger } from '@exosphere/common';
import { SqlError, sqlError } from '../errors.js';
import type {
  Engine,
  ExecRequest,
  ExecResult,
  InsertRequest,
  LoadRequest,
  LoadResult,
  PartitionRef,
  TxnId,
} from '../leaf/api.js';
import type { SqlValue } from '../values.js';
import { removeLoadFiles, syncLoadFiles, writeLoadFile } from './load-files.js';
import { loadStatements } from './load-statements.js';
import { TransactionAborted, type RowsInput } from './exec-types.js';
import type { Partition } from './partition.js';
import type { PrepareLog } from './prepare-log.js';
import { encodeLogRecord, type WriteRecord } from './txn-records.js';
import { LeafTxn, RecentIds, partKey, type TxnPart } from './txn-state.js';
import { markSavepoint, rollbackToMark } from './txn-savepoints.js';
import { failpoint } from '../failpoint.js';

const REMEMBERED_IDS_MAX = 100_000;
const REDO_ATTEMPTS = 3;
const LOG_COMPACT_BYTES = 64 * 1024 * 1024;

export interface TransactionsOptions {
  readonly partition: (ref: PartitionRef) => Partition;
  readonly partitions: () => Iterable<Partition>;
  readonly log: PrepareLog;
  readonly logger: Logger;
  /** Ends every write-lock wait of a transaction with `error` (`storage/write-lock.ts`). */
  readonly failWaits?: (txn: TxnId, error: Error) => void;
}

export class Transactions {
  readonly txns = new Map<TxnId, LeafTxn>();
  readonly committed = new RecentIds(REMEMBERED_IDS_MAX);
  private readonly aborted = new RecentIds(REMEMBERED_IDS_MAX);

  constructor(private readonly options: TransactionsOptions) {}

  exec(id: TxnId, request: ExecRequest): Promise<ExecResult> {
    const params = request.params ?? [];
    return this.onPart(id, request.partition, request.engine, async (txn, part, engineTxn) => {
      const outcome = await engineTxn.exec({
        sql: request.sql,
        params,
        columns: request.columns,
        ...(request.lock === true ? { lock: true } : {}),
        ...(request.lockWaitMs !== undefined ? { lockWaitMs: request.lockWaitMs } : {}),
      });
      if (outcome.wrote) {
        part.wrote = true;
        txn.writes.push({
          kind: 'exec',
          partition: request.partition,
          engine: request.engine,
          sql: request.sql,
          params,
        });
      }
      return outcome.result;
    });
  }

  insert(id: TxnId, request: InsertRequest): Promise<number> {
    const rows: RowsInput = {
      table: request.table,
      columns: request.columns,
      rows: request.rows,
      onConflict: request.onConflict,
      ...(request.lockWaitMs !== undefined ? { lockWaitMs: request.lockWaitMs } : {}),
    };
    return this.onPart(id, request.partition, request.engine, async (txn, part, engineTxn) => {
      const affected = await engineTxn.insert(rows);
      part.wrote = true;
      txn.writes.push({
        kind: 'insert',
        partition: request.partition,
        engine: request.engine,
        ...rows,
      });
      return affected;
    });
  }

  /**
   * A bulk load chunk: kept as a file (the write set, made durable by `prepare`) and inserted
   * from it in the part's engine transaction; lines failing the aggregator's checks come back.
   * A chunk the aggregator found in its columns' canonical shape is read with typed columns and
   * skips the checks (they would accept every line, with the same values).
   */
  load(id: TxnId, request: LoadRequest): Promise<LoadResult> {
    if (request.engine !== 'column') {
      const message = 'Bulk load chunks are supported for columnstore tables only';
      return Promise.reject(sqlError('NOT_SUPPORTED', message));
    }
    return this.onPart(id, request.partition, request.engine, async (txn, part, engineTxn) => {
      const file = await writeLoadFile(part.partition.directory, id, request.data);
      let affectedRows: number;
      let rejected: readonly (readonly SqlValue[])[] = [];
      try {
        const statements = loadStatements(request, file);
        const typed = statements.typedInsert !== undefined;
        const sql = statements.typedInsert ?? statements.insert;
        await engineTxn.relaxInsertionOrder?.();
        const outcome = await engineTxn.exec({ sql, params: [], columns: undefined });
        affectedRows = outcome.result.affectedRows;
        part.wrote = true;
        txn.writes.push({
          kind: 'load',
          partition: request.partition,
          engine: request.engine,
          sql,
          file,
        });
        if (typed && affectedRows !== request.lines)
          throw new TransactionAborted(
            sqlError(
              'INTERNAL',
              'A bulk load chunk stored a different count of rows than it holds',
            ),
          );
        if (affectedRows < request.lines && !typed) {
          const query = { sql: statements.rejected, params: [], columns: undefined };
          rejected = (await engineTxn.exec(query)).result.rows;
        }
      } catch (error) {
        if (!txn.writes.some((write) => write.kind === 'load' && write.file === file))
          await removeLoadFiles([file]);
        throw error;
      }
      return {
        affectedRows,
        rejected: rejected.map((row) =>
          row.map((value) => (value === null ? null : String(value))),
        ),
      };
    });
  }

  /** Runs `step` on the transaction's part, one statement at a time per part. */
  private async onPart<T>(
    id: TxnId,
    ref: PartitionRef,
    engine: Engine,
    step: (txn: LeafTxn, part: TxnPart, engineTxn: NonNullable<TxnPart['txn']>) => Promise<T>,
  ): Promise<T> {
    if (this.aborted.has(id)) throw rolledBackError();
    let txn = this.txns.get(id);
    if (txn === undefined) {
      txn = new LeafTxn(id);
      this.txns.set(id, txn);
    }
    await this.refuseBroken(txn);
    if (txn.phase !== 'active') {
      throw sqlError(
        'XAER_RMFAIL',
        'XAER_RMFAIL: The command cannot be executed when global transaction is in the PREPARED state',
      );
    }
    const current = txn;
    const part = await this.part(current, ref, engine);
    const run = part.chain.then(async () => {
      if (part.txn === undefined || current.phase !== 'active') throw rolledBackError();
      try {
        return await step(current, part, part.txn);
      } catch (error) {
        const reason = error instanceof TransactionAborted ? error.reason : error;
        if (reason instanceof SqlError && reason.errno === 1213) await this.abort(current, part);
        else if (error instanceof TransactionAborted) part.broken = { reason };
        throw reason;
      }
    });
    part.chain = run.catch(() => undefined);
    return run;
  }

  private async part(txn: LeafTxn, ref: PartitionRef, engine: Engine): Promise<TxnPart> {
    const key = partKey(ref, engine);
    const existing = txn.parts.get(key) ?? txn.opening.get(key);
    if (existing !== undefined) return existing;
    const partition = this.options.partition(ref);
    const opening = partition.begin(engine, txn.id).then((engineTxn) => {
      const part: TxnPart = {
        partition,
        engine,
        txn: engineTxn,
        wrote: false,
        committed: false,
        chain: Promise.resolve(),
      };
      txn.parts.set(key, part);
      return part;
    });
    txn.opening.set(key, opening);
    try {
      return await opening;
    } finally {
      txn.opening.delete(key);
    }
  }

  /**
   * Rolls back every engine transaction of `txn` and forgets it. Statements still running on
   * other parts (and parts still opening) finish first: rolling an engine transaction back
   * under a running statement would let that statement commit on its own. `running` is the
   * part whose statement is calling this (its own chain cannot be awaited).
   */
  private async abort(txn: LeafTxn, running?: TxnPart): Promise<void> {
    if (this.txns.get(txn.id) !== txn) return;
    this.txns.delete(txn.id);
    this.aborted.add(txn.id);
    txn.phase = 'committing';
    // A statement of it still waiting for a write lock would hold the rollback (and the locks
    // its other parts hold) up to the lock wait timeout: its waits end now.
    this.options.failWaits?.(txn.id, rolledBackError());
    await Promise.allSettled([...txn.opening.values()]);
    await Promise.allSettled(
      [...txn.parts.values()].filter((part) => part !== running).map((part) => part.chain),
    );
    for (const part of txn.parts.values()) await rollbackQuietly(part);
    await removeLoadFiles(loadFilesOf(txn));
  }

  /**
   * A transaction with a broken part can only be rolled back (whole, or to a savepoint): any
   * other request rolls it back and fails, so a statement's partial writes never commit. The
   * first such request is in practice a sibling of the failed statement (the aggregator rolls
   * a failed statement back before the next one), so it answers the statement's own error;
   * later ones find the transaction gone (1402).
   */
  private async refuseBroken(txn: LeafTxn, committing = false): Promise<void> {
    for (const part of txn.parts.values()) {
      if (part.broken === undefined) continue;
      await this.abort(txn);
      throw committing ? rolledBackError() : part.broken.reason;
    }
  }

  /** Marks savepoint `savepoint` of an active transaction (see `txn-savepoints.ts`). */
  async savepoint(id: TxnId, savepoint: number, keep: readonly number[]): Promise<void> {
    const txn = await this.activeForSavepoint(id);
    if (txn !== undefined) markSavepoint(txn, savepoint, keep);
  }

  /** Drops the writes made after savepoint `savepoint`; the transaction stays open. */
  async rollbackToSavepoint(id: TxnId, savepoint: number): Promise<void> {
    const txn = await this.activeForSavepoint(id);
    if (txn === undefined) return;
    let dropped;
    try {
      dropped = await rollbackToMark({
        txn,
        id: savepoint,
        reopen: async (part, kept) => {
          await rollbackQuietly(part);
          const engineTxn = await part.partition.begin(part.engine, txn.id);
          try {
            for (const write of kept) await replay(engineTxn, write);
          } catch (error) {
            await engineTxn.rollback().catch(() => undefined);
            throw error;
          }
          return engineTxn;
        },
      });
    } catch (error) {
      // A part whose kept writes could not be replayed leaves the transaction half undone.
      await this.abort(txn);
      throw error instanceof TransactionAborted ? error.reason : error;
    }
    await removeLoadFiles(dropped.flatMap((write) => (write.kind === 'load' ? [write.file] : [])));
  }

  /** The transaction, settled, when it is active here; undefined when it never wrote here. */
  private async activeForSavepoint(id: TxnId): Promise<LeafTxn | undefined> {
    if (this.aborted.has(id)) throw rolledBackError();
    const txn = this.txns.get(id);
    if (txn === undefined) return undefined;
    if (txn.phase !== 'active')
      throw sqlError('XAER_RMFAIL', `XAER_RMFAIL: Transaction '${id}' is ${txn.phase}`);
    await txn.settle();
    return txn;
  }

  prepare(id: TxnId): Promise<void> {
    return this.prepareAs(id, 'prepare');
  }

  /**
   * Makes the write set durable: as `prepare` for an aggregator to decide, or as `decided` when
   * this leaf commits a transaction whose parts are all here (recovery then commits it).
   */
  private async prepareAs(id: TxnId, kind: 'prepare' | 'decided'): Promise<void> {
    const txn = this.txns.get(id);
    if (txn === undefined) {
      if (this.aborted.has(id)) throw rolledBackError();
      // A transaction that never touched this leaf has nothing to prepare.
      const empty = new LeafTxn(id);
      empty.phase = 'prepared';
      this.txns.set(id, empty);
      return;
    }
    if (txn.phase === 'prepared') return;
    if (txn.phase !== 'active')
      throw sqlError('XAER_RMFAIL', `XAER_RMFAIL: Transaction '${id}' is ${txn.phase}`);
    await this.refuseBroken(txn, true);
    txn.phase = 'preparing';
    const prepared = this.writePrepare(txn, kind);
    txn.preparing = prepared.catch(() => undefined);
    await prepared;
  }

  private async writePrepare(txn: LeafTxn, kind: 'prepare' | 'decided'): Promise<void> {
    const id = txn.id;
    await txn.settle();
    try {
      for (const [key, part] of txn.parts) {
        if (!part.wrote) {
          await rollbackQuietly(part);
          txn.parts.delete(key);
        }
      }
      const nowMs = Date.now();
      // The load files' fsyncs overlap the engines' work.
      await settleAll([
        ...[...txn.parts.values()].map(
          (part) => part.txn?.markApplied(id, nowMs) ?? Promise.resolve(),
        ),
        syncLoadFiles(loadFilesOf(txn)),
      ]);
      if (txn.parts.size > 0) {
        txn.record = encodeLogRecord({ kind, txn: id, writes: txn.writes });
        await this.options.log.append(txn.record, true);
        txn.decided = kind === 'decided';
      }
      txn.phase = 'prepared';
    } catch (error) {
      txn.phase = 'active';
      await this.abort(txn);
      throw error instanceof TransactionAborted ? error.reason : error;
    }
  }

  async commit(id: TxnId): Promise<void> {
    const txn = this.txns.get(id);
    if (txn === undefined) {
      if (this.aborted.has(id)) throw rolledBackError();
      if (this.committed.has(id) || (await this.appliedAnywhere(id))) return;
      throw sqlError('XAER_NOTA', `XAER_NOTA: Unknown XID '${id}'`);
    }
    if (txn.phase === 'active') {
      await txn.settle();
      await this.refuseBroken(txn, true);
      const written = [...txn.parts.values()].filter((part) => part.wrote).length;
      // Several engines wrote, all on this leaf: the leaf decides, and logs that it did, so a
      // kill between two engine commits is finished by recovery rather than left in doubt.
      if (written > 1) await this.prepareAs(id, 'decided');
      else return this.commitOnePhase(txn);
    }
    if (txn.phase !== 'prepared')
      throw sqlError('XAER_RMFAIL', `XAER_RMFAIL: Transaction '${id}' is ${txn.phase}`);
    failpoint('leaf-before-commit');
    await this.commitPrepared(txn);
  }

  /** At most one part wrote: its commit alone decides, so no prepare record is needed. */
  private async commitOnePhase(txn: LeafTxn): Promise<void> {
    txn.phase = 'committing';
    try {
      for (const part of txn.parts.values()) {
        if (!part.wrote) await rollbackQuietly(part);
      }
      for (const part of txn.parts.values()) {
        if (part.wrote) await part.txn?.commit();
      }
      this.committed.add(txn.id);
    } catch (error) {
      this.aborted.add(txn.id);
      throw error;
    } finally {
      this.txns.delete(txn.id);
      await removeLoadFiles(loadFilesOf(txn));
    }
  }

  private async commitPrepared(txn: LeafTxn): Promise<void> {
    txn.phase = 'committing';
    try {
      // Parts commit at once: each is its own engine transaction (and WAL fsync).
      await settleAll(
        [...txn.parts.values()].map(async (part) => {
          if (part.committed) return;
          await this.commitPart(txn, part);
          part.committed = true;
          failpoint('leaf-after-part-commit');
        }),
      );
    } catch (error) {
      txn.phase = 'prepared';
      throw error;
    }
    this.txns.delete(txn.id);
    this.committed.add(txn.id);
    await this.logOutcome(txn, 'committed');
    await removeLoadFiles(loadFilesOf(txn));
  }

  /** Commits a part; if its commit fails (or the transaction was lost), redoes its writes. */
  private async commitPart(txn: LeafTxn, part: TxnPart): Promise<void> {
    let lastError: unknown;
    for (let attempt = 0; attempt <= REDO_ATTEMPTS; attempt++) {
      try {
        if (part.txn === undefined) part.txn = await this.redo(txn, part);
        await part.txn.commit();
        return;
      } catch (error) {
        lastError = error instanceof TransactionAborted ? error.reason : error;
        part.txn = undefined;
        this.options.logger.warn('commit of a prepared transaction failed; redoing its writes', {
          txn: txn.id,
          partition: part.partition.ref,
          engine: part.engine,
          error: String(lastError),
        });
      }
    }
    throw lastError;
  }

  /** A fresh engine transaction holding the part's logged writes and its `_exo_applied` row. */
  async redo(txn: LeafTxn, part: TxnPart): Promise<NonNullable<TxnPart['txn']>> {
    const engineTxn = await part.partition.begin(part.engine, txn.id);
    try {
      for (const write of txn.writesOf(part)) await replay(engineTxn, write);
      await engineTxn.markApplied(txn.id, Date.now());
      return engineTxn;
    } catch (error) {
      await engineTxn.rollback().catch(() => undefined);
      throw error instanceof TransactionAborted ? error.reason : error;
    }
  }

  async rollback(id: TxnId): Promise<void> {
    // A prepare under way ends first: its record, written after this rollback, would bring the
    // transaction back in doubt (holding its locks) at the next start.
    await this.txns.get(id)?.preparing;
    this.aborted.delete(id);
    const txn = this.txns.get(id);
    if (txn === undefined) return;
    if (txn.phase === 'committing')
      throw sqlError('XAER_RMFAIL', `XAER_RMFAIL: Transaction '${id}' is committing`);
    if (txn.decided) {
      // Committed by this leaf's own decision (or some part already committed, which only a
      // commit decision allows): an aggregator that finds it in doubt can only finish it.
      this.options.logger.warn('finishing the commit of a transaction decided here', { txn: id });
      await this.commitPrepared(txn);
      return;
    }
    const wasPrepared = txn.phase === 'prepared' && txn.record !== undefined;
    txn.phase = 'committing';
    this.options.failWaits?.(id, rolledBackError());
    await txn.settle();
    this.txns.delete(id);
    for (const part of txn.parts.values()) {
      if (part.committed)
        this.options.logger.error('rollback of a partly committed transaction', { txn: id });
      await rollbackQuietly(part);
    }
    if (wasPrepared) await this.logOutcome(txn, 'rolledBack');
    await removeLoadFiles(loadFilesOf(txn));
  }

  /**
   * The aggregator connection that carried the transaction closed. An unprepared transaction
   * can never be committed by it any more, and holding it open would keep its locks forever:
   * it is rolled back (later requests naming it get 1402). A prepared one stays in doubt until
   * an aggregator decides.
   */
  async abandon(id: TxnId): Promise<void> {
    const txn = this.txns.get(id);
    if (txn === undefined || txn.phase !== 'active') return;
    await this.abort(txn);
  }

  inDoubt(): TxnId[] {
    return [...this.txns.values()]
      .filter((txn) => txn.phase === 'prepared' && txn.record !== undefined)
      .map((txn) => txn.id);
  }

  /** The load files live transactions refer to (the others are leftovers of a crash). */
  liveLoadFiles(): Set<string> {
    const files = new Set<string>();
    for (const txn of this.txns.values()) for (const file of loadFilesOf(txn)) files.add(file);
    return files;
  }

  /** The prepare records still needed (undecided transactions), for log compaction. */
  liveRecords(): Buffer[] {
    return [...this.txns.values()].flatMap((txn) => (txn.record === undefined ? [] : [txn.record]));
  }

  private async logOutcome(txn: LeafTxn, kind: 'committed' | 'rolledBack'): Promise<void> {
    if (txn.record === undefined) return;
    await this.options.log.append(encodeLogRecord({ kind, txn: txn.id }), false);
    if (this.options.log.size > LOG_COMPACT_BYTES)
      await this.options.log.compact(() => this.liveRecords());
  }

  private async appliedAnywhere(id: TxnId): Promise<boolean> {
    for (const partition of this.options.partitions()) {
      if ((await partition.isApplied('row', id)) || (await partition.isApplied('column', id)))
        return true;
    }
    return false;
  }

  /** Rolls back every open engine transaction (the leaf is closing; prepared ones are redone on restart). */
  async closeAll(): Promise<void> {
    for (const txn of this.txns.values()) {
      for (const part of txn.parts.values()) await rollbackQuietly(part);
    }
    this.txns.clear();
  }
}

export async function replay(
  engineTxn: NonNullable<TxnPart['txn']>,
  write: WriteRecord,
): Promise<void> {
  if (write.kind === 'exec')
    await engineTxn.exec({ sql: write.sql, params: write.params, columns: undefined });
  else if (write.kind === 'load')
    await engineTxn.exec({ sql: write.sql, params: [], columns: undefined });
  else await engineTxn.insert(write);
}

function loadFilesOf(txn: LeafTxn): string[] {
  return txn.writes.flatMap((write) => (write.kind === 'load' ? [write.file] : []));
}

async function rollbackQuietly(part: TxnPart): Promise<void> {
  const engineTxn = part.txn;
  part.txn = undefined;
  await engineTxn?.rollback().catch(() => undefined);
}

function rolledBackError(): SqlError {
  return sqlError('XA_RBROLLBACK', 'XA_RBROLLBACK: Transaction branch was rolled back');
}

/** Waits for every step, then throws the first failure (no step is left running). */
async function settleAll(steps: readonly Promise<unknown>[]): Promise<void> {
  const outcomes = await Promise.allSettled(steps);
  for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
}
