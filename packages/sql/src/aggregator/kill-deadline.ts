/**
 * Statement time limits, enforced with the same interruption as KILL QUERY: MariaDB's
 * max_statement_time (seconds, any statement, error 1969) and MySQL's max_execution_time
 * (milliseconds, SELECT only, error 3024). When both apply, the earlier one fires.
 */
import type { Statement } from '../parser/ast.js';
import { sqlError, type SqlError } from '../errors.js';
import type { SessionState } from './context.js';

const SELECT_KINDS: ReadonlySet<string> = new Set(['select', 'setOperation', 'with']);
/** setTimeout's longest delay (about 24.8 days); longer limits never fire in practice. */
const TIMER_MS_MAX = 2_147_483_647;

export interface StatementDeadline {
  readonly ms: number;
  readonly error: SqlError;
}

/**
 * The limit for `statement` in this session, or undefined when none applies. `overrides`
 * holds the values of `SET STATEMENT ... FOR`.
 */
export function statementDeadline(
  state: SessionState,
  statement: Statement,
  overrides?: ReadonlyMap<string, number>,
): StatementDeadline | undefined {
  const read = (name: string): number =>
    overrides?.get(name) ?? Number(state.variables.get(name) ?? 0);
  const candidates: StatementDeadline[] = [];
  const statementSeconds = read('max_statement_time');
  if (statementSeconds > 0) {
    candidates.push({
      ms: statementSeconds * 1000,
      error: sqlError(
        'STATEMENT_TIMEOUT',
        'Query execution was interrupted (max_statement_time exceeded)',
      ),
    });
  }
  const executionMs = read('max_execution_time');
  if (executionMs > 0 && SELECT_KINDS.has(statement.kind)) {
    candidates.push({
      ms: executionMs,
      error: sqlError(
        'QUERY_TIMEOUT',
        'Query execution was interrupted, maximum statement execution time exceeded',
      ),
    });
  }
  candidates.sort((a, b) => a.ms - b.ms);
  return candidates[0];
}

/** Aborts `controller` when the deadline passes; returns the function that disarms it. */
export function armDeadline(
  controller: AbortController,
  deadline: StatementDeadline | undefined,
): () => void {
  if (deadline === undefined) return () => undefined;
  const timer = setTimeout(
    () => controller.abort(deadline.error),
    Math.min(Math.max(1, Math.round(deadline.ms)), TIMER_MS_MAX),
  );
  return () => clearTimeout(timer);
}

/** wait_timeout of the session, in milliseconds (0: none). */
export function idleTimeoutMs(state: SessionState): number {
  const seconds = Number(state.variables.get('wait_timeout') ?? 0);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}
