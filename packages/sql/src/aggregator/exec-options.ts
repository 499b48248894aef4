/**
 * The options of `Cluster.exec` for a statement: its transaction, if any, its interruption, and
 * its session's lock wait limit.
 */
import type { ExecOptions } from './cluster.js';
import type { StatementContext } from './context.js';
import type { Transaction } from './coordinator.js';
import { lockWaitOf } from './lock-wait.js';

export function execOptions(
  context: Pick<StatementContext, 'signal' | 'session'>,
  write: boolean,
  transaction: Transaction | undefined,
): ExecOptions {
  return {
    write,
    signal: context.signal,
    ...(transaction !== undefined ? { txn: transaction } : {}),
    ...lockWaitOf(context.session),
  };
}
