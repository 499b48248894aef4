/** The options of `Cluster.exec` for a statement: its transaction, if any, and its interruption. */
import type { ExecOptions } from './cluster.js';
import type { StatementContext } from './context.js';
import type { Transaction } from './coordinator.js';

export function execOptions(
  context: Pick<StatementContext, 'signal'>,
  write: boolean,
  transaction: Transaction | undefined,
): ExecOptions {
  return {
    write,
    signal: context.signal,
    ...(transaction !== undefined ? { txn: transaction } : {}),
  };
}
