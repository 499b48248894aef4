/**
 * A read-only connection to a rowstore partition file that another process (its leaf) writes:
 * SQLite in WAL mode lets readers in other processes see every committed transaction, and
 * only those. Used by the aggregator for point reads on a leaf of the same host
 * (`aggregator/local-reads.ts`).
 *
 * Only a point lookup runs here: a statement whose SQLite plan is one SEARCH by equalities on
 * the integer primary key or on every column of a unique index (`EXPLAIN QUERY PLAN`, checked
 * once per statement text), so a read never holds the caller's event loop longer than a lookup. Anything else answers undefined and goes to
 * the leaf.
 */
import Database from 'better-sqlite3';
import { registerSqliteFunctions } from '../dialect/index.js';
import type { ExecOutcome, StatementInput } from './exec-types.js';
import { prepareStatement, runStatement, type Statement } from './sqlite-run.js';
import { sqliteParam } from './sqlite-values.js';
import { StatementCache } from './statement-cache.js';

const STATEMENT_CACHE_SIZE = 256;
/**
 * One plan step, a search by equalities (`SEARCH t USING … (a=? AND b=?)`) of the integer
 * primary key, or of an index (its name captured: it must be unique and fully pinned).
 */
const POINT_SEARCH =
  /^SEARCH \S+ USING (?:INTEGER PRIMARY KEY|(?:COVERING )?INDEX (\S+)) \(([^)]*)\)$/;
const EQUALITY_TERM = /^\S+=\?$/;

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
    const plan = this.db
      .prepare(`EXPLAIN QUERY PLAN ${input.sql}`)
      .all(...input.params.map(sqliteParam)) as { detail: string }[];
    if (plan.length !== 1) return false;
    const search = POINT_SEARCH.exec(plan[0]?.detail ?? '');
    const terms = search?.[2]?.split(' AND ');
    if (terms === undefined || !terms.every((term) => EQUALITY_TERM.test(term))) return false;
    const index = search?.[1];
    return index === undefined || this.isUniqueOn(index, terms.length);
  }

  /** Whether the index is unique and has exactly `columns` key columns. */
  private isUniqueOn(index: string, columns: number): boolean {
    const keyColumns = this.db
      .prepare('SELECT COUNT(*) AS n FROM pragma_index_info(?)')
      .get(index) as { n: unknown } | undefined;
    if (Number(keyColumns?.n) !== columns) return false;
    if (index.startsWith('sqlite_autoindex_')) return true;
    const definition = this.db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")
      .get(index) as { sql: unknown } | undefined;
    return typeof definition?.sql === 'string' && /^CREATE UNIQUE INDEX/i.test(definition.sql);
  }

  close(): void {
    this.cache.clear();
    this.db.close();
  }
}
