/**
 * Semi- and anti-join narrowing (TPC-H Q22's `NOT EXISTS (SELECT * FROM orders WHERE o_custkey
 * = c_custkey)`): a subquery correlated by equality only is rewritten so that what it reads is
 * the distinct correlation columns of its tables, filtered by its own conjuncts:
 *
 *   [NOT] EXISTS (SELECT … FROM t WHERE t.a = o.x AND <t only>)
 *   → [NOT] EXISTS (SELECT 1 FROM (SELECT DISTINCT t.a AS exo_k1 FROM t WHERE <t only>)
 *                   AS exo_semi_1 WHERE exo_semi_1.exo_k1 = o.x)
 *
 *   y [NOT] IN (SELECT t.v FROM t WHERE t.a = o.x AND <t only>)
 *   → y [NOT] IN (SELECT exo_semi_1.exo_v FROM (SELECT DISTINCT t.v AS exo_v, t.a AS exo_k1
 *                 FROM t WHERE <t only>) AS exo_semi_1 WHERE exo_semi_1.exo_k1 = o.x)
 *
 * The derived table is uncorrelated, so it runs first as a sub-plan (`subplans.ts`) with a
 * DISTINCT on every partition and again on the aggregator (marked `membershipOnly`: keys
 * repeated across partitions change no answer, so over two partitions the merge is skipped,
 * `distribute.ts`), instead of the merge engine gathering whole rows. Exact: for each outer
 * row, the subquery's rows are replaced by their distinct projections onto the columns that
 * still matter (the correlation columns, and the IN value), filtered alike; EXISTS depends only
 * on whether a row exists, and IN / NOT IN only on the set of values (with whether it holds
 * NULL, which DISTINCT keeps), so NOT IN keeps its own NULL semantics and is never turned into
 * NOT EXISTS. A NULL outer value matches no key, as `t.a = NULL` matches no row. When the
 * outer column belongs to a filtered plain table of the enclosing block, the derived table is
 * also restricted to that table's keys (`semi-keys.ts`).
 *
 * Subqueries with aggregates, GROUP BY, HAVING, LIMIT, windows or any conjunct that is neither
 * a correlation nor about their own tables are left alone, as are those `skip` names (the
 * partitions evaluate them in a co-located fragment). An uncorrelated IN subquery only gets a
 * DISTINCT. Pure.
 */
import type {
  ColumnRefExpr,
  Expr,
  Query,
  SelectItem,
  SelectStatement,
  TableRefTable,
} from '../parser/ast.js';
import { walkExpr } from '../parser/index.js';
import { isAggregateCall } from './aggregates.js';
import { andAll } from './pushdown.js';
import { conjuncts } from './route.js';
import { isSelfContained, semiKeyConjunct, type ColumnsOf } from './semi-keys.js';

export const SEMIJOIN_PREFIX = 'exo_semi_';
const SEMIJOINS_MAX = 16;

/** The query with its equality-correlated EXISTS and IN subqueries narrowed. */
export function narrowSemijoins(
  query: Query,
  options: { readonly columnsOf: ColumnsOf; readonly skip: (query: Query) => boolean },
): Query {
  const state: State = { count: 0, ...options };
  return rewrite(query, undefined, state) as Query;
}

interface State {
  count: number;
  readonly columnsOf: ColumnsOf;
  readonly skip: (query: Query) => boolean;
}

/** Bottom-up, knowing the innermost enclosing block; unchanged nodes are returned as is. */
function rewrite(node: unknown, block: SelectStatement | undefined, state: State): unknown {
  if (Array.isArray(node)) {
    const items = node.map((item) => rewrite(item, block, state));
    return items.some((item, index) => item !== node[index]) ? items : node;
  }
  if (node === null || typeof node !== 'object') return node;
  const record = node as { kind?: unknown; query?: Query };
  const inner = record.kind === 'select' ? (node as SelectStatement) : block;
  let changed = false;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    result[key] = rewrite(value, inner, state);
    if (result[key] !== value) changed = true;
  }
  const base = (changed ? result : node) as { kind?: unknown; query?: Query };
  if ((base.kind !== 'exists' && base.kind !== 'in') || base.query === undefined) return base;
  if (record.query !== undefined && state.skip(record.query)) return base;
  if (state.count >= SEMIJOINS_MAX) return base;
  const narrowed = narrow(base.query, base.kind === 'in', block, state);
  return narrowed === undefined ? base : { ...base, query: narrowed };
}

interface Inner {
  readonly names: ReadonlySet<string>;
  readonly columns: ReadonlySet<string>;
}

function isInner(ref: ColumnRefExpr, inner: Inner): boolean {
  if (ref.database !== undefined) return false;
  return ref.table !== undefined
    ? inner.names.has(ref.table.toLowerCase())
    : inner.columns.has(ref.column.toLowerCase());
}

function narrow(
  query: Query,
  isIn: boolean,
  block: SelectStatement | undefined,
  state: State,
): Query | undefined {
  if (query.kind !== 'select' || query.from === undefined || query.from.length === 0)
    return undefined;
  if (query.groupBy.length > 0 || query.having !== undefined || query.windows.length > 0)
    return undefined;
  if (query.limit !== undefined || query.lock !== undefined || query.into !== undefined)
    return undefined;
  if (isIn && query.columns.length !== 1) return undefined;
  if (query.columns.some((item) => hasAggregate(item.expr))) return undefined;
  const tables: TableRefTable[] = [];
  for (const ref of query.from) {
    if (ref.kind !== 'table') return undefined;
    tables.push(ref);
  }
  const names = new Set<string>();
  const columns = new Set<string>();
  for (const table of tables) {
    const known = state.columnsOf(table);
    if (known === undefined) return undefined;
    names.add((table.alias ?? table.name).toLowerCase());
    for (const column of known) columns.add(column.toLowerCase());
  }
  if (names.size !== tables.length) return undefined;
  const inner: Inner = { names, columns };
  const keys: { inner: ColumnRefExpr; outer: Expr }[] = [];
  const local: Expr[] = [];
  for (const conjunct of query.where === undefined ? [] : conjuncts(query.where)) {
    const pair = correlation(conjunct, inner);
    if (pair !== undefined) keys.push(pair);
    else if (isLocal(conjunct, inner)) local.push(conjunct);
    else return undefined;
  }
  const value = isIn ? query.columns[0] : undefined;
  if (value !== undefined && !isLocal(value.expr, inner)) return undefined;
  if (keys.length === 0) {
    // Uncorrelated: an IN list needs its distinct values only.
    if (!isIn || query.distinct || !isSelfContained(query, state.columnsOf)) return undefined;
    return { ...query, distinct: true };
  }
  state.count += 1;
  const name = `${SEMIJOIN_PREFIX}${state.count}`;
  const items: SelectItem[] = [];
  if (value !== undefined) items.push({ expr: value.expr, alias: 'exo_v' });
  keys.forEach((key, index) => items.push({ expr: key.inner, alias: `exo_k${index + 1}` }));
  if (block !== undefined)
    for (const key of keys) {
      const reduction = semiKeyConjunct({
        block,
        outer: key.outer,
        inner: key.inner,
        columnsOf: state.columnsOf,
      });
      if (reduction === undefined) continue;
      local.push(reduction);
      break;
    }
  const where = andAll(local);
  const distinct: SelectStatement = {
    kind: 'select',
    distinct: true,
    // Read only by the (NOT) EXISTS / IN below, where a repeated key changes nothing.
    membershipOnly: true,
    columns: items,
    from: tables,
    ...(where !== undefined ? { where } : {}),
    groupBy: [],
    withRollup: false,
    windows: [],
    orderBy: [],
  };
  const matches = andAll(
    keys.map((key, index) => ({
      kind: 'binary',
      op: '=',
      left: { kind: 'column', table: name, column: `exo_k${index + 1}` },
      right: key.outer,
    })),
  );
  return {
    kind: 'select',
    distinct: false,
    columns: [
      {
        expr:
          value !== undefined
            ? { kind: 'column', table: name, column: 'exo_v' }
            : { kind: 'literal', type: 'int', value: 1, raw: '1' },
        ...(value?.alias !== undefined ? { alias: value.alias } : {}),
      },
    ],
    from: [{ kind: 'derived', alias: name, query: distinct }],
    ...(matches !== undefined ? { where: matches } : {}),
    groupBy: [],
    withRollup: false,
    windows: [],
    orderBy: [],
  };
}

function hasAggregate(expr: Expr): boolean {
  let found = false;
  walkExpr(expr, (node) => {
    if (isAggregateCall(node) || node.kind === 'windowCall') found = true;
    return !found;
  });
  return found;
}

/** Every column of `expr` is the subquery's own; no subquery, variable or marker inside. */
function isLocal(expr: Expr, inner: Inner): boolean {
  let local = true;
  walkExpr(expr, (node) => {
    if (!local) return false;
    if (node.kind === 'column') local = isInner(node, inner);
    else if (
      node.kind === 'subquery' ||
      node.kind === 'exists' ||
      node.kind === 'quantified' ||
      (node.kind === 'in' && node.query !== undefined) ||
      node.kind === 'variable' ||
      node.kind === 'assign' ||
      node.kind === 'default' ||
      node.kind === 'windowCall'
    )
      local = false;
    return local;
  });
  return local;
}

/** `inner.col = <outer expression>` (either order): the outer side names no inner column. */
function correlation(
  conjunct: Expr,
  inner: Inner,
): { inner: ColumnRefExpr; outer: Expr } | undefined {
  if (conjunct.kind !== 'binary' || conjunct.op !== '=') return undefined;
  const { left, right } = conjunct;
  const pick = (candidate: Expr, other: Expr): { inner: ColumnRefExpr; outer: Expr } | undefined =>
    candidate.kind === 'column' && isInner(candidate, inner) && isOuter(other, inner)
      ? { inner: candidate, outer: other }
      : undefined;
  return pick(left, right) ?? pick(right, left);
}

/** An expression of outer columns only (at least one), with no subquery. */
function isOuter(expr: Expr, inner: Inner): boolean {
  let outer = true;
  let columns = 0;
  walkExpr(expr, (node) => {
    if (node.kind === 'column') {
      columns += 1;
      if (isInner(node, inner)) outer = false;
    } else if (
      node.kind === 'subquery' ||
      node.kind === 'exists' ||
      node.kind === 'quantified' ||
      (node.kind === 'in' && node.query !== undefined) ||
      node.kind === 'variable' ||
      node.kind === 'assign' ||
      node.kind === 'windowCall'
    )
      outer = false;
    return outer;
  });
  return outer && columns > 0;
}
