/**
 * Functions the aggregator answers before the statement runs, each call replaced by its value:
 * - SLEEP(seconds) waits (KILL QUERY and the statement time limits end the wait with their
 *   error, 1317/1969/3024, as MariaDB answers) and becomes 0; BENCHMARK becomes 0 without
 *   timing anything. MySQL sleeps once per row of a query over a table; here a statement
 *   sleeps once per SLEEP call it contains.
 * - GET_LOCK, RELEASE_LOCK, IS_FREE_LOCK, IS_USED_LOCK and RELEASE_ALL_LOCKS act on the
 *   aggregator's named locks (`user-locks.ts`), left to right.
 * Their arguments must be constants. Statements whose text names none of them skip the walk;
 * the text cache leaves them alone, and a rewritten statement keeps no plan.
 */
import type { Expr, Statement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import type { SqlValue } from '../values.js';
import { interruptedError, onAbort } from '../storage/interrupt-scope.js';
import type { StatementContext } from './context.js';
import { evaluateConstants } from './constants.js';
import { raiseWarnings } from './warnings-statement.js';

/** Texts that may call one of these functions. */
export const SERVER_CALLS =
  /\b(sleep|benchmark|get_lock|release_lock|is_free_lock|is_used_lock|release_all_locks)\s*\(/i;

/** The number of arguments each function takes. */
const ARITY: Readonly<Record<string, number>> = {
  SLEEP: 1,
  BENCHMARK: 2,
  GET_LOCK: 2,
  RELEASE_LOCK: 1,
  IS_FREE_LOCK: 1,
  IS_USED_LOCK: 1,
  RELEASE_ALL_LOCKS: 0,
};
const NULL: Expr = { kind: 'literal', type: 'null', value: null };
const ZERO: Expr = { kind: 'literal', type: 'int', value: 0, raw: '0' };
/** MySQL's cap is a year; a sleep or a lock wait is cut to it. */
const WAIT_MS_MAX = 365 * 24 * 3600 * 1000;

/** The statement with each call answered, or the statement itself when it has none. */
export async function performServerCalls<T extends Statement>(
  context: StatementContext,
  statement: T,
  text: string,
): Promise<T> {
  if (!SERVER_CALLS.test(text)) return statement;
  // One walk finds the calls, in the order MariaDB evaluates them; they are answered one after
  // another; a second walk, in the same order, puts the answers in their places.
  const calls: { name: string; args: Expr[] }[] = [];
  rewrite(statement, (name, args) => {
    calls.push({ name, args });
    return NULL;
  });
  if (calls.length === 0) return statement;
  const answers: Expr[] = [];
  for (const call of calls) answers.push(literal(await answer(context, call.name, call.args)));
  let next = 0;
  return rewrite(statement, () => answers[next++] ?? NULL) as T;
}

/**
 * The statement with each call as a 0: what a prepared statement's columns are described from
 * before any execution answers the calls.
 */
export function withoutServerCalls<T extends Statement>(statement: T, text: string): T {
  if (!SERVER_CALLS.test(text)) return statement;
  return rewrite(statement, () => ZERO) as T;
}

async function answer(
  context: StatementContext,
  name: string,
  args: readonly Expr[],
): Promise<SqlValue> {
  if (args.length !== ARITY[name])
    throw sqlError(
      'WRONG_PARAMCOUNT_TO_FUNCTION',
      `Incorrect parameter count in the call to native function '${name}'`,
    );
  if (name === 'BENCHMARK') return 0;
  const values = await evaluateConstants(context, args);
  const locks = context.services.userLocks;
  const owner = context.session.connectionId;
  if (name === 'SLEEP') {
    const ms = Math.min(Number(values[0] ?? 0) * 1000, WAIT_MS_MAX);
    if (ms > 0) await sleep(ms, context.signal);
    return 0;
  }
  if (name === 'RELEASE_ALL_LOCKS') return locks.releaseAll(owner);
  const lock = lockName(args[0], values[0], name);
  if (lock === undefined) return null;
  switch (name) {
    case 'GET_LOCK': {
      const timeout = values[1];
      const seconds = timeout === null || timeout === undefined ? NaN : Number(timeout);
      if (!(seconds >= 0)) {
        const shown = timeout === null || timeout === undefined ? 'NULL' : String(timeout);
        const message = `Incorrect timeout value: '${shown}' for function get_lock`;
        raiseWarnings(context.session, [{ level: 'Warning', code: 1411, message }]);
        return null;
      }
      const { signal } = context;
      try {
        const ms = Math.min(seconds * 1000, WAIT_MS_MAX);
        return (await locks.acquire(lock, owner, ms, signal)) ? 1 : 0;
      } catch {
        throw interruptedError(signal);
      }
    }
    case 'RELEASE_LOCK':
      return locks.release(lock, owner);
    case 'IS_FREE_LOCK':
      return locks.holder(lock) === undefined ? 1 : 0;
    default:
      return locks.holder(lock) ?? null;
  }
}

/** A lock's name: NULL and '' name none; a number is refused as MariaDB refuses it (4079). */
function lockName(expr: Expr | undefined, value: SqlValue | undefined, name: string) {
  if (expr?.kind === 'literal' && (expr.type === 'int' || expr.type === 'decimal'))
    throw sqlError(
      'ILLEGAL_PARAMETER_DATA_TYPE',
      `Illegal parameter data type ${expr.type} for operation '${name.toLowerCase()}'`,
    );
  if (value === null || value === undefined) return undefined;
  const text = value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : String(value);
  return text === '' ? undefined : text;
}

function literal(value: SqlValue): Expr {
  if (value === null) return NULL;
  if (typeof value === 'number' || typeof value === 'bigint')
    return { kind: 'literal', type: 'int', value, raw: String(value) };
  return { kind: 'literal', type: 'string', value: String(value) };
}

/** Copies `node` with each call of these functions replaced by what `found` gives. */
function rewrite(node: unknown, found: (name: string, args: Expr[]) => Expr): unknown {
  if (Array.isArray(node)) return node.map((item) => rewrite(item, found));
  if (node === null || typeof node !== 'object') return node;
  const fields = node as { kind?: unknown; name?: unknown; args?: unknown };
  if (fields.kind === 'call' && typeof fields.name === 'string') {
    const name = fields.name.toUpperCase();
    if (ARITY[name] !== undefined) return found(name, (fields.args as Expr[] | undefined) ?? []);
  }
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) copy[key] = rewrite(value, found);
  return copy;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted === true) return Promise.reject(interruptedError(signal));
  // Not aborted yet, so the hook cannot run before `hook` is set.
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      hook.done();
      resolve();
    }, ms);
    const hook = onAbort(signal, () => {
      clearTimeout(timer);
      reject(interruptedError(signal));
    });
  });
}
