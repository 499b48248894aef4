/**
 * SAVEPOINT, ROLLBACK TO SAVEPOINT and RELEASE SAVEPOINT (MySQL 8.0 manual, "SAVEPOINT,
 * ROLLBACK TO SAVEPOINT, and RELEASE SAVEPOINT Statements"). Savepoints belong to the open
 * transaction and end with it. ROLLBACK TO keeps the changes made before the savepoint, drops
 * the ones made after it and the savepoints set after it, and leaves the transaction (and the
 * savepoint itself) in place; an unknown name is error 1305.
 *
 * Each savepoint gets a number. SAVEPOINT marks it on the leaves the transaction wrote to so
 * far (none, in the usual BEGIN; SAVEPOINT of an ORM); ROLLBACK TO reaches only the leaves
 * written to since the savepoint, which drop those writes (`storage/txn-savepoints.ts`).
 *
 * Statements get the same treatment (MariaDB rolls back only the failed or killed statement of
 * a transaction): before each write statement of an explicit transaction, savepoint
 * `STATEMENT_SAVEPOINT` is marked on the leaves written to since it was last marked (none for
 * the transaction's first write statement, so `BEGIN; INSERT; COMMIT` pays nothing), and a
 * statement that fails rolls back to it on the leaves it wrote to. Autocommit statements need
 * none: a failed one is rolled back whole by its engine or its implicit transaction.
 */
import type { ReleaseSavepointStatement, SavepointStatement } from '../parser/ast.js';
import { SqlError, sqlError } from '../errors.js';
import type { ResultOk } from '../protocol/backend.js';
import type { LeafDef } from '../catalog/types.js';
import type { Transaction } from './coordinator.js';
import type { StatementContext } from './context.js';
import { ok } from './results.js';
import { restoreTemporaries } from './ddl-temporary.js';

const DEADLOCK = 1213;

/** Savepoints per transaction are bounded, as any list a client can grow. */
const SAVEPOINTS_MAX = 1000;

interface Savepoint {
  readonly name: string;
  readonly id: number;
  /** The transaction's write count when the savepoint was set. */
  readonly writesBefore: number;
}

/** The statement savepoint's number; user savepoints count from 1. */
const STATEMENT_SAVEPOINT = 0;

interface SavepointState {
  savepoints: Savepoint[];
  nextId: number;
  /** The transaction's write count when the statement savepoint was last marked. */
  markedThrough: number;
  /** The write count when the running statement started (its writes come after). */
  statementStart: number;
}

const states = new WeakMap<Transaction, SavepointState>();

function stateOf(transaction: Transaction): SavepointState {
  let state = states.get(transaction);
  if (state === undefined) {
    state = { savepoints: [], nextId: 1, markedThrough: 0, statementStart: 0 };
    states.set(transaction, state);
  }
  return state;
}

/** Leaves whose last write of `transaction` came after its first `writes` writes. */
function leavesWrittenAfter(transaction: Transaction, writes: number): LeafDef[] {
  const leaves: LeafDef[] = [];
  for (const [id, last] of transaction.lastWriteOn) {
    const entry = transaction.participants.get(id);
    if (last > writes && entry !== undefined) leaves.push(entry.leaf);
  }
  return leaves;
}

/**
 * Before a write statement of an explicit transaction: marks the statement savepoint on the
 * leaves written to since it was last marked (one round trip to those, in parallel; none when
 * the transaction has not written since).
 */
export async function markStatement(
  context: StatementContext,
  transaction: Transaction,
): Promise<void> {
  const state = stateOf(transaction);
  state.statementStart = transaction.writeCount;
  const leaves = leavesWrittenAfter(transaction, state.markedThrough);
  if (leaves.length === 0) return;
  const request = {
    txn: transaction.id,
    savepoint: STATEMENT_SAVEPOINT,
    keep: state.savepoints.map((entry) => entry.id),
  };
  const { pool } = context.services.cluster;
  await Promise.all(leaves.map(async (leaf) => (await pool.get(leaf)).savepoint(request)));
  state.markedThrough = transaction.writeCount;
}

/**
 * A statement of an explicit transaction failed (or was killed): a write statement's writes
 * are rolled back on the leaves it wrote to, and the transaction goes on with its earlier
 * writes. The other leaves the transaction used may hold an engine transaction the failure
 * ended (DuckDB aborts its transaction on an interrupted or failed query, reads included):
 * they mark the statement savepoint where they stand, which this statement did not move, and
 * roll back to it, which rebuilds such a part from its kept writes and changes nothing else.
 */
export async function rollbackStatement(
  context: StatementContext,
  transaction: Transaction,
  options: { readonly wrote: boolean },
): Promise<void> {
  const state = stateOf(transaction);
  const written = options.wrote ? leavesWrittenAfter(transaction, state.statementStart) : [];
  const writtenIds = new Set(written.map((leaf) => leaf.id));
  const others = [...transaction.participants.values()]
    .map((entry) => entry.leaf)
    .filter((leaf) => !writtenIds.has(leaf.id));
  const { pool } = context.services.cluster;
  const rollback = { txn: transaction.id, savepoint: STATEMENT_SAVEPOINT, keep: [] };
  const mark = { ...rollback, keep: state.savepoints.map((entry) => entry.id) };
  await Promise.all([
    ...written.map(async (leaf) => (await pool.get(leaf)).rollbackToSavepoint(rollback)),
    ...others.map(async (leaf) => {
      const api = await pool.get(leaf);
      await api.savepoint(mark);
      await api.rollbackToSavepoint(rollback);
    }),
  ]);
}

/**
 * `rollbackStatement`, or, when that fails, the end of the whole transaction: it cannot go on
 * with the failed statement's writes in it.
 */
export async function rollbackStatementOrEnd(
  context: StatementContext,
  transaction: Transaction,
  options: { readonly wrote: boolean },
): Promise<void> {
  try {
    await rollbackStatement(context, transaction, options);
  } catch {
    await endTransaction(context, transaction);
  }
}

/**
 * A write statement of an explicit transaction failed after the session answered for it
 * (LOAD DATA's file arrives after the statement returned its request): its writes are rolled
 * back as the session rolls back other statements' (`rollbackStatementOrEnd`); a deadlock ends
 * the whole transaction, as MariaDB does.
 */
export async function undoFailedStatement(
  context: StatementContext,
  transaction: Transaction,
  error: unknown,
): Promise<void> {
  if (error instanceof SqlError && error.errno === DEADLOCK)
    await endTransaction(context, transaction);
  else await rollbackStatementOrEnd(context, transaction, { wrote: true });
}

async function endTransaction(context: StatementContext, transaction: Transaction): Promise<void> {
  if (context.session.transaction === transaction) context.session.transaction = undefined;
  await context.services.coordinator.rollback(transaction).catch(() => undefined);
}

function position(state: SavepointState, name: string): number {
  const index = state.savepoints.findIndex(
    (savepoint) => savepoint.name.toLowerCase() === name.toLowerCase(),
  );
  if (index < 0) throw sqlError('SAVEPOINT_DOES_NOT_EXIST', `SAVEPOINT ${name} does not exist`);
  return index;
}

export async function savepoint(
  context: StatementContext,
  statement: SavepointStatement,
): Promise<ResultOk> {
  const transaction = context.session.transaction;
  // Outside a transaction (autocommit), MySQL accepts SAVEPOINT and keeps nothing.
  if (transaction === undefined) return ok(0);
  const state = stateOf(transaction);
  // A savepoint with the name of an older one replaces it.
  const kept = state.savepoints.filter(
    (candidate) => candidate.name.toLowerCase() !== statement.name.toLowerCase(),
  );
  if (kept.length >= SAVEPOINTS_MAX)
    throw sqlError('NOT_SUPPORTED', `A transaction can hold at most ${SAVEPOINTS_MAX} savepoints`);
  const created: Savepoint = {
    name: statement.name,
    id: state.nextId,
    writesBefore: transaction.writeCount,
  };
  state.nextId += 1;
  await context.services.coordinator.savepoint(transaction, created.id, [
    STATEMENT_SAVEPOINT,
    ...kept.map((entry) => entry.id),
  ]);
  state.savepoints = [...kept, created];
  // The statement savepoint must come after this one on every leaf (a statement rollback
  // removes the marks set after the one it rolls back to): the next write statement marks all.
  state.markedThrough = 0;
  return ok(0);
}

export async function rollbackToSavepoint(
  context: StatementContext,
  name: string,
): Promise<ResultOk> {
  const transaction = context.session.transaction;
  if (transaction === undefined)
    throw sqlError('SAVEPOINT_DOES_NOT_EXIST', `SAVEPOINT ${name} does not exist`);
  const state = stateOf(transaction);
  const index = position(state, name);
  const target = state.savepoints[index] as Savepoint;
  await context.services.coordinator.rollbackToSavepoint(transaction, target);
  // Temporary tables created since keep existing, as in MariaDB (ddl-temporary.ts).
  await restoreTemporaries(context, transaction, target.writesBefore);
  // The savepoint stays; the ones set after it are removed (the statement savepoint too).
  state.savepoints.splice(index + 1);
  state.markedThrough = 0;
  return ok(0);
}

export function releaseSavepoint(
  context: StatementContext,
  statement: ReleaseSavepointStatement,
): ResultOk {
  const transaction = context.session.transaction;
  if (transaction === undefined)
    throw sqlError('SAVEPOINT_DOES_NOT_EXIST', `SAVEPOINT ${statement.name} does not exist`);
  const state = stateOf(transaction);
  state.savepoints.splice(position(state, statement.name));
  return ok(0);
}
