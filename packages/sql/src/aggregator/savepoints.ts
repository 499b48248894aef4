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
  readonly id: number;
  /** The transaction's write count when the savepoint was set. */
  readonly writesBefore: number;
}

interface SavepointState {
  savepoints: Savepoint[];
  nextId: number;
}

const states = new WeakMap<Transaction, SavepointState>();

function stateOf(transaction: Transaction): SavepointState {
  let state = states.get(transaction);
  if (state === undefined) {
    state = { savepoints: [], nextId: 1 };
    states.set(transaction, state);
  }
  return state;
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
  await context.services.coordinator.savepoint(
    transaction,
    created.id,
    kept.map((entry) => entry.id),
  );
  state.savepoints = [...kept, created];
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
