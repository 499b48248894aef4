/**
 * Columns an aggregated query shows without grouping or aggregating them (allowed without
 * ONLY_FULL_GROUP_BY, MariaDB's default) read the group's first row in primary-key order, as
 * MariaDB reads one table through its clustered index: `SELECT dept, name, COUNT(*) FROM t
 * GROUP BY dept` shows the name of each dept's lowest key. Partitions share no order, so without
 * the key each column's value came from whichever row a partition or the merge engine met first
 * (and two columns could come from different rows). Over one table with a primary key, each such
 * column becomes ANY_VALUE(column ORDER BY key), which DuckDB computes as first(… ORDER BY …);
 * the key's columns then travel with the rows to wherever the group is finished.
 */
import type { Expr, OrderItem, SelectItem, SelectStatement } from '../parser/ast.js';
import { formatExpr, mapExpr, walkExpr } from '../parser/index.js';
import { aggregateNames } from '../dialect/functions/aggregates.js';
import type { TableDef } from '../catalog/types.js';

/** The block with its ungrouped columns of `table` read from the first row by `order`. */
export function firstRowColumns(
  select: SelectStatement,
  table: TableDef,
  name: string,
  order: readonly OrderItem[],
): SelectStatement {
  const columns = new Set(table.columns.map((column) => column.name.toLowerCase()));
  const ownColumn = (expr: Extract<Expr, { kind: 'column' }>): boolean =>
    expr.database === undefined &&
    (expr.table === undefined || expr.table.toLowerCase() === name.toLowerCase()) &&
    columns.has(expr.column.toLowerCase());
  const items = expandStar(select.columns, table, name);
  const aliases = new Set(items.flatMap((item) => (item.alias ? [item.alias.toLowerCase()] : [])));
  const grouped = new Set(
    select.groupBy.map((key) => {
      let expr = key;
      if (key.kind === 'literal' && key.type === 'int')
        expr = items[Number(key.value) - 1]?.expr ?? key;
      else if (key.kind === 'column' && key.table === undefined && !ownColumn(key))
        expr =
          items.find((item) => item.alias?.toLowerCase() === key.column.toLowerCase())?.expr ?? key;
      return formatExpr(expr).toLowerCase();
    }),
  );
  // Grouped columns of the table, however they are written (`a`, `t.a`).
  const groupedColumns = new Set(
    select.groupBy.flatMap((key) =>
      key.kind === 'column' && ownColumn(key) ? [key.column.toLowerCase()] : [],
    ),
  );
  // HAVING may name only columns the list shows (others are 1054: dialect/having-columns.ts).
  const shown = new Set(
    items.flatMap((item) => (item.expr.kind === 'column' ? [item.expr.column.toLowerCase()] : [])),
  );
  let changed = items !== select.columns;
  const wrap = (expr: Expr, clause: 'select' | 'having' | 'order'): Expr => {
    const aliasesFirst = clause !== 'select';
    const exposed = new Set<Expr>();
    walkExpr(expr, (node) => {
      if (node.kind === 'call' && aggregateNames.has(node.name.toUpperCase())) return false;
      if (node.kind === 'windowCall') return false;
      if (grouped.has(formatExpr(node).toLowerCase())) return false;
      if (node.kind !== 'column' || !ownColumn(node)) return true;
      if (groupedColumns.has(node.column.toLowerCase())) return false;
      if (clause === 'having' && !shown.has(node.column.toLowerCase())) return false;
      if (!(aliasesFirst && node.table === undefined && aliases.has(node.column.toLowerCase())))
        exposed.add(node);
      return false;
    });
    if (exposed.size === 0) return expr;
    changed = true;
    return mapExpr(expr, (node) =>
      exposed.has(node)
        ? { kind: 'call', name: 'ANY_VALUE', args: [node], orderBy: order, pos: node.pos ?? 0 }
        : node,
    );
  };
  const wrapped = items.map((item) => {
    const expr = wrap(item.expr, 'select');
    if (expr === item.expr) return item;
    // The column keeps the name it shows (`t.name` is `name`).
    const text = item.expr.kind === 'column' ? item.expr.column : item.text;
    return { ...item, expr, ...(text === undefined ? {} : { text }) };
  });
  const having = select.having === undefined ? undefined : wrap(select.having, 'having');
  const orderBy = select.orderBy.map((item) =>
    item.expr.kind === 'literal' ? item : { ...item, expr: wrap(item.expr, 'order') },
  );
  if (!changed) return select;
  return { ...select, columns: wrapped, ...(having === undefined ? {} : { having }), orderBy };
}

/** `*` and `t.*` as the table's columns, so that each can be read from the first row. */
function expandStar(
  items: readonly SelectItem[],
  table: TableDef,
  name: string,
): readonly SelectItem[] {
  if (!items.some((item) => item.expr.kind === 'star')) return items;
  return items.flatMap((item): SelectItem[] => {
    const star = item.expr;
    if (star.kind !== 'star') return [item];
    if (star.table !== undefined && star.table.toLowerCase() !== name.toLowerCase()) return [item];
    return table.columns.map((column) => ({
      expr: { kind: 'column', table: name, column: column.name, pos: star.pos ?? 0 },
      text: column.name,
    }));
  });
}
