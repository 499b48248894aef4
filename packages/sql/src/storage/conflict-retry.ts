/**
 * Writes that met another transaction's write, run again. DuckDB detects write-write conflicts
 * optimistically and rolls the whole statement (or transaction) back where InnoDB would have
 * made it wait for the row locks; a statement that owns nothing else can simply run again once
 * the other has finished, until the lock wait timeout (1205). Which failures count as such a
 * race is the caller's to say: a conflict (1213) for any write, a duplicate key (1062) for an
 * INSERT IGNORE, REPLACE or upsert, which an InnoDB statement never answers for its own key.
 */
import { ER, SqlError, sqlError } from '../errors.js';

/** DuckDB's optimistic write-write conflict, answered as a deadlock. */
export const WRITE_CONFLICT = ER.LOCK_DEADLOCK[0];
/** The duplicate key of another transaction's insert that was not visible yet. */
export const DUPLICATE_KEY = ER.DUP_ENTRY[0];

/** How long a write that keeps meeting conflicts keeps trying, when no lock wait is set. */
export const CONFLICT_WAIT_MS = 50_000;
const DELAY_MAX_MS = 20;

export async function retryConflicts<T>(
  run: () => Promise<T>,
  options: {
    /** Error numbers that mean a race with another transaction's write. */
    readonly errnos: readonly number[];
    readonly waitMs?: number;
    /** At most this many tries; the last one's error then stands as it is. */
    readonly attempts?: number;
  },
): Promise<T> {
  const deadlineMs = Date.now() + (options.waitMs ?? CONFLICT_WAIT_MS);
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof SqlError && options.errnos.includes(error.errno))) throw error;
      if (attempt + 1 >= (options.attempts ?? Infinity)) throw error;
      if (Date.now() >= deadlineMs)
        throw sqlError(
          'LOCK_WAIT_TIMEOUT',
          'Lock wait timeout exceeded; try restarting transaction',
        );
    }
    const delayMs = Math.min(2 ** attempt, DELAY_MAX_MS) * (0.5 + Math.random());
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}
