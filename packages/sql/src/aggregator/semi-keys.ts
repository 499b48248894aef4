/**
 * Semi-join key reductions at run time (`planner/semi-keys.ts` marks them): before a query is
 * planned, each marked `k IN (SELECT T.x AS exo_semi_key FROM T WHERE …)` runs first, through
 * the whole pipeline, and is replaced by the literal list of the integer keys it found, so that
 * the partitions filter on it (the grouped derived table of TPC-H Q17 aggregates the lineitems
 * of a few hundred parts instead of all of them). The conjunct is redundant, so when there are
 * more than `SEMI_KEYS_MAX` keys, or keys that are not integers (whose literal comparison could
 * differ from the column comparison), it is dropped instead; no keys at all make it FALSE.
 */
import type { Expr, Query } from '../parser/ast.js';
import { findSemiKeys, isSemiKeyConjunct, mapSemiKeys } from '../planner/semi-keys.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { executeQuery } from './select.js';

/**
 * The most keys inlined as a literal list. A bigger list costs more than it saves: each
 * partition parses and probes it, while the rows it would remove travel as Parquet (TPC-H Q22:
 * 19,156 customer keys made the distinct order keys take 300 ms instead of 45 ms).
 */
export const SEMI_KEYS_MAX = 5_000;

/** `query` with its marked key reductions resolved (inlined or dropped). */
export async function resolveSemiKeys(context: StatementContext, query: Query): Promise<Query> {
  const marked = findSemiKeys(query);
  if (marked.length === 0) return query;
  const lists = new Map<Expr, Expr | undefined>();
  for (const conjunct of marked) {
    if (!isSemiKeyConjunct(conjunct)) continue;
    const result = await executeQuery(context, conjunct.query);
    lists.set(conjunct, literalList(conjunct.expr, result.kind === 'rows' ? result.rows : []));
  }
  return mapSemiKeys(query, (conjunct) => lists.get(conjunct));
}

/** The literal `expr IN (…)` of the keys, FALSE when none, `undefined` to drop it. */
function literalList(expr: Expr, rows: readonly (readonly SqlValue[])[]): Expr | undefined {
  const keys = new Set<number | bigint>();
  for (const row of rows) {
    const value = row[0];
    if (value === null || value === undefined) continue;
    if (typeof value === 'bigint') keys.add(value);
    else if (typeof value === 'number' && Number.isSafeInteger(value)) keys.add(value);
    else return undefined;
    if (keys.size > SEMI_KEYS_MAX) return undefined;
  }
  if (keys.size === 0) return { kind: 'literal', type: 'bool', value: false };
  const list: Expr[] = [...keys].map((key) => ({
    kind: 'literal',
    type: 'int',
    value: key,
    raw: String(key),
  }));
  return { kind: 'in', not: false, expr, list };
}
