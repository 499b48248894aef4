/**
 * A columnstore partition's part of a leaf transaction: one DuckDB transaction on a pooled
 * connection (`duckdb-store.ts`), with the partition's row lock (`DuckStore.rowLock`) from its
 * first locking read or row-changing statement to its end.
 */
import { sqlError } from '../errors.js';
import { duckdbError } from './engine-errors.js';
import {
  APPLIED_RETENTION_MS,
  APPLIED_TABLE,
  changesRows,
  TransactionAborted,
  type EngineTxn,
  type ExecOutcome,
  type RowsInput,
  type StatementInput,
} from './exec-types.js';
import type { DuckConnection, DuckStore } from './duckdb-store.js';

/**
 * DuckDB aborts a transaction on any error; the whole transaction is then rolled back. DuckDB
 * takes a transaction's snapshot of a database at its first statement there, not at BEGIN.
 */
export class DuckTxn implements EngineTxn {
  private connection: DuckConnection | undefined;
  /** Whether a statement ran here yet (the snapshot is taken), and whether the read lock is held. */
  private started = false;
  private locked = false;

  constructor(
    private readonly store: DuckStore,
    connection: DuckConnection,
    private readonly owner: string,
  ) {
    this.connection = connection;
  }

  async exec(input: StatementInput): Promise<ExecOutcome> {
    const rowLock = this.store.rowLock;
    const locks = (input.lock === true && !this.started) || changesRows(input.sql);
    if (locks && !this.locked && rowLock !== undefined) {
      await rowLock.lock.acquire(this.owner, input.lockWaitMs ?? rowLock.timeoutMs);
      this.locked = true;
    }
    this.started = true;
    return this.guard((connection) => connection.run(input));
  }

  insert(input: RowsInput): Promise<number> {
    return this.guard((connection) => connection.insert(input));
  }

  /**
   * Lets DuckDB insert a load in any order. The setting is global to the DuckDB instance (every
   * connection sees it), so it is set once per leaf and the connection stays poolable.
   */
  async relaxInsertionOrder(): Promise<void> {
    if (this.store.engine.insertionOrderRelaxed) return;
    await this.guard(async (connection) => {
      await connection.connection.run('SET preserve_insertion_order = false');
    });
    this.store.engine.insertionOrderRelaxed = true;
  }

  async markApplied(txn: string, nowMs: number): Promise<void> {
    await this.guard((connection) =>
      connection.run({
        sql: `INSERT INTO ${APPLIED_TABLE} VALUES (?, ?)`,
        params: [txn, nowMs],
        columns: undefined,
      }),
    );
    if (this.store.shouldPrune()) {
      await this.guard((connection) =>
        connection.run({
          sql: `DELETE FROM ${APPLIED_TABLE} WHERE applied_at < ?`,
          params: [nowMs - APPLIED_RETENTION_MS],
          columns: undefined,
        }),
      );
    }
  }

  async commit(): Promise<void> {
    const connection = this.release();
    try {
      await connection.connection.run('COMMIT');
    } catch (error) {
      // A failed COMMIT leaves no transaction behind in DuckDB.
      await connection.connection.run('ROLLBACK').catch(() => undefined);
      throw duckdbError(error);
    } finally {
      this.store.give(connection);
      this.unlock();
    }
  }

  async rollback(): Promise<void> {
    if (this.connection === undefined) return;
    const connection = this.release();
    await connection.connection.run('ROLLBACK').catch(() => undefined);
    this.store.give(connection);
    this.unlock();
  }

  /** After the commit or rollback: the next locking reader's snapshot sees this one's writes. */
  private unlock(): void {
    if (!this.locked) return;
    this.locked = false;
    this.store.rowLock?.lock.release(this.owner);
  }

  private release(): DuckConnection {
    const connection = this.connection;
    if (connection === undefined)
      throw new TransactionAborted(sqlError('INTERNAL', 'Transaction already finished'));
    this.connection = undefined;
    return connection;
  }

  private async guard<T>(step: (connection: DuckConnection) => Promise<T>): Promise<T> {
    const connection = this.connection;
    if (connection === undefined)
      throw new TransactionAborted(sqlError('INTERNAL', 'Transaction already finished'));
    try {
      return await step(connection);
    } catch (error) {
      await this.rollback();
      throw new TransactionAborted(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
