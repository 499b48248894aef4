/**
 * SLEEP(seconds) and BENCHMARK(count, expr), run by the aggregator before the statement: a
 * SLEEP of a constant waits (KILL QUERY and the statement time limits end the wait with their
 * error, 1317/1969/3024, as MariaDB answers) and becomes 0; BENCHMARK becomes 0 without timing
 * anything. MySQL sleeps once per row of a query over a table; here a statement sleeps once
 * per SLEEP call it contains. Statements whose text names neither function skip the walk.
 */
import type { Expr, Statement } from '../parser/ast.js';
import {
  currentInterruptSignal,
  interruptedError,
  onInterrupt,
} from '../storage/interrupt-scope.js';
import type { StatementContext } from './context.js';
import { evaluateConstants } from './constants.js';

const NAMED = /\b(sleep|benchmark)\s*\(/i;
const ZERO: Expr = { kind: 'literal', type: 'int', value: 0, raw: '0' };
/** MySQL's cap is a year; a sleep is cut to it. */
const SLEEP_MS_MAX = 365 * 24 * 3600 * 1000;

export async function performSleeps<T extends Statement>(
  context: StatementContext,
  statement: T,
  text: string,
): Promise<T> {
  if (!NAMED.test(text)) return statement;
  const calls: Expr[][] = [];
  const rewritten = rewrite(statement, (call) => {
    calls.push(call);
    return ZERO;
  }) as T;
  if (calls.length === 0) return statement;
  for (const args of calls) {
    if (args.length !== 1) continue;
    const [seconds] = await evaluateConstants(context, args);
    const ms = Math.min(Number(seconds ?? 0) * 1000, SLEEP_MS_MAX);
    if (ms > 0) await sleep(ms);
  }
  return rewritten;
}

/** Copies `node` with each SLEEP/BENCHMARK call replaced; `found` gets SLEEP's arguments. */
function rewrite(node: unknown, found: (args: Expr[]) => Expr): unknown {
  if (Array.isArray(node)) return node.map((item) => rewrite(item, found));
  if (node === null || typeof node !== 'object') return node;
  const fields = node as { kind?: unknown; name?: unknown; args?: unknown };
  if (fields.kind === 'call' && typeof fields.name === 'string') {
    const name = fields.name.toUpperCase();
    if (name === 'SLEEP') return found(fields.args as Expr[]);
    if (name === 'BENCHMARK') return ZERO;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) copy[key] = rewrite(value, found);
  return copy;
}

function sleep(ms: number): Promise<void> {
  const signal = currentInterruptSignal();
  if (signal?.aborted === true) return Promise.reject(interruptedError(signal));
  // Not aborted yet, so the hook cannot run before `hook` is set.
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      hook.done();
      resolve();
    }, ms);
    const hook = onInterrupt(() => {
      clearTimeout(timer);
      reject(interruptedError(signal));
    });
  });
}
