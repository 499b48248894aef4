/**
 * Semi-join key reductions at run time (`planner/semi-keys.ts` marks them): before a query is
 * planned, each marked `k IN (SELECT T.x AS exo_semi_key FROM T WHERE …)` runs first, through
 * the whole pipeline, and is replaced by the literal list of the integer keys it found, so that
 * the partitions filter on it (the grouped derived table of TPC-H Q17 aggregates the lineitems
 * of a few hundred parts instead of all of them). The list is kept as values (`InExpr.keys`),
 * which the planner's walks do not visit one by one: planning TPC-H Q20's partsupp sub-plan
 * with 2,127 keys as literal nodes took about 80 ms. The conjunct is redundant, so when there are
 * more than `SEMI_KEYS_MAX` keys, or keys that are not integers (whose literal comparison could
 * differ from the column comparison), it is dropped instead; no keys at all make it FALSE.
 *
 * When the key column is its table's whole primary key, each row holds a distinct key, so a
 * COUNT(*) with the query's filter (`broadcast-count.ts`, cached like the broadcast counts)
 * tells beforehand whether the keys can be used: above `SEMI_KEYS_MAX` the key query is not
 * run at all (TPC-H Q22: 19,000 customer keys, 75 ms of key query thrown away). Several
 * reductions of one query run at once outside explicit transactions.
 */
import type { Expr, Query } from '../parser/ast.js';
import { findSemiKeys, isSemiKeyConjunct, mapSemiKeys } from '../planner/semi-keys.js';
import { conjuncts } from '../planner/route.js';
import { SqlError } from '../errors.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { countRows } from './broadcast-count.js';
import { allParts } from './fan-out.js';
import { isVirtualDatabase } from './information-schema.js';
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
  const resolve = async (conjunct: Expr): Promise<void> => {
    if (!isSemiKeyConjunct(conjunct)) return;
    if (await tooManyKeys(context, conjunct.query)) {
      semiKeyCounters.skipped += 1;
      return;
    }
    semiKeyCounters.run += 1;
    const result = await executeQuery(context, conjunct.query);
    lists.set(conjunct, literalList(conjunct.expr, result.kind === 'rows' ? result.rows : []));
  };
  // Each settles before an error is reported; a transaction's statements run one at a time.
  if (context.transaction === undefined) await allParts(marked.map(resolve));
  else for (const conjunct of marked) await resolve(conjunct);
  return mapSemiKeys(query, (conjunct) => lists.get(conjunct));
}

/** Key queries run and skipped since the process started (tests read them). */
export const semiKeyCounters = { run: 0, skipped: 0 };

/**
 * Whether the key query `SELECT DISTINCT T.x … FROM T WHERE …` is known to find more than
 * `SEMI_KEYS_MAX` keys: `x` is T's whole primary key and more rows pass the filter.
 */
async function tooManyKeys(context: StatementContext, keys: Query): Promise<boolean> {
  if (keys.kind !== 'select' || keys.from?.length !== 1) return false;
  const ref = keys.from[0];
  const column = keys.columns[0]?.expr;
  if (ref?.kind !== 'table' || column?.kind !== 'column') return false;
  const database = ref.database ?? context.session.database;
  if (database === undefined || isVirtualDatabase(database)) return false;
  const table = context.services.catalog.table(database, ref.name);
  const key = table?.primaryKey;
  if (table === undefined || table.storage !== 'column' || key?.length !== 1) return false;
  if (key[0]?.toLowerCase() !== column.column.toLowerCase()) return false;
  try {
    const filter =
      keys.where === undefined
        ? undefined
        : { alias: ref.alias ?? ref.name, exprs: conjuncts(keys.where) };
    return (await countRows(context, table, filter)) > SEMI_KEYS_MAX;
  } catch (error) {
    // A filter the count cannot express: the key query decides.
    if (error instanceof SqlError) return false;
    throw error;
  }
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
  return { kind: 'in', not: false, expr, keys: [...keys] };
}
