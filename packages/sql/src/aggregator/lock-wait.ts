/**
 * The session's innodb_lock_wait_timeout as the leaves take it: with each write and locking
 * read, in milliseconds, when the session's value is not the server's default (the leaf's own
 * limit, `exo sql leaf`'s, applies then). A write that waits for another transaction's lock
 * longer than this answers 1205, as InnoDB does.
 */
import type { SessionState } from './context.js';

const DEFAULT_SECONDS = 50;

export function lockWaitOf(session: Pick<SessionState, 'variables'>): {
  readonly lockWaitMs?: number;
} {
  const seconds = Number(session.variables.get('innodb_lock_wait_timeout') ?? DEFAULT_SECONDS);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds === DEFAULT_SECONDS) return {};
  return { lockWaitMs: seconds * 1000 };
}
