/**
 * Decorrelation of scalar aggregates correlated by equality (TPC-H Q2, Q17, Q20):
 *
 *   WHERE x < (SELECT 0.2 * AVG(t.v) FROM t WHERE t.a = o.x AND t.b = o.y AND <t only>)
 *
 * becomes a grouped derived table joined to the block,
 *
 *   FROM …, (SELECT t.a AS exo_k1, t.b AS exo_k2, 0.2 * AVG(t.v) AS exo_v FROM t
 *            WHERE <t only> GROUP BY t.a, t.b) AS exo_corr_1
 *   WHERE exo_corr_1.exo_k1 = o.x AND exo_corr_1.exo_k2 = o.y AND x < exo_corr_1.exo_v
 *
 * which the partitions can aggregate in two phases instead of the aggregator reading every row
 * of `t`. Exact because:
 * - the comparison is a top-level WHERE conjunct with `=`, `<>`, `<`, `<=`, `>` or `>=` (not
 *   `<=>`), and the item is built only from SUM/AVG/MIN/MAX, numeric literals and `+ - * /`, so
 *   an outer row whose group is empty (the subquery gives NULL) fails the conjunct either way;
 *   the inner join drops it just the same. COUNT (0 on an empty group) is left alone;
 * - the grouping keys are exactly the correlated columns, so an outer row matches at most one
 *   group and row counts do not change; a NULL key matches no group, as `t.a = NULL` matches no
 *   row;
 * - the subquery's other conjuncts name only its own tables, so they filter the groups alike.
 * When the outer column belongs to a plain table of the block that the block filters, the
 * derived table is also restricted to that table's keys (`semi-keys.ts`: TPC-H Q17 needs the
 * AVG of the parts of one brand and container only, Q20 of the 'forest%' parts only).
 * The subquery's FROM may list several tables (inner joins written as a comma list). Blocks
 * with `*` in their select list are left alone (the derived table would add columns). Pure.
 */
import type {
  BinaryOp,
  ColumnRefExpr,
  Expr,
  Query,
  SelectItem,
  SelectStatement,
  TableRef,
  TableRefTable,
} from '../parser/ast.js';
import { walkExpr } from '../parser/index.js';
import { andAll } from './pushdown.js';
import { conjuncts } from './route.js';
import { containsKind } from './tables.js';
import { semiKeyConjunct } from './semi-keys.js';

export const DECORRELATED_PREFIX = 'exo_corr_';
const DECORRELATED_MAX = 16;

const COMPARISONS: ReadonlySet<BinaryOp> = new Set(['=', '<>', '<', '<=', '>', '>=']);
const NULL_ON_EMPTY: ReadonlySet<string> = new Set(['SUM', 'AVG', 'MIN', 'MAX']);
const ARITHMETIC: ReadonlySet<BinaryOp> = new Set(['+', '-', '*', '/']);
const NOT_LOCAL: ReadonlySet<string> = new Set([
  'subquery',
  'exists',
  'quantified',
  'windowCall',
  'variable',
  'assign',
  'default',
  'star',
]);

/** The columns of a table the query names, or `undefined` when unknown. */
export type ColumnsOf = (ref: TableRefTable) => readonly string[] | undefined;

/** The query with its equality-correlated scalar aggregates joined as grouped derived tables. */
export function decorrelate(query: Query, columnsOf: ColumnsOf): Query {
  const state = { count: 0, columnsOf };
  return rewrite(query, state) as Query;
}

interface State {
  count: number;
  readonly columnsOf: ColumnsOf;
}

/** Bottom-up; a node none of whose parts changed is returned as is. */
function rewrite(node: unknown, state: State): unknown {
  if (Array.isArray(node)) {
    const items = node.map((item) => rewrite(item, state));
    return items.some((item, index) => item !== node[index]) ? items : node;
  }
  if (node === null || typeof node !== 'object') return node;
  const result: Record<string, unknown> = {};
  let changed = false;
  for (const [key, value] of Object.entries(node)) {
    result[key] = rewrite(value, state);
    if (result[key] !== value) changed = true;
  }
  const base = changed ? result : node;
  return (base as { kind?: unknown }).kind === 'select'
    ? rewriteBlock(base as SelectStatement, state)
    : base;
}

function rewriteBlock(select: SelectStatement, state: State): SelectStatement {
  if (select.where === undefined || select.from === undefined || select.from.length === 0)
    return select;
  if (select.columns.some((item) => item.expr.kind === 'star' && item.expr.table === undefined))
    return select;
  const from: TableRef[] = [...select.from];
  const where: Expr[] = [];
  let changed = false;
  for (const conjunct of conjuncts(select.where)) {
    const replaced =
      state.count < DECORRELATED_MAX ? decorrelateConjunct(conjunct, select, state) : undefined;
    if (replaced === undefined) {
      where.push(conjunct);
      continue;
    }
    changed = true;
    from.push(replaced.derived);
    where.push(...replaced.conjuncts);
  }
  if (!changed) return select;
  const combined = andAll(where);
  return { ...select, from, ...(combined !== undefined ? { where: combined } : {}) };
}

function decorrelateConjunct(
  conjunct: Expr,
  block: SelectStatement,
  state: State,
): { derived: TableRef; conjuncts: Expr[] } | undefined {
  if (conjunct.kind !== 'binary' || !COMPARISONS.has(conjunct.op)) return undefined;
  const onRight = conjunct.right.kind === 'subquery';
  const sub = onRight ? conjunct.right : conjunct.left;
  const other = onRight ? conjunct.left : conjunct.right;
  if (sub.kind !== 'subquery' || other.kind === 'subquery') return undefined;
  const name = `${DECORRELATED_PREFIX}${state.count + 1}`;
  const grouped = groupedForm(sub.query, { name, block, columnsOf: state.columnsOf });
  if (grouped === undefined) return undefined;
  state.count += 1;
  const value: Expr = { kind: 'column', table: name, column: 'exo_v' };
  const comparison: Expr = onRight ? { ...conjunct, right: value } : { ...conjunct, left: value };
  return { derived: grouped.derived, conjuncts: [...grouped.keys, comparison] };
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

/** Every column of `expr` is the subquery's own; no subquery or window inside. */
function isLocal(expr: Expr, inner: Inner): boolean {
  if (containsKind(expr, NOT_LOCAL)) return false;
  let local = true;
  walkExpr(expr, (node) => {
    if (node.kind === 'in' && node.query !== undefined) local = false;
    if (node.kind === 'column' && !isInner(node, inner)) local = false;
    return local;
  });
  return local;
}

/** An item that is NULL whenever its group is empty: aggregates that give NULL, arithmetic. */
function isNullOnEmpty(expr: Expr, inner: Inner): { aggregates: number } | undefined {
  switch (expr.kind) {
    case 'literal':
      return expr.type === 'int' || expr.type === 'decimal' || expr.type === 'double'
        ? { aggregates: 0 }
        : undefined;
    case 'unary':
      return expr.op === '-' ? isNullOnEmpty(expr.operand, inner) : undefined;
    case 'binary': {
      if (!ARITHMETIC.has(expr.op)) return undefined;
      const left = isNullOnEmpty(expr.left, inner);
      const right = isNullOnEmpty(expr.right, inner);
      return left === undefined || right === undefined
        ? undefined
        : { aggregates: left.aggregates + right.aggregates };
    }
    case 'call': {
      if (!NULL_ON_EMPTY.has(expr.name) || expr.star === true || expr.args.length !== 1)
        return undefined;
      const arg = expr.args[0];
      if (arg === undefined || !isLocal(arg, inner)) return undefined;
      let nested = false;
      walkExpr(arg, (node) => {
        if (node.kind === 'call' && NULL_ON_EMPTY.has(node.name)) nested = true;
        return !nested;
      });
      return nested ? undefined : { aggregates: 1 };
    }
    default:
      return undefined;
  }
}

function groupedForm(
  query: Query,
  options: {
    readonly name: string;
    readonly block: SelectStatement;
    readonly columnsOf: ColumnsOf;
  },
): { derived: TableRef; keys: Expr[] } | undefined {
  const { name, block, columnsOf } = options;
  if (query.kind !== 'select' || query.distinct || query.columns.length !== 1) return undefined;
  if (query.groupBy.length > 0 || query.having !== undefined || query.windows.length > 0)
    return undefined;
  if (query.orderBy.length > 0 || query.limit !== undefined || query.lock !== undefined)
    return undefined;
  if (query.into !== undefined || query.where === undefined || query.from === undefined)
    return undefined;
  const tables: TableRefTable[] = [];
  for (const ref of query.from) {
    if (ref.kind !== 'table') return undefined;
    tables.push(ref);
  }
  const names = new Set<string>();
  const columns = new Set<string>();
  for (const table of tables) {
    const known = columnsOf(table);
    if (known === undefined) return undefined;
    names.add((table.alias ?? table.name).toLowerCase());
    for (const column of known) columns.add(column.toLowerCase());
  }
  if (names.size !== tables.length) return undefined;
  const inner: Inner = { names, columns };
  const item = query.columns[0];
  if (item === undefined) return undefined;
  const shape = isNullOnEmpty(item.expr, inner);
  if (shape === undefined || shape.aggregates === 0) return undefined;
  const keys: { inner: ColumnRefExpr; outer: ColumnRefExpr }[] = [];
  const local: Expr[] = [];
  for (const conjunct of conjuncts(query.where)) {
    const pair = correlation(conjunct, inner);
    if (pair !== undefined) keys.push(pair);
    else if (isLocal(conjunct, inner)) local.push(conjunct);
    else return undefined;
  }
  if (keys.length === 0) return undefined;
  const items: SelectItem[] = keys.map((key, index) => ({
    expr: key.inner,
    alias: `exo_k${index + 1}`,
  }));
  items.push({ expr: item.expr, alias: 'exo_v' });
  // Only the groups of keys the outer block can produce matter (`semi-keys.ts`).
  for (const key of keys) {
    const reduction = semiKeyConjunct({ block, outer: key.outer, inner: key.inner, columnsOf });
    if (reduction === undefined) continue;
    local.push(reduction);
    break;
  }
  const where = andAll(local);
  const grouped: SelectStatement = {
    kind: 'select',
    distinct: false,
    columns: items,
    from: tables,
    ...(where !== undefined ? { where } : {}),
    groupBy: keys.map((key) => key.inner),
    withRollup: false,
    windows: [],
    orderBy: [],
  };
  return {
    derived: { kind: 'derived', alias: name, query: grouped },
    keys: keys.map((key, index) => ({
      kind: 'binary',
      op: '=',
      left: { kind: 'column', table: name, column: `exo_k${index + 1}` },
      right: key.outer,
    })),
  };
}

/** `inner.col = outer.col` (either order). */
function correlation(
  conjunct: Expr,
  inner: Inner,
): { inner: ColumnRefExpr; outer: ColumnRefExpr } | undefined {
  if (conjunct.kind !== 'binary' || conjunct.op !== '=') return undefined;
  const { left, right } = conjunct;
  if (left.kind !== 'column' || right.kind !== 'column') return undefined;
  if (left.database !== undefined || right.database !== undefined) return undefined;
  const leftInner = isInner(left, inner);
  const rightInner = isInner(right, inner);
  if (leftInner === rightInner) return undefined;
  return leftInner ? { inner: left, outer: right } : { inner: right, outer: left };
}
