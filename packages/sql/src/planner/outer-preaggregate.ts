/**
 * Pre-aggregation of the null-extended side of a LEFT JOIN whose block only aggregates it
 * (TPC-H Q13: `customer LEFT JOIN orders ON c_custkey = o_custkey AND <orders only> GROUP BY
 * c_custkey` with `COUNT(o_orderkey)`). The block
 *
 *   SELECT <P columns>, COUNT(n.x), MIN(n.y) FROM p LEFT JOIN n ON p.a = n.b AND <n only>
 *   WHERE <p only> GROUP BY <P columns>
 *
 * becomes
 *
 *   SELECT <P columns>, CAST(COALESCE(SUM(exo_pre_1.exo_a1), 0) AS SIGNED),
 *          MIN(exo_pre_1.exo_a2)
 *   FROM p LEFT JOIN (SELECT n.b AS exo_k1, COUNT(n.x) AS exo_a1, MIN(n.y) AS exo_a2 FROM n
 *                     WHERE <n only> GROUP BY n.b) AS exo_pre_1 ON p.a = exo_pre_1.exo_k1
 *   WHERE <p only> GROUP BY <P columns>
 *
 * The derived table is uncorrelated, so it runs first as a sub-plan aggregated in two phases on
 * the partitions (one row per join key, with the ON filter applied there) instead of the merge
 * engine gathering every row of `n`. Exact because each row of `p` matched m rows of `n`
 * (those with `n.b = p.a` passing the ON filter) and now matches at most one pre-aggregated
 * row standing for them: a COUNT is the sum of the per-key counts (0 when no row of the group
 * matched: COALESCE), MIN and MAX of per-key MIN and MAX are the same, `COUNT(*)` counts 1 for
 * an unmatched `p` row (COALESCE of the per-key row count to 1); a NULL `p.a` matches nothing
 * either way. The block's other expressions (select list outside aggregates, WHERE, GROUP BY)
 * may name only `p`'s columns, the aggregates only `n`'s, so no value of a `p` row is
 * repeated or dropped by the change of row count. SUM and AVG are left alone (a sum of sums can
 * round differently for DOUBLE, and its result type would change), as are DISTINCT aggregates,
 * HAVING, ORDER BY other than result positions and the preserved side's columns, windows, aggregates without an alias (the result column would be
 * named after the new expression) and any block `skip` rejects (one already co-located).
 * COUNT keeps its BIGINT type through CAST … AS SIGNED. Pure.
 */
import type {
  CallExpr,
  ColumnRefExpr,
  Expr,
  Query,
  SelectStatement,
  TableRefTable,
} from '../parser/ast.js';
import { mapExpr, walkExpr } from '../parser/index.js';
import { isAggregateCall } from './aggregates.js';
import {
  FOLDABLE,
  foldedCount,
  hasAggregate,
  isOpaque,
  PREAGGREGATES_MAX,
  rewriteSelects,
} from './preaggregate-common.js';
import { andAll } from './pushdown.js';
import { conjuncts } from './route.js';
import type { ColumnsOf } from './semi-keys.js';

export const PREAGGREGATE_PREFIX = 'exo_pre_';

/** The query with the outer joins its blocks only aggregate pre-aggregated. */
export function preaggregateOuterJoins(
  query: Query,
  options: { readonly columnsOf: ColumnsOf; readonly skip: (block: SelectStatement) => boolean },
): Query {
  const state = { count: 0, ...options };
  return rewriteSelects(query, (block) =>
    state.count >= PREAGGREGATES_MAX ? undefined : rewriteBlock(block, state),
  ) as Query;
}

interface State {
  count: number;
  readonly columnsOf: ColumnsOf;
  readonly skip: (block: SelectStatement) => boolean;
}

interface Side {
  readonly name: string;
  readonly columns: ReadonlySet<string>;
}

/** Which side a column belongs to: 'p', 'n', or undefined (elsewhere or ambiguous). */
function sideOf(ref: ColumnRefExpr, preserved: Side, other: Side): 'p' | 'n' | undefined {
  if (ref.database !== undefined) return undefined;
  const column = ref.column.toLowerCase();
  if (ref.table !== undefined) {
    const table = ref.table.toLowerCase();
    if (table === preserved.name) return preserved.columns.has(column) ? 'p' : undefined;
    if (table === other.name) return other.columns.has(column) ? 'n' : undefined;
    return undefined;
  }
  const inP = preserved.columns.has(column);
  const inN = other.columns.has(column);
  return inP === inN ? undefined : inP ? 'p' : 'n';
}

/** Whether every column of `expr` is on `side` (at least one), with no subquery. */
function onlySide(expr: Expr, side: 'p' | 'n', sides: [Side, Side], minimum = 1): boolean {
  let ok = true;
  let columns = 0;
  walkExpr(expr, (node) => {
    if (!ok) return false;
    if (node.kind === 'column') {
      columns += 1;
      ok = sideOf(node, sides[0], sides[1]) === side;
    } else if (isOpaque(node)) ok = false;
    return ok;
  });
  return ok && columns >= minimum;
}

function rewriteBlock(select: SelectStatement, state: State): SelectStatement | undefined {
  const only = select.from?.length === 1 ? select.from[0] : undefined;
  if (only?.kind !== 'join' || only.type !== 'left' || only.on === undefined) return undefined;
  if (only.natural === true || only.using !== undefined) return undefined;
  if (only.left.kind !== 'table' || only.right.kind !== 'table') return undefined;
  if (select.having !== undefined) return undefined;
  if (select.windows.length > 0 || select.withRollup || select.distinct) return undefined;
  if (select.lock !== undefined || select.into !== undefined) return undefined;
  const side = (ref: TableRefTable): Side | undefined => {
    const known = state.columnsOf(ref);
    return known === undefined
      ? undefined
      : {
          name: (ref.alias ?? ref.name).toLowerCase(),
          columns: new Set(known.map((column) => column.toLowerCase())),
        };
  };
  const preserved = side(only.left);
  const other = side(only.right);
  if (preserved === undefined || other === undefined || preserved.name === other.name)
    return undefined;
  const sides: [Side, Side] = [preserved, other];
  // The ON clause: equalities p.a = n.b, and conjuncts about n alone.
  const keys: { p: ColumnRefExpr; n: ColumnRefExpr }[] = [];
  const filters: Expr[] = [];
  for (const conjunct of conjuncts(only.on)) {
    const pair = keyPair(conjunct, preserved, other);
    if (pair !== undefined) keys.push(pair);
    else if (onlySide(conjunct, 'n', sides)) filters.push(conjunct);
    else return undefined;
  }
  if (keys.length === 0) return undefined;
  if (select.where !== undefined && !onlySide(select.where, 'p', sides)) return undefined;
  if (!select.groupBy.every((expr) => onlySide(expr, 'p', sides))) return undefined;
  // ORDER BY result positions, or the preserved side's columns outside aggregates.
  const ordered = (expr: Expr): boolean =>
    (expr.kind === 'literal' && expr.type === 'int') ||
    (onlySide(expr, 'p', sides) && !hasAggregate(expr));
  if (!select.orderBy.every((item) => ordered(item.expr))) return undefined;
  // Aggregates over n only; everything else over p only.
  const folds: { call: CallExpr; alias: string }[] = [];
  let aggregated = false;
  for (const item of select.columns) {
    if (item.expr.kind === 'star') return undefined;
    let ok = true;
    let has = false;
    const outside = mapExpr(item.expr, (node) => {
      if (!isAggregateCall(node)) return node;
      has = true;
      if (!FOLDABLE.has(node.name) || node.distinct === true) ok = false;
      else if (node.star === true) {
        if (node.name !== 'COUNT') ok = false;
      } else if (node.args.length !== 1 || !onlySide(node.args[0] as Expr, 'n', sides)) ok = false;
      return { kind: 'literal', type: 'int', value: 0, raw: '0' };
    });
    if (!ok) return undefined;
    if (!onlySide(outside, 'p', sides, 0)) return undefined;
    // The result column keeps its name only through an alias.
    if (has && item.alias === undefined) return undefined;
    if (has) aggregated = true;
  }
  if (!aggregated || state.skip(select)) return undefined;
  state.count += 1;
  const name = `${PREAGGREGATE_PREFIX}${state.count}`;
  const column = (alias: string): Expr => ({ kind: 'column', table: name, column: alias });
  const columns = select.columns.map((item) => ({
    ...item,
    expr: mapExpr(item.expr, (node) => {
      if (!isAggregateCall(node)) return node;
      const alias = `exo_a${folds.length + 1}`;
      const inner: CallExpr = node;
      folds.push({ call: inner, alias });
      if (node.name === 'COUNT')
        return foldedCount(column(alias), node.star === true ? 1 : undefined);
      return { ...node, args: [column(alias)] };
    }),
  }));
  const where = andAll(filters);
  const grouped: SelectStatement = {
    kind: 'select',
    distinct: false,
    columns: [
      ...keys.map((key, index) => ({ expr: key.n, alias: `exo_k${index + 1}` })),
      ...folds.map((fold) => ({ expr: fold.call, alias: fold.alias })),
    ],
    from: [only.right],
    ...(where !== undefined ? { where } : {}),
    groupBy: keys.map((key) => key.n),
    withRollup: false,
    windows: [],
    orderBy: [],
  };
  const on = andAll(
    keys.map((key, index) => ({
      kind: 'binary' as const,
      op: '=' as const,
      left: key.p,
      right: column(`exo_k${index + 1}`),
    })),
  );
  return {
    ...select,
    columns,
    from: [
      {
        ...only,
        right: { kind: 'derived', alias: name, query: grouped },
        ...(on !== undefined ? { on } : {}),
      },
    ],
  };
}

/** `p.a = n.b` (either order), both plain columns. */
function keyPair(
  conjunct: Expr,
  preserved: Side,
  other: Side,
): { p: ColumnRefExpr; n: ColumnRefExpr } | undefined {
  if (conjunct.kind !== 'binary' || conjunct.op !== '=') return undefined;
  const { left, right } = conjunct;
  if (left.kind !== 'column' || right.kind !== 'column') return undefined;
  const leftSide = sideOf(left, preserved, other);
  const rightSide = sideOf(right, preserved, other);
  if (leftSide === 'p' && rightSide === 'n') return { p: left, n: right };
  if (leftSide === 'n' && rightSide === 'p') return { p: right, n: left };
  return undefined;
}
