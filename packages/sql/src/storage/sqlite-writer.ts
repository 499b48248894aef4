/**
 * Writes to a rowstore partition file that another process (its leaf) serves: the aggregator's
 * autocommit writes on a leaf of its host (`aggregator/local-writes.ts`), without the leaf hop.
 *
 * A write runs only when nothing could make it wait or wrong: it takes SQLite's write lock
 * without waiting (BEGIN IMMEDIATE on a busy_timeout=0 connection: a leaf transaction that
 * wrote holds that lock until it ends, so a busy file means "ask the leaf", whose lock queue
 * makes the write wait as InnoDB's row locks would); the file's write fence must be the one the
 * caller was told (`write-fence.ts`: the leaf serving the file, the partition not frozen); and
 * every statement must be a point statement (`point-plan.ts`), so a write never holds the
 * caller's event loop longer than a lookup. Otherwise nothing runs and the answer is
 * undefined. An engine error (a duplicate key, a value the column refuses) rolls the whole
 * write back and is thrown. The connection settings are the leaf's own (`sqlite-connection.ts`),
 * so a commit acknowledged here is as durable as one the leaf acknowledges.
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

export class SqliteWriter {
  /** Whether each statement text is a point statement (prepared statements live in `connection`). */
  private readonly points = new StatementCache<boolean>(PLAN_CACHE_SIZE);
  private readonly begin: Statement;
  private readonly commit: Statement;
  private readonly readFence: () => number;

  private constructor(private readonly connection: SqliteConnection) {
    this.begin = connection.db.prepare('BEGIN IMMEDIATE');
    this.commit = connection.db.prepare('COMMIT');
    this.readFence = fenceReader(connection.db);
  }

  /** Opens the file for writing; fails when it does not exist. */
  static open(file: string): SqliteWriter {
    return new SqliteWriter(new SqliteConnection(file, { mustExist: true }));
  }

  /** Runs the statements as one transaction, or answers undefined (nothing ran). */
  write(fence: number, inputs: readonly StatementInput[]): ExecOutcome[] | undefined {
    const statements: Statement[] = [];
    for (const input of inputs) {
      const statement = this.pointStatement(input);
      if (statement === undefined) return undefined;
      statements.push(statement);
    }
    return this.fenced(fence, () =>
      statements.map((statement, index) =>
        runStatement(statement, inputs[index] as StatementInput),
      ),
    );
  }

  /** Inserts a few rows (at most `LOCAL_INSERT_ROWS_MAX`) as one transaction, or undefined. */
  insert(fence: number, input: RowsInput): number | undefined {
    if (input.rows.length > LOCAL_INSERT_ROWS_MAX) return undefined;
    return this.fenced(fence, () => insertRows(this.connection, input));
  }

  close(): void {
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

  private fenced<T>(fence: number, step: () => T): T | undefined {
    try {
      this.begin.run();
    } catch (error) {
      if (isSqliteBusy(error)) return undefined;
      throw error;
    }
    try {
      if (this.readFence() !== fence) {
        this.db.exec('ROLLBACK');
        return undefined;
      }
      const result = step();
      this.commit.run();
      return result;
    } catch (error) {
      // A failed COMMIT leaves the transaction open or rolled back, never committed.
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }
}
