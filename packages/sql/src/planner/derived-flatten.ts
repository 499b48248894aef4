/**
 * Merging a derived table into the query that reads it, for broadcast plans: a query whose
 * whole FROM is one derived table made of a plain SELECT (no DISTINCT, GROUP BY, HAVING,
 * LIMIT, window, aggregate or subquery)
 *
 *   SELECT nation, SUM(amount) AS s FROM (SELECT n_name AS nation, <expr> AS amount
 *     FROM part, lineitem, … WHERE …) AS profit GROUP BY nation ORDER BY nation
 *
 * means the same as the query over the derived table's FROM and WHERE with each derived column
 * replaced by its expression (`SELECT n_name AS nation, SUM(<expr>) AS s FROM part, lineitem, …
 * WHERE … GROUP BY n_name ORDER BY n_name`): every row of the derived table is one row of its
 * FROM passing its WHERE, and the outer query reads only the expressions' values. The merged
 * query may then run whole on the partitions with copies and two-phase aggregation (TPC-H Q7,
 * Q8, Q9) instead of gathering every derived row to the aggregator.
 *
 * Result columns keep their names (an alias, or the derived column's name, or the item's source
 * text). Refused, so the query keeps its other plans, when the outer query has subqueries,
 * stars, windows or options, when it names anything but the derived columns (except ORDER BY
 * naming its own aliases), or when a derived expression could give a different value when
 * evaluated twice (RAND(), UUID(), variables). Pure.
 */
import type { Expr, OrderItem, SelectItem, SelectStatement, Query } from '../parser/ast.js';
import { mapExpr, walkExpr } from '../parser/index.js';
import { AGGREGATES, andAll } from './pushdown.js';
import { conjuncts } from './route.js';
import { containsKind } from './tables.js';

const REFUSED_KINDS: ReadonlySet<string> = new Set([
  'subquery',
  'exists',
  'quantified',
  'windowCall',
  'variable',
  'assign',
  'default',
  'star',
  'param',
  // A nested query, wherever it sits (`x IN (SELECT …)`).
  'select',
  'setOperation',
]);

/** What the derived table's WHERE may hold when its subqueries may move (`options`). */
const REFUSED_IN_WHERE: ReadonlySet<string> = new Set(
  [...REFUSED_KINDS].filter(
    (kind) => !['subquery', 'exists', 'quantified', 'select', 'setOperation'].includes(kind),
  ),
);

/** Functions whose value may change from one evaluation to the next. */
const VOLATILE: ReadonlySet<string> = new Set([
  'RAND',
  'UUID',
  'UUID_SHORT',
  'SLEEP',
  'SYSDATE',
  'GET_LOCK',
  'RELEASE_LOCK',
  'LAST_INSERT_ID',
  'ROW_COUNT',
  'FOUND_ROWS',
]);

/**
 * The query with its only derived table merged into it, or `undefined` when not exact.
 * `whereSubqueries`: the derived table's WHERE may hold subqueries (they move with its FROM).
 */
export function flattenDerived(
  query: Query,
  options: { readonly whereSubqueries?: boolean } = {},
): SelectStatement | undefined {
  if (query.kind !== 'select' || query.from?.length !== 1) return undefined;
  const ref = query.from[0];
  if (ref?.kind !== 'derived' || ref.lateral === true || ref.query.kind !== 'select')
    return undefined;
  const inner = ref.query;
  // Subqueries in the derived table's WHERE would move exactly (with its FROM, whose tables
  // they correlate with, into a block that has no other table), but a query holding them
  // rarely runs whole on the partitions (TPC-H Q22's NOT EXISTS reads all of orders), and the
  // attempt costs row counts: refused unless the caller asks.
  if (!plainBlock(inner, options.whereSubqueries === true) || !rowPreserving(inner))
    return undefined;
  if (inner.from === undefined) return undefined;
  if (!plainBlock(query) || query.withRollup) return undefined;
  // The derived columns and their expressions.
  const columns = new Map<string, Expr>();
  for (const [index, item] of inner.columns.entries()) {
    const name =
      ref.columnAliases?.[index] ??
      item.alias ??
      (item.expr.kind === 'column' ? item.expr.column : undefined);
    if (name === undefined || columns.has(name.toLowerCase())) return undefined;
    if (containsKind(item.expr, REFUSED_KINDS) || !deterministic(item.expr)) return undefined;
    columns.set(name.toLowerCase(), item.expr);
  }
  if (ref.columnAliases !== undefined && ref.columnAliases.length !== inner.columns.length)
    return undefined;
  const outerAliases = new Set(
    query.columns.flatMap((item) => (item.alias !== undefined ? [item.alias.toLowerCase()] : [])),
  );
  // An outer alias naming a derived column for another value: clauses that look at aliases
  // first (ORDER BY) and those that look at columns first (GROUP BY) would part ways.
  for (const item of query.columns) {
    if (item.alias === undefined || !columns.has(item.alias.toLowerCase())) continue;
    const same =
      item.expr.kind === 'column' && item.expr.column.toLowerCase() === item.alias.toLowerCase();
    if (!same) return undefined;
  }
  const alias = ref.alias.toLowerCase();
  let refused = false;
  const substitute = (expr: Expr, aliasesAllowed: boolean): Expr =>
    mapExpr(expr, (node) => {
      if (node.kind !== 'column') return node;
      const qualified = node.table !== undefined;
      if (node.database !== undefined || (qualified && node.table?.toLowerCase() !== alias)) {
        refused = true;
        return node;
      }
      const found = columns.get(node.column.toLowerCase());
      if (found !== undefined) return found;
      // ORDER BY may name the outer query's own aliases (MySQL looks at them first there).
      if (!qualified && aliasesAllowed && outerAliases.has(node.column.toLowerCase())) return node;
      refused = true;
      return node;
    });
  const items: SelectItem[] = query.columns.map((item) => {
    const expr = substitute(item.expr, false);
    const name = item.alias ?? (item.expr.kind === 'column' ? item.expr.column : undefined);
    if (name === undefined && item.text === undefined) refused = true;
    return {
      expr,
      ...(name !== undefined ? { alias: name } : {}),
      ...(item.text !== undefined ? { text: item.text } : {}),
    };
  });
  const where = andAll([
    ...(inner.where !== undefined ? conjuncts(inner.where) : []),
    ...(query.where !== undefined ? conjuncts(substitute(query.where, false)) : []),
  ]);
  const orderBy: OrderItem[] = query.orderBy.map((item) => ({
    ...item,
    expr: substitute(item.expr, true),
  }));
  const flat: SelectStatement = {
    ...query,
    columns: items,
    from: inner.from,
    ...(where !== undefined ? { where } : {}),
    groupBy: query.groupBy.map((expr) => substitute(expr, false)),
    ...(query.having !== undefined ? { having: substitute(query.having, false) } : {}),
    orderBy,
  };
  return refused ? undefined : flat;
}

/** A SELECT without windows, locks, INTO, options or subqueries in its clauses. */
function plainBlock(block: SelectStatement, whereSubqueries = false): boolean {
  return (
    block.windows.length === 0 &&
    block.lock === undefined &&
    block.into === undefined &&
    (block.options ?? []).length === 0 &&
    !containsKind(
      [block.columns, whereSubqueries ? [] : block.where, block.groupBy, block.having],
      REFUSED_KINDS,
    ) &&
    !containsKind([block.orderBy, block.limit], REFUSED_KINDS) &&
    !(whereSubqueries && containsKind(block.where, REFUSED_IN_WHERE))
  );
}

/** A derived table whose rows are its FROM's rows passing its WHERE, one each. */
function rowPreserving(block: SelectStatement): boolean {
  return (
    !block.distinct &&
    block.groupBy.length === 0 &&
    block.having === undefined &&
    block.limit === undefined &&
    block.orderBy.length === 0 &&
    block.from !== undefined &&
    !hasAggregate(block.columns)
  );
}

function hasAggregate(items: readonly SelectItem[]): boolean {
  let found = false;
  for (const item of items)
    walkExpr(item.expr, (expr) => {
      if (expr.kind === 'call' && AGGREGATES.has(expr.name)) found = true;
      return !found;
    });
  return found;
}

function deterministic(expr: Expr): boolean {
  let ok = true;
  walkExpr(expr, (node) => {
    if (node.kind === 'call' && (VOLATILE.has(node.name) || AGGREGATES.has(node.name))) ok = false;
    return ok;
  });
  return ok;
}
