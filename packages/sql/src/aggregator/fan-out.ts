/**
 * Waiting for every partition's part of one statement. When a part fails inside a transaction,
 * its leaf aborts the transaction, and the statement's other parts on that leaf then fail with
 * 1402 (XA_RBROLLBACK) — possibly answering first. The client must see the failure that caused
 * the abort (1062, 1205, ...), so a failed fan-out waits for every part and reports the first
 * error that is not such a consequence.
 */
import { ER, SqlError } from '../errors.js';

const [ROLLED_BACK] = ER.XA_RBROLLBACK;

/** Whether `error` is only the consequence of another part's failure. */
export function isAbortConsequence(error: unknown): boolean {
  return error instanceof SqlError && error.errno === ROLLED_BACK;
}

export async function allParts<T>(parts: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(parts);
  let consequence: unknown;
  let failed = false;
  const values: T[] = [];
  for (const outcome of settled) {
    if (outcome.status === 'fulfilled') {
      values.push(outcome.value);
      continue;
    }
    const error: unknown = outcome.reason;
    if (!isAbortConsequence(error)) throw error;
    if (!failed) consequence = error;
    failed = true;
  }
  if (failed) throw consequence;
  return values;
}
