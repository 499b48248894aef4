/**
 * SAVEPOINT, ROLLBACK TO SAVEPOINT and RELEASE SAVEPOINT (MySQL 8.0 manual, "SAVEPOINT,
 * ROLLBACK TO SAVEPOINT, and RELEASE SAVEPOINT Statements"). Savepoints belong to the open
 * transaction and end with it. The partitions' engines keep one transaction each and cannot
 * undo part of it, so ROLLBACK TO succeeds when nothing was written since the savepoint (the
 * usual case of an ORM's nested block that only read, or that is being left), and otherwise
 * fails with 1235, leaving the transaction and its savepoints as they were.
 */
import type { ReleaseSavepointStatement, SavepointStatement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import type { ResultOk } from '../protocol/backend.js';
import type { Transaction } from './coordinator.js';
import type { StatementContext } from './context.js';
import { ok } from './results.js';

/** Savepoints per transaction are bounded, as any list a client can grow. */
const SAVEPOINTS_MAX = 1000;

interface Savepoint {
  readonly name: string;
  /** The transaction's write count when the savepoint was set. */
  readonly writes: number;
}

interface SavepointState {
  readonly savepoints: Savepoint[];
  writes: number;
}

const states = new WeakMap<Transaction, SavepointState>();

/**
 * The transaction's savepoint state. The first savepoint starts counting the writes the
 * transaction sends to partitions (every write marks its partition through `touch`).
 */
function stateOf(transaction: Transaction): SavepointState {
  let state = states.get(transaction);
  if (state !== undefined) return state;
  const created: SavepointState = { savepoints: [], writes: 0 };
  const touch = transaction.touch.bind(transaction);
  transaction.touch = (leaf, partition, engine, write): void => {
    if (write) created.writes += 1;
    touch(leaf, partition, engine, write);
  };
  states.set(transaction, created);
  state = created;
  return state;
}

function position(state: SavepointState, name: string): number {
  const index = state.savepoints.findIndex(
    (savepoint) => savepoint.name.toLowerCase() === name.toLowerCase(),
  );
  if (index < 0) throw sqlError('SAVEPOINT_DOES_NOT_EXIST', `SAVEPOINT ${name} does not exist`);
  return index;
}

export function savepoint(context: StatementContext, statement: SavepointStatement): ResultOk {
  const transaction = context.session.transaction;
  // Outside a transaction (autocommit), MySQL accepts SAVEPOINT and keeps nothing.
  if (transaction === undefined) return ok(0);
  const state = stateOf(transaction);
  const existing = state.savepoints.findIndex(
    (candidate) => candidate.name.toLowerCase() === statement.name.toLowerCase(),
  );
  // A savepoint with the name of an older one replaces it.
  if (existing >= 0) state.savepoints.splice(existing, 1);
  if (state.savepoints.length >= SAVEPOINTS_MAX)
    throw sqlError('NOT_SUPPORTED', `A transaction can hold at most ${SAVEPOINTS_MAX} savepoints`);
  state.savepoints.push({ name: statement.name, writes: state.writes });
  return ok(0);
}

export function rollbackToSavepoint(context: StatementContext, name: string): ResultOk {
  const transaction = context.session.transaction;
  if (transaction === undefined)
    throw sqlError('SAVEPOINT_DOES_NOT_EXIST', `SAVEPOINT ${name} does not exist`);
  const state = stateOf(transaction);
  const index = position(state, name);
  const target = state.savepoints[index] as Savepoint;
  if (state.writes !== target.writes) {
    throw sqlError(
      'NOT_SUPPORTED',
      `ROLLBACK TO SAVEPOINT ${name} is not supported after writes made since the savepoint; ` +
        'the transaction is unchanged (use ROLLBACK to undo all of it)',
    );
  }
  // The savepoint stays; the ones set after it are removed.
  state.savepoints.splice(index + 1);
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
