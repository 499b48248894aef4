/**
 * A connection to a rowstore partition file with the settings every writer of it uses: WAL
 * mode, synchronous=NORMAL (an acknowledged commit survives kill -9 of any process),
 * busy_timeout=0 (a writer never waits inside the synchronous engine), foreign keys off, and
 * the MySQL functions translated SQL calls. The leaf's store (`sqlite-store.ts`) and the
 * aggregator's same-host writes (`sqlite-writer.ts`) both write through it.
 */
import Database from 'better-sqlite3';
import { registerSqliteFunctions } from '../dialect/index.js';
import { sqliteError } from './engine-errors.js';
import type { ExecOutcome, RowsInput, StatementInput } from './exec-types.js';
import { quoteIdentifier } from './names.js';
import { rowstoreIntegerRefusal, sqliteParam } from './sqlite-values.js';
import { prepareStatement, runStatement, type Statement } from './sqlite-run.js';
import { StatementCache } from './statement-cache.js';
import { replaceProbe } from './sqlite-replace-count.js';

const STATEMENT_CACHE_SIZE = 256;

export class SqliteConnection {
  readonly db: Database.Database;
  private readonly cache = new StatementCache<Statement>(STATEMENT_CACHE_SIZE);

  /** `mustExist`: fail when the file is missing instead of creating it. */
  constructor(file: string, options: { readonly mustExist?: boolean } = {}) {
    this.db = new Database(file, { fileMustExist: options.mustExist === true });
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit is in the WAL file before it is acknowledged, so it survives
    // kill -9 of any process; only an operating-system crash or power loss can drop the last
    // commits (the WAL is fsync'ed at checkpoints). FULL would fsync every commit while
    // holding the leaf's event loop, since this engine's API is synchronous.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 0');
    this.db.pragma('foreign_keys = OFF');
    this.db.defaultSafeIntegers(true);
    // The MySQL functions translated rowstore SQL calls (DATE_FORMAT, REGEXP, ...).
    registerSqliteFunctions(this.db);
  }

  statement(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (statement === undefined) {
      statement = prepareStatement(this.db, sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }

  close(): void {
    this.cache.clear();
    this.db.close();
  }
}

export function run(connection: SqliteConnection, input: StatementInput): ExecOutcome {
  return runStatement(connection.statement(input.sql), input);
}

export function insertRows(connection: SqliteConnection, input: RowsInput): number {
  const verb =
    input.onConflict === 'ignore'
      ? 'INSERT OR IGNORE'
      : input.onConflict === 'replace'
        ? 'INSERT OR REPLACE'
        : 'INSERT';
  const names = input.columns.map(quoteIdentifier).join(', ');
  const marks = input.columns.map(() => '?').join(', ');
  const statement = connection.statement(
    `${verb} INTO ${quoteIdentifier(input.table)} (${names}) VALUES (${marks})`,
  );
  // REPLACE counts the rows it deletes too, as MySQL does (sqlite-replace-count.ts).
  const replaced =
    input.onConflict === 'replace'
      ? replaceProbe(connection.db, input.table, input.columns, quoteIdentifier)
      : undefined;
  let affected = 0;
  for (const [index, row] of input.rows.entries()) {
    row.forEach((value, position) => {
      const refusal = rowstoreIntegerRefusal(value, input.columns[position] ?? '', index + 1);
      if (refusal !== undefined) throw refusal;
    });
    try {
      const params = row.map(sqliteParam);
      if (replaced !== undefined) affected += replaced(params);
      affected += statement.run(...params).changes;
    } catch (error) {
      throw sqliteError(error, { columns: input.columns, row });
    }
  }
  return affected;
}
