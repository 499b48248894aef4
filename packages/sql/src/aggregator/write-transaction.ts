/**
 * The transaction a write runs in. Inside an explicit transaction, the session's. In
 * autocommit mode, a write that reaches one partition engine runs there without a transaction
 * (the engine's autocommit is atomic and durable); a write that reaches several gets an
 * implicit transaction, committed with two-phase commit when the statement succeeds and
 * rolled back when it fails, so a statement is never half-applied.
 */
import type { StatementContext } from './context.js';
import type { Transaction } from './coordinator.js';

export async function inWriteTransaction<T>(
  context: StatementContext,
  targetCount: number,
  run: (transaction: Transaction | undefined) => Promise<T>,
): Promise<T> {
  if (context.transaction !== undefined) return run(context.transaction);
  if (targetCount <= 1) return run(undefined);
  const { coordinator } = context.services;
  const transaction = coordinator.begin();
  let result: T;
  try {
    result = await run(transaction);
  } catch (error) {
    await coordinator.rollback(transaction);
    throw error;
  }
  await coordinator.commit(transaction);
  return result;
}
