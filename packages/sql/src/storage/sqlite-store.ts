/**
 * The rowstore side of a partition: one SQLite file in WAL mode with synchronous=NORMAL (an
 * acknowledged commit survives kill -9 of any process), busy_timeout=0 (waiting happens in
 * `write-lock.ts`, never inside the synchronous engine), and foreign keys off.
 *
 * Autocommit statements share one connection. A transaction reads through the shared
 * connection until its first write (each read then sees the latest commit: READ COMMITTED);
 * the first write takes the partition's write lock and a connection of its own with
 * BEGIN IMMEDIATE, so from then on it reads its own writes and can never hit SQLITE_BUSY_SNAPSHOT.
 */
import { sqlError } from '../errors.js';
import { isSqliteBusy, sqliteError } from './engine-errors.js';
import {
  APPLIED_PRUNE_EVERY,
  APPLIED_RETENTION_MS,
  APPLIED_TABLE,
  TransactionAborted,
  type EngineTxn,
  type ExecOutcome,
  type RowsInput,
  type StatementInput,
} from './exec-types.js';
import { insertRows, run, SqliteConnection } from './sqlite-connection.js';
import type { WriteLock } from './write-lock.js';
import { writeFence } from './write-fence.js';

const IDLE_CONNECTIONS_MAX = 8;
const BUSY_BACKOFF_MAX_MS = 50;

/** Retries a synchronous step that met SQLITE_BUSY with timer backoff, never blocking the loop. */
async function retryBusy<T>(step: () => T, deadlineMs: number): Promise<T> {
  for (let delayMs = 1; ; delayMs = Math.min(delayMs * 2, BUSY_BACKOFF_MAX_MS)) {
    try {
      return step();
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause ?? error;
      if (!isSqliteBusy(cause) || Date.now() + delayMs > deadlineMs) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

/** A synchronous step, or undefined when SQLite was busy (nothing ran; retry with `retryBusy`). */
function attempt<T>(step: () => T): T | undefined {
  try {
    return step();
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause ?? error;
    if (isSqliteBusy(cause)) return undefined;
    throw error;
  }
}

let autocommitCounter = 0;

export class SqliteStore {
  private readonly shared: SqliteConnection;
  private readonly idle: SqliteConnection[] = [];
  private commits = 0;

  constructor(
    private readonly file: string,
    readonly lock: WriteLock,
    readonly lockWaitTimeoutMs: number,
  ) {
    this.shared = new SqliteConnection(file);
    this.shared.db.exec(
      `CREATE TABLE IF NOT EXISTS ${APPLIED_TABLE} (txn TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`,
    );
  }

  /**
   * Moves the WAL's pages into the database file, so the file alone holds every commit. A
   * reader in another process (the aggregator's point reads, `sqlite-reader.ts`) can keep the
   * checkpoint from finishing: waits for it, retrying, until `lockWaitTimeoutMs`.
   */
  async checkpoint(): Promise<void> {
    const done = (): boolean => {
      const [row] = this.shared.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: unknown }[];
      return row === undefined || Number(row.busy) === 0;
    };
    await retryBusy(() => {
      if (!done())
        throw sqlError(
          'LOCK_WAIT_TIMEOUT',
          'Lock wait timeout exceeded; a reader kept the checkpoint from finishing',
          { code: 'SQLITE_BUSY' },
        );
    }, Date.now() + this.lockWaitTimeoutMs);
  }

  /** Sets the file's write fence (`write-fence.ts`), waiting for the write lock. */
  async setFence(fence: number): Promise<void> {
    await this.withLock(() => writeFence(this.shared.db, fence));
  }

  async exec(input: StatementInput): Promise<ExecOutcome> {
    if (this.isReadOnly(input.sql)) {
      return retryBusy(() => run(this.shared, input), Date.now() + this.lockWaitTimeoutMs);
    }
    return this.withLock(() => run(this.shared, input), input.lockWaitMs);
  }

  /**
   * Runs an autocommit statement at once when nothing makes it wait: a read, or a write whose
   * partition write lock is free. Undefined when it must wait (a held lock, SQLITE_BUSY); the
   * caller then uses `exec`, which waits. better-sqlite3 is synchronous, so this answer needs
   * no promise at all (the common point read or single-row write of OLTP work).
   */
  execNow(input: StatementInput): ExecOutcome | undefined {
    if (this.isReadOnly(input.sql)) return attempt(() => run(this.shared, input));
    const owner = `autocommit:${++autocommitCounter}`;
    if (!this.lock.tryAcquire(owner)) return undefined;
    try {
      return attempt(() => run(this.shared, input));
    } finally {
      this.lock.release(owner);
    }
  }

  async insert(input: RowsInput): Promise<number> {
    return this.withLock(() => {
      const db = this.shared.db;
      db.exec('BEGIN IMMEDIATE');
      try {
        const affected = insertRows(this.shared, input);
        db.exec('COMMIT');
        return affected;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    }, input.lockWaitMs);
  }

  /** Whether `_exo_applied` holds the transaction (it committed here). */
  isApplied(txn: string): boolean {
    return (
      this.shared.db.prepare(`SELECT 1 FROM ${APPLIED_TABLE} WHERE txn = ?`).get(txn) !== undefined
    );
  }

  begin(owner: string): EngineTxn {
    return new SqliteTxn(this, owner);
  }

  /** A step that writes through the shared connection, under the write lock. */
  private async withLock<T>(step: () => T, lockWaitMs = this.lockWaitTimeoutMs): Promise<T> {
    const owner = `autocommit:${++autocommitCounter}`;
    const deadlineMs = Date.now() + lockWaitMs;
    if (!this.lock.tryAcquire(owner)) await this.lock.acquire(owner, lockWaitMs);
    try {
      return await retryBusy(step, deadlineMs);
    } finally {
      this.lock.release(owner);
    }
  }

  takeConnection(): SqliteConnection {
    return this.idle.pop() ?? new SqliteConnection(this.file);
  }

  giveConnection(connection: SqliteConnection): void {
    if (connection.db.inTransaction) connection.db.exec('ROLLBACK');
    if (this.idle.length < IDLE_CONNECTIONS_MAX) this.idle.push(connection);
    else connection.close();
  }

  isReadOnly(sql: string): boolean {
    return this.shared.statement(sql).readonly;
  }

  readShared(input: StatementInput): ExecOutcome {
    return run(this.shared, input);
  }

  /** Whether this commit should also prune expired `_exo_applied` rows. */
  shouldPrune(): boolean {
    this.commits += 1;
    return this.commits % APPLIED_PRUNE_EVERY === 0;
  }

  close(): void {
    for (const connection of this.idle.splice(0)) connection.close();
    this.shared.close();
  }
}

class SqliteTxn implements EngineTxn {
  private connection: SqliteConnection | undefined;
  private finished = false;

  constructor(
    private readonly store: SqliteStore,
    private readonly owner: string,
  ) {}

  async exec(input: StatementInput): Promise<ExecOutcome> {
    if (this.connection === undefined) {
      // A locking read waits for the writer before it, then reads in its own write transaction.
      if (input.lock !== true && this.store.isReadOnly(input.sql))
        return this.store.readShared(input);
      await this.beginWrites(input.lockWaitMs);
    }
    return this.guard(() => run(this.connectionOrThrow(), input));
  }

  async insert(input: RowsInput): Promise<number> {
    await this.beginWrites(input.lockWaitMs);
    const db = this.connectionOrThrow().db;
    return this.guard(() => {
      db.exec('SAVEPOINT exo_insert');
      try {
        const affected = insertRows(this.connectionOrThrow(), input);
        db.exec('RELEASE exo_insert');
        return affected;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK TO exo_insert; RELEASE exo_insert');
        throw error;
      }
    });
  }

  async markApplied(txn: string, nowMs: number): Promise<void> {
    await this.beginWrites();
    const db = this.connectionOrThrow().db;
    db.prepare(`INSERT INTO ${APPLIED_TABLE} (txn, applied_at) VALUES (?, ?)`).run(txn, nowMs);
    if (this.store.shouldPrune()) {
      db.prepare(`DELETE FROM ${APPLIED_TABLE} WHERE applied_at < ?`).run(
        nowMs - APPLIED_RETENTION_MS,
      );
    }
  }

  commit(): Promise<void> {
    this.finish('COMMIT');
    return Promise.resolve();
  }

  rollback(): Promise<void> {
    this.finish('ROLLBACK');
    return Promise.resolve();
  }

  private async beginWrites(lockWaitMs = this.store.lockWaitTimeoutMs): Promise<void> {
    if (this.connection !== undefined) return;
    if (this.finished) throw new TransactionAborted(new Error('Transaction already finished'));
    const deadlineMs = Date.now() + lockWaitMs;
    await this.store.lock.acquire(this.owner, lockWaitMs);
    const connection = this.store.takeConnection();
    try {
      await retryBusy(() => connection.db.exec('BEGIN IMMEDIATE'), deadlineMs);
    } catch (error) {
      this.store.giveConnection(connection);
      this.store.lock.release(this.owner);
      throw sqliteError(error);
    }
    this.connection = connection;
  }

  private connectionOrThrow(): SqliteConnection {
    if (this.connection === undefined)
      throw new TransactionAborted(new Error('Transaction has no connection'));
    return this.connection;
  }

  /** SQLite rolls back the whole transaction on some errors (disk full, I/O): report that. */
  private guard<T>(step: () => T): T {
    try {
      return step();
    } catch (error) {
      if (this.connection !== undefined && !this.connection.db.inTransaction) {
        this.finish('ROLLBACK');
        throw new TransactionAborted(error instanceof Error ? error : new Error(String(error)));
      }
      throw error;
    }
  }

  private finish(verb: 'COMMIT' | 'ROLLBACK'): void {
    if (this.finished) return;
    this.finished = true;
    const connection = this.connection;
    this.connection = undefined;
    if (connection === undefined) return;
    try {
      if (connection.db.inTransaction) connection.db.exec(verb);
    } catch (error) {
      if (connection.db.inTransaction) connection.db.exec('ROLLBACK');
      throw sqliteError(error);
    } finally {
      this.store.giveConnection(connection);
      this.store.lock.release(this.owner);
    }
  }
}
