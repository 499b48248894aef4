/**
 * KILL [CONNECTION | QUERY] id (and COM_PROCESS_KILL, which runs `KILL id`). KILL QUERY
 * aborts the target's running statement: its leaf requests are cancelled on the leaves
 * (leaf/client.ts), its DuckDB queries and write-lock waits stop (storage/interrupt-scope.ts),
 * and it answers 1317. An idle target is left alone, as in MariaDB. KILL CONNECTION does the
 * same with 1927 and then closes the target's connection; the session's close rolls back its
 * open transaction. As MariaDB does: another connection is closed without a word; a session
 * that kills itself gets ER_CONNECTION_KILLED (1927) before its connection closes.
 */
import type { KillStatement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import type { ResultOk } from '../protocol/backend.js';
import type { SessionState, StatementContext } from './context.js';
import { evaluateConstants } from './constants.js';
import { hasPrivilege } from './accounts.js';
import { ok } from './results.js';

export async function kill(context: StatementContext, statement: KillStatement): Promise<ResultOk> {
  const [value] = await evaluateConstants(context, [statement.id]);
  const id = Number(value);
  const target = Number.isSafeInteger(id) ? context.services.sessions.get(id) : undefined;
  if (target === undefined) throw sqlError('NO_SUCH_THREAD', `Unknown thread id: ${String(value)}`);
  if (target.user !== context.session.user && !hasPrivilege(context, '*', 'ALTER')) {
    throw sqlError('KILL_DENIED', `You are not owner of thread ${id}`);
  }
  const self = target === context.session;
  if (statement.target === 'query') {
    const error = sqlError('QUERY_INTERRUPTED', 'Query execution was interrupted');
    // The running statement of a session killing its own query is this KILL.
    if (self) throw error;
    target.statement?.abort(error);
    return ok(0);
  }
  killConnection(target, { afterAnswer: self });
  if (self) throw sqlError('CONNECTION_KILLED', 'Connection was killed');
  return ok(0);
}

/** Interrupts the session's statement and closes its connection. */
export function killConnection(target: SessionState, options: { afterAnswer: boolean }): void {
  target.killed = true;
  target.statement?.abort(sqlError('CONNECTION_KILLED', 'Connection was killed'));
  target.disconnect?.(options.afterAnswer);
}
