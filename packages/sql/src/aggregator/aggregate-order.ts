/**
 * Aggregates over one table read its rows in primary-key order, as MariaDB does. GROUP_CONCAT,
 * JSON_ARRAYAGG and JSON_OBJECTAGG without ORDER BY (and without DISTINCT, which
 * orders by value) list their rows in the order MariaDB reads them: over one table that is
 * primary-key order (InnoDB's clustered index; a secondary index lists equal keys in
 * primary-key order too). Partitions have no common order, so such a call in a query block
 * over one table with a primary key gets ORDER BY that key, and answers what MariaDB answers.
 * Columns shown without being grouped read the group's first row in that order (first-row.ts).
 * Over joins the order MariaDB reads rows in depends on its join order, and is left as the
 * partitions give it.
 */
import type { CallExpr, Expr, SelectStatement } from '../parser/ast.js';
import { mapExpr, walkExpr } from '../parser/index.js';
import { isAggregatedSelect } from '../dialect/ungrouped.js';
import { keyedTable } from './compat-key-order.js';
import type { StatementContext } from './context.js';
import { firstRowColumns } from './first-row.js';
import { onlyFullGroupBy } from './full-group-by.js';

const ORDERED_AGGREGATES: ReadonlySet<string> = new Set([
  'GROUP_CONCAT',
  'JSON_ARRAYAGG',
  'JSON_OBJECTAGG',
]);

/** `node` with the calls above ordered by their table's key; `node` itself when none is. */
export function orderAggregatesByKey<T>(context: StatementContext, node: T): T {
  return visit(context, node, new Set()) as T;
}

function visit(context: StatementContext, node: unknown, ctes: ReadonlySet<string>): unknown {
  if (node === null || typeof node !== 'object' || ArrayBuffer.isView(node)) return node;
  if (Array.isArray(node)) {
    let changed = false;
    const items = node.map((item: unknown) => {
      const next = visit(context, item, ctes);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? items : node;
  }
  const record = node as Record<string, unknown>;
  let scope = ctes;
  if (record['kind'] === 'with') {
    const names = new Set(ctes);
    for (const cte of record['ctes'] as readonly { name: string }[])
      names.add(cte.name.toLowerCase());
    scope = names;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (value === null || typeof value !== 'object') continue;
    const next = visit(context, value, scope);
    if (next !== value) {
      copy ??= { ...record };
      copy[key] = next;
    }
  }
  const result = copy ?? record;
  return result['kind'] === 'select'
    ? keyOrdered(context, result as unknown as SelectStatement, scope)
    : result;
}

function unordered(expr: Expr): expr is CallExpr {
  return (
    expr.kind === 'call' &&
    ORDERED_AGGREGATES.has(expr.name) &&
    expr.distinct !== true &&
    (expr.orderBy === undefined || expr.orderBy.length === 0)
  );
}

function keyOrdered(
  context: StatementContext,
  select: SelectStatement,
  ctes: ReadonlySet<string>,
): SelectStatement {
  const expressions = [
    ...select.columns.map((item) => item.expr),
    ...(select.having === undefined ? [] : [select.having]),
    ...select.orderBy.map((item) => item.expr),
  ];
  let found = false;
  for (const expr of expressions)
    walkExpr(expr, (child) => {
      if (unordered(child)) found = true;
    });
  // Ungrouped columns read the first row (first-row.ts); ONLY_FULL_GROUP_BY allows only
  // columns the grouping determines, whose rows all agree.
  const ungrouped = isAggregatedSelect(select) && !onlyFullGroupBy(context);
  if (!found && !ungrouped) return select;
  const keyed = keyedTable(select.from, context.services.catalog, context.session.database, ctes);
  if (keyed === undefined) return select;
  const { order } = keyed;
  const first = ungrouped ? firstRowColumns(select, keyed.table, keyed.name, order) : select;
  if (!found) return first;
  const rewrite = (expr: Expr): Expr =>
    mapExpr(expr, (child) => (unordered(child) ? { ...child, orderBy: order } : child));
  return {
    ...first,
    columns: first.columns.map((item) => ({ ...item, expr: rewrite(item.expr) })),
    ...(first.having === undefined ? {} : { having: rewrite(first.having) }),
    orderBy: first.orderBy.map((item) => ({ ...item, expr: rewrite(item.expr) })),
  };
}
