/**
 * Writes to a rowstore partition file that another process (its leaf) serves: the aggregator's
 * autocommit writes on a leaf of its host (`aggregator/local-writes.ts`), without the leaf hop.
 *
 * A write runs only when nothing could make it wait or wrong: it takes SQLite's write lock
 * without waiting (BEGIN IMMEDIATE on a busy_timeout=0 connection: a leaf transaction that
 * wrote holds that lock until it ends, so a busy file means "ask the leaf", whose lock queue
 * makes the write wait as InnoDB's row locks would); the file's write fence must be the one the
 * caller was told (`write-fence.ts`: the leaf serving the file, the partition not frozen); the
 * caller's own condition (`admit`) must still hold when it runs; and every statement must be a
 * point statement (`point-plan.ts`), so a write never holds the caller's event loop longer than
 * a lookup. Otherwise nothing runs and the answer is undefined: at once for a statement that is
 * not a point statement, through the promise for the rest.
 *
 * Group commit: the writes asked for during one turn of the event loop run together after it
 * (setImmediate), up to `GROUP_WRITES_MAX` in one SQLite transaction, each inside its own
 * savepoint, and every promise settles after the COMMIT: one BEGIN, fence read and COMMIT for
 * the group instead of one each, while a write is still acknowledged only once it is in the
 * file. An engine error (a duplicate key, a value the column refuses) rolls back that write
 * alone, and its promise rejects with it; a failed COMMIT rejects them all, and none of them
 * is in the file. The connection settings are the leaf's own (`sqlite-connection.ts`), so a
 * commit acknowledged here is as durable as one the leaf acknowledges.
 */
import type Database from 'better-sqlite3';
import { isSqliteBusy } from './engine-errors.js';
import type { ExecOutcome, RowsInput, StatementInput } from './exec-types.js';
import { planShape } from './point-plan.js';
import { insertRows, SqliteConnection } from './sqlite-connection.js';
import { runStatement, type Statement } from './sqlite-run.js';
import { StatementCache } from './statement-cache.js';
import { fenceReader } from './write-fence.js';

const PLAN_CACHE_SIZE = 256;
/** A multi-row insert of more rows than this goes to the leaf. */
export const LOCAL_INSERT_ROWS_MAX = 64;
/** Writes committed in one transaction at most; more wait for the next one. */
export const GROUP_WRITES_MAX = 64;

/** One write waiting for its group's transaction. */
interface Pending {
  readonly fence: number;
  readonly admit: () => boolean;
  readonly step: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

const always = (): boolean => true;

export class SqliteWriter {
  /** Whether each statement text is a point statement (prepared statements live in `connection`). */
  private readonly points = new StatementCache<boolean>(PLAN_CACHE_SIZE);
  private readonly begin: Statement;
  private readonly commit: Statement;
  private readonly savepoint: Statement;
  private readonly release: Statement;
  private readonly rollbackTo: Statement;
  private readonly readFence: () => number;
  private queue: Pending[] = [];
  private closed = false;

  private constructor(
    private readonly connection: SqliteConnection,
    private readonly onCommit: () => void,
  ) {
    const { db } = connection;
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.savepoint = db.prepare('SAVEPOINT exo_write');
    this.release = db.prepare('RELEASE exo_write');
    this.rollbackTo = db.prepare('ROLLBACK TO exo_write');
    this.readFence = fenceReader(db);
  }

  /**
   * Opens the file for writing; fails when it does not exist. `onCommit` is called after each
   * committed transaction.
   */
  static open(file: string, onCommit: () => void = () => undefined): SqliteWriter {
    return new SqliteWriter(new SqliteConnection(file, { mustExist: true }), onCommit);
  }

  /**
   * Runs the statements as one write of the next group commit; undefined at once when one of
   * them is not a point statement.
   */
  write(
    fence: number,
    inputs: readonly StatementInput[],
    admit: () => boolean = always,
  ): Promise<ExecOutcome[] | undefined> | undefined {
    const statements: Statement[] = [];
    for (const input of inputs) {
      const statement = this.pointStatement(input);
      if (statement === undefined) return undefined;
      statements.push(statement);
    }
    return this.enqueue(fence, admit, () =>
      statements.map((statement, index) =>
        runStatement(statement, inputs[index] as StatementInput),
      ),
    );
  }

  /** Inserts a few rows (at most `LOCAL_INSERT_ROWS_MAX`) as one write of the next group. */
  insert(
    fence: number,
    input: RowsInput,
    admit: () => boolean = always,
  ): Promise<number | undefined> | undefined {
    if (input.rows.length > LOCAL_INSERT_ROWS_MAX) return undefined;
    return this.enqueue(fence, admit, () => insertRows(this.connection, input));
  }

  /** Closes the file; writes still waiting answer undefined. */
  close(): void {
    this.closed = true;
    this.points.clear();
    this.connection.close();
  }

  private get db(): Database.Database {
    return this.connection.db;
  }

  private pointStatement(input: StatementInput): Statement | undefined {
    const statement = this.connection.statement(input.sql);
    let point = this.points.get(input.sql);
    if (point === undefined) {
      point = planShape(this.db, input).point;
      this.points.set(input.sql, point);
    }
    return point ? statement : undefined;
  }

  private enqueue<T>(fence: number, admit: () => boolean, step: () => T): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve, reject) => {
      const pending: Pending = {
        fence,
        admit,
        step,
        resolve: resolve as (value: unknown) => void,
        reject,
      };
      if (this.queue.push(pending) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const queue = this.queue;
    this.queue = [];
    for (let first = 0; first < queue.length; first += GROUP_WRITES_MAX)
      this.commitGroup(queue.slice(first, first + GROUP_WRITES_MAX));
  }

  private commitGroup(group: readonly Pending[]): void {
    if (this.closed) {
      for (const pending of group) pending.resolve(undefined);
      return;
    }
    try {
      this.begin.run();
    } catch (error) {
      for (const pending of group)
        if (isSqliteBusy(error)) pending.resolve(undefined);
        else pending.reject(error);
      return;
    }
    const answers: (() => void)[] = [];
    try {
      const fence = this.readFence();
      for (const pending of group) {
        if (pending.fence !== fence || !pending.admit()) {
          answers.push(() => pending.resolve(undefined));
        } else if (group.length === 1) {
          // Alone in its transaction: a failure rolls the whole transaction back below.
          const value = pending.step();
          answers.push(() => pending.resolve(value));
        } else {
          answers.push(this.runInSavepoint(pending));
        }
      }
      this.commit.run();
    } catch (error) {
      // A failed COMMIT leaves the transaction open or rolled back, never committed.
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const pending of group) pending.reject(error);
      return;
    }
    this.onCommit();
    for (const answer of answers) answer();
  }

  /** Runs one write of a group; an engine error undoes it alone. Returns how to answer it. */
  private runInSavepoint(pending: Pending): () => void {
    this.savepoint.run();
    try {
      const value = pending.step();
      this.release.run();
      return () => pending.resolve(value);
    } catch (error) {
      this.rollbackTo.run();
      this.release.run();
      return () => pending.reject(error);
    }
  }
}
