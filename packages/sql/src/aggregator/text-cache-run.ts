/**
 * Running a query text through the text cache (`text-cache.ts`). A text is lexed once; its
 * shape decides the path:
 * - a new shape: parsed and run as usual; its layout (which literals can be parameters) is
 *   remembered;
 * - seen before (or its plan went stale: DDL, USE, SET sql_mode/time_zone): parsed and run as
 *   usual, then checked (`text-cache-verify.ts` for SELECT; an upsert runs as its
 *   parameterized statement, which makes the same row) and, when it passes, kept ready;
 * - ready: no parsing or planning; the parameterized statement runs with the text's literals
 *   as parameters and its plan slot, exactly as a prepared statement's execution does.
 * Texts the cache does not take (several statements, variables, too long) return undefined and
 * take the ordinary path.
 */
import type { Statement } from '../parser/ast.js';
import { tokenize, type Token } from '../parser/lexer.js';
import { parseTokens } from '../parser/parse-tokens.js';
import type { QueryResult } from '../protocol/backend.js';
import type { SqlValue } from '../values.js';
import type { AggregatorServices, SessionState, StatementContext } from './context.js';
import { currentKey, isCurrent, PlanSlot } from './plan-cache.js';
import type { TextCacheEntry } from './text-cache.js';
import { parameterize, type Parameterized } from './text-cache-parameterize.js';
import { textShape, verbatimText, type ShapeLiteral, type TextShape } from './text-cache-shape.js';
import { verifySelect } from './text-cache-verify.js';
import { SERVER_CALLS } from './server-calls.js';

/** What the session lends the cache: its state, its way to run a statement, its contexts. */
export interface TextHost {
  readonly services: AggregatorServices;
  readonly state: SessionState;
  run(
    statement: Statement,
    params: readonly SqlValue[],
    text: string,
    plans?: PlanSlot,
  ): Promise<QueryResult>;
  context(params: readonly SqlValue[], plans?: PlanSlot): StatementContext;
}

/** The result of a one-statement text, or undefined when the text takes the ordinary path. */
export async function runText(host: TextHost, sql: string): Promise<QueryResult | undefined> {
  // Calls the aggregator answers before planning (SLEEP, GET_LOCK) change every execution.
  if (SERVER_CALLS.test(sql)) return undefined;
  let tokens: Token[];
  try {
    tokens = tokenize(sql);
  } catch {
    return undefined; // The ordinary path reports the lexer's error.
  }
  const shape = textShape(sql, tokens);
  if (shape === undefined) return undefined;
  const cache = host.services.textCache;
  const { user, host: client, database } = host.state;
  const layoutKey = `L${JSON.stringify([user, client, database ?? null])}\n${shape.text}`;
  const text = shape.statementText;
  const layout = cache.get(layoutKey);
  if (layout === undefined) {
    const statement = parseTokens(sql, tokens);
    const result = await host.run(statement, [], text);
    const parameterized = parameterize(statement, shape);
    cache.set(layoutKey, { kind: 'layout', verbatim: parameterized?.verbatim });
    if (parameterized !== undefined)
      cache.set(planKeyOf(layoutKey, sql, shape, parameterized.verbatim), { kind: 'seen' });
    return result;
  }
  if (layout.kind !== 'layout' || layout.verbatim === undefined)
    return host.run(parseTokens(sql, tokens), [], text);
  const planKey = planKeyOf(layoutKey, sql, shape, layout.verbatim);
  const entry = cache.get(planKey);
  if (entry?.kind === 'ready' && isCurrent(entry.key, host.context([]))) {
    const values = entry.params.map((ordinal) => literalAt(shape, ordinal).value);
    cache.counts.hits += 1;
    return host.run(entry.statement, values, text, entry.slot);
  }
  const statement = parseTokens(sql, tokens);
  if (
    entry === undefined ||
    (entry.kind === 'rejected' && isCurrent(entry.key, host.context([])))
  ) {
    const result = await host.run(statement, [], text);
    if (entry === undefined) cache.set(planKey, { kind: 'seen' });
    return result;
  }
  const parameterized = parameterize(statement, shape);
  if (parameterized === undefined || !sameOrdinals(parameterized.verbatim, layout.verbatim))
    return host.run(statement, [], text);
  const values = parameterized.params.map((ordinal) => literalAt(shape, ordinal).value);
  const slot = new PlanSlot(parameterized.statement);
  if (statement.kind === 'insert') {
    const result = await host.run(parameterized.statement, values, text, slot);
    const key = currentKey(host.context([]));
    const made = slot.upsert !== undefined;
    cache.counts[made ? 'verified' : 'rejected'] += 1;
    cache.set(planKey, made ? ready(key, parameterized, slot) : { kind: 'rejected', key });
    return result;
  }
  const result = await host.run(statement, [], text);
  const verified = checkSelect(host, { statement, parameterized, values, slot, shape });
  const key = currentKey(host.context([]));
  cache.counts[verified ? 'verified' : 'rejected'] += 1;
  cache.set(planKey, verified ? ready(key, parameterized, slot) : { kind: 'rejected', key });
  return result;
}

function checkSelect(
  host: TextHost,
  options: {
    readonly statement: Statement;
    readonly parameterized: Parameterized;
    readonly values: readonly SqlValue[];
    readonly slot: PlanSlot;
    readonly shape: TextShape;
  },
): boolean {
  const { statement, parameterized, values, slot, shape } = options;
  try {
    return (
      verifySelect({
        literalContext: host.context([]),
        parameterContext: host.context(values, slot),
        literal: statement,
        parameterized: parameterized.statement,
        literals: parameterized.params.map((ordinal) => literalAt(shape, ordinal)),
      }) && slot.partition !== undefined
    );
  } catch {
    // The statement ran; a plan that cannot be made again is simply not cached.
    return false;
  }
}

function ready(
  key: ReturnType<typeof currentKey>,
  parameterized: Parameterized,
  slot: PlanSlot,
): TextCacheEntry {
  return {
    kind: 'ready',
    key,
    statement: parameterized.statement,
    slot,
    params: parameterized.params,
  };
}

function planKeyOf(
  layoutKey: string,
  sql: string,
  shape: TextShape,
  verbatim: readonly number[],
): string {
  // Layout keys start with L and plan keys with P, so the two never collide.
  return `P${layoutKey.slice(1)}\n${verbatimText(sql, shape, verbatim)}`;
}

function literalAt(shape: TextShape, ordinal: number): ShapeLiteral {
  const literal = shape.literals[ordinal];
  if (literal === undefined) throw new Error(`text cache: no literal ${ordinal} in the shape`);
  return literal;
}

function sameOrdinals(left: readonly number[], right: readonly number[]): boolean {
  return left.length === right.length && left.every((value, index) => value === right[index]);
}
