/**
 * MariaDB answers `SELECT DISTINCT … FROM t` without ORDER BY in the order it reads the table,
 * each value where it first appears: in an index's order when the items are its leading
 * columns (`SELECT DISTINCT cat` with KEY (cat) comes sorted) or when it holds every column the
 * query reads (an index-only scan) or the WHERE fixes its first column (a lookup), else in
 * primary-key order (a full scan of InnoDB's clustered index). Partitions share no
 * order, so over one keyed table the DISTINCT becomes a GROUP BY of its items ordered by where
 * each group first appears (MIN of that order's columns). A WHERE on an indexed column may make
 * MariaDB scan that index's range instead, depending on its statistics: such a query, and one
 * with subqueries, is left in the engines' order.
 */
import type { KeyDef, TableDef } from '../catalog/types.js';
import type { Expr, OrderItem } from '../parser/ast-expr.js';
import type { SelectStatement } from '../parser/ast-query.js';
import { walkExpr } from '../parser/index.js';
import { conjuncts } from '../planner/route.js';
import { hasSubquery } from '../planner/tables.js';

/** `select` (DISTINCT, otherwise a plain read of `table` named `name`) in MariaDB's order. */
export function distinctOrdered(
  select: SelectStatement,
  table: TableDef,
  name: string,
): SelectStatement {
  const key = table.primaryKey;
  const asColumn = (column: string): Expr => ({ kind: 'column', table: name, column });
  if (select.columns.some((item) => item.expr.kind === 'star')) {
    // Every column, the key among them: each row is distinct, in key order.
    return { ...select, orderBy: key.map((column) => ({ expr: asColumn(column), desc: false })) };
  }
  const parts = [
    ...select.columns.map((item) => item.expr),
    ...(select.where ? [select.where] : []),
  ];
  if (parts.some((part) => hasSubquery(part))) return select;
  const read = new Set<string>();
  for (const part of parts) for (const column of columnsOf(part, name)) read.add(column);
  const keyColumns = new Set(key.map((column) => column.toLowerCase()));
  const covering = table.keys.find((index) =>
    [...read].every(
      (column) =>
        keyColumns.has(column) || index.columns.some((each) => each.toLowerCase() === column),
    ),
  );
  const prefix = indexPrefix(
    table,
    select.columns.map((item) => item.expr),
    name,
  );
  const looked = select.where === undefined ? undefined : lookedUp(table, select.where, name);
  let order: readonly string[] = key;
  if (prefix !== undefined) order = prefix;
  else if (covering !== undefined) order = [...covering.columns, ...key];
  else if (looked !== undefined) order = [...looked.columns, ...key];
  else if (select.where !== undefined && indexed(table, columnsOf(select.where, name)))
    return select;
  const orderBy: OrderItem[] = order.map((column) => ({
    expr: { kind: 'call', name: 'MIN', args: [asColumn(column)] },
    desc: false,
  }));
  return { ...select, distinct: false, groupBy: select.columns.map((item) => item.expr), orderBy };
}

/** The table's columns an expression reads, in lower case. */
function columnsOf(expr: Expr, name: string): string[] {
  const columns: string[] = [];
  walkExpr(expr, (node) => {
    if (
      node.kind === 'column' &&
      (node.table === undefined || node.table.toLowerCase() === name.toLowerCase())
    )
      columns.push(node.column.toLowerCase());
  });
  return columns;
}

/**
 * The index whose leading columns are exactly the items (plain columns, in any order): MariaDB
 * reads DISTINCT of them off that index, whatever the WHERE says.
 */
function indexPrefix(
  table: TableDef,
  items: readonly Expr[],
  name: string,
): readonly string[] | undefined {
  const columns = new Set<string>();
  for (const item of items) {
    if (item.kind !== 'column' || columnsOf(item, name).length !== 1) return undefined;
    columns.add(item.column.toLowerCase());
  }
  const indexes = [table.primaryKey, ...table.keys.map((index) => index.columns)];
  const leading = (index: readonly string[]): readonly string[] => index.slice(0, columns.size);
  return indexes
    .map(leading)
    .find(
      (lead) =>
        lead.length === columns.size && lead.every((column) => columns.has(column.toLowerCase())),
    );
}

/**
 * The index MariaDB looks rows up in when the WHERE holds `column = constant` on its first
 * column (a `ref` read, in the index's order).
 */
function lookedUp(table: TableDef, where: Expr, name: string): KeyDef | undefined {
  const fixed = new Set<string>();
  for (const term of conjuncts(where)) {
    if (term.kind !== 'binary' || term.op !== '=') continue;
    const [column, other] =
      term.left.kind === 'column' ? [term.left, term.right] : [term.right, term.left];
    if (column.kind !== 'column' || (other.kind !== 'literal' && other.kind !== 'param')) continue;
    if (columnsOf(column, name).length === 1) fixed.add(column.column.toLowerCase());
  }
  return table.keys.find((index) => fixed.has(index.columns[0]?.toLowerCase() ?? ''));
}

function indexed(table: TableDef, columns: readonly string[]): boolean {
  return table.keys.some((index) =>
    index.columns.some((column) => columns.includes(column.toLowerCase())),
  );
}
