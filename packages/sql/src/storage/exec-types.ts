/** What one statement on one engine produced, and whether it changed anything (for 2PC redo). */
import type { ExecResult } from '../leaf/api.js';
import type { ColumnMeta, SqlValue } from '../values.js';

export interface ExecOutcome {
  readonly result: ExecResult;
  readonly wrote: boolean;
}

export interface StatementInput {
  readonly sql: string;
  readonly params: readonly SqlValue[];
  readonly columns: readonly ColumnMeta[] | undefined;
  /** A locking read (SELECT … FOR UPDATE in a transaction): take the write lock first. */
  readonly lock?: boolean;
  /** How long a lock wait may last (the session's innodb_lock_wait_timeout); else the store's. */
  readonly lockWaitMs?: number;
}

export interface RowsInput {
  readonly table: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly SqlValue[])[];
  readonly onConflict: 'error' | 'ignore' | 'replace';
  /** As `StatementInput.lockWaitMs`. */
  readonly lockWaitMs?: number;
}

/** An engine's transaction on one partition. */
export interface EngineTxn {
  exec(statement: StatementInput): Promise<ExecOutcome>;
  insert(rows: RowsInput): Promise<number>;
  /**
   * Lets the engine insert bulk loads in any order (DuckDB's preserve_insertion_order, which
   * otherwise serialises part of a parallel INSERT ... SELECT). The setting is global to the
   * leaf's DuckDB instance: once set, it holds for every later statement there.
   */
  relaxInsertionOrder?(): Promise<void>;
  /** Records the transaction id in `_exo_applied`, inside this transaction. */
  markApplied(txn: string, nowMs: number): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** Marks an error after which the engine transaction no longer exists (DuckDB aborts on any error). */
export class TransactionAborted extends Error {
  constructor(readonly reason: Error) {
    super(reason.message, { cause: reason });
    this.name = 'TransactionAborted';
  }
}

export const APPLIED_TABLE = '_exo_applied';
/** Rows of `_exo_applied` are kept this long, for idempotent commit retries from aggregators. */
export const APPLIED_RETENTION_MS = 60 * 60 * 1000;
/** One in this many commits also prunes expired `_exo_applied` rows. */
export const APPLIED_PRUNE_EVERY = 256;

/** Engine SQL that changes stored rows: UPDATE, DELETE, or an insert that may update (an upsert). */
const ROW_CHANGING_SQL = /^\s*(?:UPDATE|DELETE)\b|\bON\s+CONFLICT\b/i;

export function changesRows(sql: string): boolean {
  return ROW_CHANGING_SQL.test(sql);
}
