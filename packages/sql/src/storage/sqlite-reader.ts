/**
 * A read-only connection to a rowstore partition file that another process (its leaf) writes:
 * SQLite in WAL mode lets readers in other processes see every committed transaction, and
 * only those. Used by the aggregator for point reads on a leaf of the same host
 * (`aggregator/local-reads.ts`).
 *
 * Only a point lookup runs here: a statement whose SQLite plan is one point search
 * (`point-plan.ts`, checked once per statement text), so a read never holds the caller's event
 * loop longer than a lookup. Anything else answers undefined and goes to the leaf.
 */
import Database from 'better-sqlite3';
import { registerSqliteFunctions } from '../dialect/index.js';
import type { ExecOutcome, StatementInput } from './exec-types.js';
import { prepareStatement, runStatement, type Statement } from './sqlite-run.js';
import { planShape } from './point-plan.js';
import { StatementCache } from './statement-cache.js';

const STATEMENT_CACHE_SIZE = 256;

interface ReaderStatement {
  readonly statement: Statement;
  readonly point: boolean;
}

export class SqliteReader {
  private readonly cache = new StatementCache<ReaderStatement>(STATEMENT_CACHE_SIZE);

  private constructor(private readonly db: Database.Database) {}

  /** Opens the file read-only; fails when it does not exist. */
  static open(file: string): SqliteReader {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      db.defaultSafeIntegers(true);
      registerSqliteFunctions(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteReader(db);
  }

  /** The statement's result when it is a point lookup; undefined when it is not one. */
  pointRead(input: StatementInput): ExecOutcome | undefined {
    let entry = this.cache.get(input.sql);
    if (entry === undefined) {
      const statement = prepareStatement(this.db, input.sql);
      entry = { statement, point: statement.readonly && this.isPointLookup(input) };
      this.cache.set(input.sql, entry);
    }
    return entry.point ? runStatement(entry.statement, input) : undefined;
  }

  private isPointLookup(input: StatementInput): boolean {
    const shape = planShape(this.db, input);
    return shape.steps === 1 && shape.point;
  }

  close(): void {
    this.cache.clear();
    this.db.close();
  }
}
