/**
 * The transaction a write runs in. Inside an explicit transaction, the session's. In
 * autocommit mode, a write that reaches one partition engine runs there without a transaction
 * (the engine's autocommit is atomic and durable); a write that reaches several gets an
 * implicit transaction, committed with two-phase commit when the statement succeeds and
 * rolled back when it fails, so a statement is never half-applied.
 */
import { SqlError, sqlError } from '../errors.js';
import type { StatementContext } from './context.js';
import type { Transaction } from './coordinator.js';

/** How long an implicit transaction that meets write conflicts keeps trying (InnoDB's wait). */
const CONFLICT_WAIT_MS = 50_000;
const CONFLICT_DELAY_MAX_MS = 20;

export async function inWriteTransaction<T>(
  context: StatementContext,
  targetCount: number,
  run: (transaction: Transaction | undefined) => Promise<T>,
  /**
   * `run` only sends the statement's writes (nothing gathered outside it): when a columnstore
   * partition's optimistic write conflict (1213) fails the implicit transaction, it is rolled
   * back whole and run again, as an InnoDB statement would wait for the row locks, until the
   * lock wait timeout (1205).
   */
  options: { readonly retryConflicts?: boolean } = {},
): Promise<T> {
  if (context.transaction !== undefined) return run(context.transaction);
  if (targetCount <= 1) return run(undefined);
  const { coordinator } = context.services;
  const deadlineMs = Date.now() + CONFLICT_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    const transaction = coordinator.begin();
    let result: T;
    try {
      result = await run(transaction);
    } catch (error) {
      await coordinator.rollback(transaction);
      const conflict = error instanceof SqlError && error.errno === 1213;
      if (options.retryConflicts !== true || !conflict) throw error;
      if (Date.now() >= deadlineMs)
        throw sqlError(
          'LOCK_WAIT_TIMEOUT',
          'Lock wait timeout exceeded; try restarting transaction',
        );
      const delayMs = Math.min(2 ** attempt, CONFLICT_DELAY_MAX_MS) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      continue;
    }
    await coordinator.commit(transaction);
    return result;
  }
}
