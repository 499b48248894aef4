/**
 * MariaDB materializes a grouped view, derived table or CTE in its GROUP BY order, and a plain
 * read of it (`SELECT * FROM sales_by_region`: no ORDER BY, grouping, DISTINCT, windows or
 * joins) returns the rows in that order. Here a derived table's order is not kept, so such a
 * read gets ORDER BY the grouped columns, named as the derived table shows them. Runs after
 * views are expanded into derived tables (`view-expand.ts`).
 */
import type { Expr, OrderItem } from '../parser/ast-expr.js';
import type { Query, SelectItem, SelectStatement } from '../parser/ast-query.js';
import { isPlainRead } from './compat-key-order.js';

export function withDerivedGroupOrder(query: Query): Query {
  if (query.kind === 'with') {
    if (query.query.kind !== 'select') return query;
    const outer = query.query;
    const ref = outer.from?.length === 1 ? outer.from[0] : undefined;
    if (ref?.kind !== 'table' || ref.database !== undefined) return query;
    const cte = query.ctes.find((each) => each.name.toLowerCase() === ref.name.toLowerCase());
    if (cte === undefined || query.recursive) return query;
    const ordered = groupOrdered(outer, cte.query, ref.alias ?? ref.name, cte.columns);
    return ordered === outer ? query : { ...query, query: ordered };
  }
  if (query.kind !== 'select') return query;
  const ref = query.from?.length === 1 ? query.from[0] : undefined;
  if (ref?.kind !== 'derived') return query;
  return groupOrdered(query, ref.query, ref.alias, ref.columnAliases);
}

/** `outer` ordered by the grouped columns of `inner`, when every one of them is shown. */
function groupOrdered(
  outer: SelectStatement,
  inner: Query,
  name: string,
  renamed: readonly string[] | undefined,
): SelectStatement {
  if (!isPlainRead(outer)) return outer;
  if (inner.kind !== 'select' || inner.groupBy.length === 0 || inner.withRollup) return outer;
  if (inner.orderBy.length > 0 || inner.limit !== undefined) return outer;
  const orderBy: OrderItem[] = [];
  for (const [index, key] of inner.groupBy.entries()) {
    const position = shownAt(inner.columns, key);
    const shown =
      position === undefined
        ? undefined
        : (renamed?.[position] ?? itemName(inner.columns[position]));
    if (shown === undefined) return outer;
    orderBy.push({
      expr: { kind: 'column', table: name, column: shown },
      desc: inner.groupByDesc?.[index] === true,
    });
  }
  return { ...outer, orderBy };
}

/** The position of the select item a GROUP BY key names: by position, alias or column. */
function shownAt(items: readonly SelectItem[], key: Expr): number | undefined {
  if (key.kind === 'literal' && key.type === 'int') {
    const index = Number(key.value) - 1;
    return items[index] === undefined ? undefined : index;
  }
  if (key.kind !== 'column') return undefined;
  const name = key.column.toLowerCase();
  const index = items.findIndex(
    (item) =>
      (item.expr.kind === 'column' && item.expr.column.toLowerCase() === name) ||
      (key.table === undefined && item.alias?.toLowerCase() === name),
  );
  return index < 0 ? undefined : index;
}

function itemName(item: SelectItem | undefined): string | undefined {
  if (item === undefined) return undefined;
  if (item.alias !== undefined) return item.alias;
  return item.expr.kind === 'column' ? item.expr.column : undefined;
}
