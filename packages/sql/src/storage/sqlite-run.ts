/**
 * One engine statement on a SQLite connection: prepared once (readers return raw rows), run
 * with bound parameters, its rows converted to `SqlValue`s of the result columns. Shared by
 * the leaf's rowstore (`sqlite-store.ts`) and the aggregator's same-host reads
 * (`sqlite-reader.ts`), so both give the same values for the same statement.
 */
import type Database from 'better-sqlite3';
import type { ColumnMeta } from '../values.js';
import { sqliteError } from './engine-errors.js';
import type { ExecOutcome, StatementInput } from './exec-types.js';
import { sqliteColumnMetas, sqliteParam, sqliteValue } from './sqlite-values.js';
import { toSafeNumber } from './value-format.js';

export type Statement = Database.Statement<unknown[], unknown>;

/** SQLite's answers for a name its cached schema does not have. */
const SCHEMA_MISS = /^(no such (table|column|index)|table \S+ has no column named)/;

export function prepareStatement(db: Database.Database, sql: string): Statement {
  let statement: Statement;
  try {
    statement = db.prepare(sql);
  } catch (error) {
    // SQLite prepares against the schema this connection last read; another connection of
    // the process (a transaction's, that rebuilt or renamed a table) may have changed it
    // since. Running any statement makes the connection read the schema again: then once more.
    if (!(error instanceof Error) || !SCHEMA_MISS.test(error.message))
      throw sqliteError(error, { sql });
    try {
      db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
      statement = db.prepare(sql);
    } catch (retried) {
      throw sqliteError(retried, { sql });
    }
  }
  if (statement.reader) statement.raw(true);
  return statement;
}

export function runStatement(statement: Statement, input: StatementInput): ExecOutcome {
  const binds = input.params.map(sqliteParam);
  try {
    if (statement.reader) {
      const raw = statement.all(...binds) as unknown[][];
      const metas: readonly ColumnMeta[] =
        input.columns ?? sqliteColumnMetas(statement.columns(), raw);
      const rows = raw.map((row) =>
        row.map((value, index) => sqliteValue(value, metas[index] ?? { name: '', type: 'text' })),
      );
      return { result: { columns: metas, rows, affectedRows: 0 }, wrote: !statement.readonly };
    }
    const info = statement.run(...binds);
    const lastInsertRowid =
      typeof info.lastInsertRowid === 'bigint'
        ? toSafeNumber(info.lastInsertRowid)
        : info.lastInsertRowid;
    return {
      result: { columns: [], rows: [], affectedRows: info.changes, lastInsertRowid },
      wrote: !statement.readonly,
    };
  } catch (error) {
    throw sqliteError(error, { sql: input.sql, params: input.params });
  }
}
