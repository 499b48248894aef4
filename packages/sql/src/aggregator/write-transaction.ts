/**
 * The transaction a write runs in. Inside an explicit transaction, the session's. In
 * autocommit mode, a write that reaches one partition engine runs there without a transaction
 * (the engine's autocommit is atomic and durable); a write that reaches several gets an
 * implicit transaction, committed with two-phase commit when the statement succeeds and
 * rolled back when it fails, so a statement is never half-applied.
 */
import { retryConflicts } from '../storage/conflict-retry.js';
import { lockWaitOf } from './lock-wait.js';
import type { StatementContext } from './context.js';
import type { Transaction } from './coordinator.js';

export async function inWriteTransaction<T>(
  context: StatementContext,
  targetCount: number,
  run: (transaction: Transaction | undefined) => Promise<T>,
  /**
   * `run` only sends the statement's writes (what it read before stays true): when a
   * columnstore partition's optimistic write conflict (or, for INSERT IGNORE and REPLACE, the
   * duplicate of another transaction's new key) fails the implicit transaction, it is rolled
   * back whole and run again (`storage/conflict-retry.ts`), as an InnoDB statement waits for
   * the row locks, until the lock wait timeout (1205).
   */
  options: { readonly retryOn?: readonly number[] } = {},
): Promise<T> {
  if (context.transaction !== undefined) return run(context.transaction);
  if (targetCount <= 1) return run(undefined);
  const { coordinator } = context.services;
  const attempt = async (): Promise<{ result: T; transaction: Transaction }> => {
    const transaction = coordinator.begin();
    try {
      return { result: await run(transaction), transaction };
    } catch (error) {
      await coordinator.rollback(transaction);
      throw error;
    }
  };
  const { result, transaction } = await retryConflicts(attempt, {
    errnos: options.retryOn ?? [],
    ...waitOf(lockWaitOf(context.session).lockWaitMs),
  });
  await coordinator.commit(transaction);
  return result;
}

function waitOf(lockWaitMs: number | undefined): { readonly waitMs?: number } {
  return lockWaitMs === undefined ? {} : { waitMs: lockWaitMs };
}
