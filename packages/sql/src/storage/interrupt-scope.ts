/**
 * The interruption of a statement. KILL QUERY, KILL CONNECTION and statement timeouts abort an
 * `AbortSignal`; the aggregator hands its statement's signal down explicitly (the statement
 * context's `signal`, the leaf client's calls). On a leaf, code deep below a request (a DuckDB
 * query, a write-lock wait) finds the request's signal in a scope that follows the asynchronous
 * calls made inside `runInterruptible` (AsyncLocalStorage), so work started by other requests
 * never sees it. The aggregator does not use the scope: AsyncLocalStorage turns on promise hooks
 * for the whole process, which costs every promise of every statement.
 *
 * The signal's reason is the error the statement answers with (1317, 1927, 1969 or 3024).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { SqlError, sqlError } from '../errors.js';

const scope = new AsyncLocalStorage<AbortSignal>();

/** Runs `run` with `signal` as the interruption signal of everything it starts. */
export function runInterruptible<T>(signal: AbortSignal, run: () => T): T {
  return scope.run(signal, run);
}

/** The signal of the statement running now, or undefined outside any statement. */
export function currentInterruptSignal(): AbortSignal | undefined {
  return scope.getStore();
}

/** The error an interrupted statement answers with: the signal's reason when it is one. */
export function interruptedError(signal: AbortSignal | undefined): SqlError {
  const reason: unknown = signal?.reason;
  if (reason instanceof SqlError) return reason;
  return sqlError('QUERY_INTERRUPTED', 'Query execution was interrupted');
}

/** How often an engine interrupt is repeated until the interrupted call returns. */
const REPEAT_INTERRUPT_MS = 50;

export interface InterruptHook {
  /** Unregisters the hook (and stops repeating); call it when the guarded work ended. */
  readonly done: () => void;
  /** Whether the statement was interrupted while the hook was registered. */
  stopped(): boolean;
}

/**
 * Calls `stop` when the current statement is interrupted (at once when it already was).
 * With `repeat`, `stop` is called again every 50 ms until `done`: DuckDB ignores an interrupt
 * that comes before its query really started (the query is handed to a worker thread), so a
 * single early interrupt could be lost.
 */
export function onInterrupt(stop: () => void, options?: { repeat: boolean }): InterruptHook {
  return onAbort(scope.getStore(), stop, options);
}

/** `onInterrupt` for a signal given explicitly (none: nothing to listen for). */
export function onAbort(
  signal: AbortSignal | undefined,
  stop: () => void,
  options?: { repeat: boolean },
): InterruptHook {
  let ran = false;
  let timer: NodeJS.Timeout | undefined;
  if (signal === undefined) return { done: () => undefined, stopped: () => false };
  const listener = (): void => {
    ran = true;
    stop();
    if (options?.repeat === true) timer = setInterval(stop, REPEAT_INTERRUPT_MS);
  };
  const done = (): void => {
    signal.removeEventListener('abort', listener);
    clearInterval(timer);
  };
  if (signal.aborted) listener();
  else signal.addEventListener('abort', listener, { once: true });
  return { done, stopped: () => ran };
}

/** Throws the interruption error when the current statement was interrupted. */
export function throwIfInterrupted(): void {
  const signal = scope.getStore();
  if (signal?.aborted === true) throw interruptedError(signal);
}
