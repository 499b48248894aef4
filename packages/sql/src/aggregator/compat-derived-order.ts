/**
 * A plain read (no ORDER BY, grouping, DISTINCT, windows or joins) of a view, derived table or
 * CTE comes from MariaDB in the order of what it reads: a grouped one in its GROUP BY order (it
 * is materialized that way), a plain read of one table in that table's primary-key order (it is
 * merged into the outer query, which scans InnoDB's clustered index). Here a derived table's
 * order is not kept, so such a read gets ORDER BY those columns, named as the derived table
 * shows them, when it shows them all. Runs after views are expanded into derived tables
 * (`view-expand.ts`).
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Expr, OrderItem } from '../parser/ast-expr.js';
import type { Query, SelectItem, SelectStatement } from '../parser/ast-query.js';
import { isPlainRead, keyedTable } from './compat-key-order.js';

/** Where a derived table's query reads its tables from. */
interface Tables {
  readonly catalog: Pick<Catalog, 'table'>;
  readonly database: string | undefined;
}

export function withDerivedOrder(query: Query, tables: Tables): Query {
  if (query.kind === 'with') {
    if (query.query.kind !== 'select') return query;
    const outer = query.query;
    const ref = outer.from?.length === 1 ? outer.from[0] : undefined;
    if (ref?.kind !== 'table' || ref.database !== undefined) return query;
    const cte = query.ctes.find((each) => each.name.toLowerCase() === ref.name.toLowerCase());
    if (cte === undefined || query.recursive) return query;
    const ordered = derivedOrdered(outer, cte.query, ref.alias ?? ref.name, cte.columns, tables);
    return ordered === outer ? query : { ...query, query: ordered };
  }
  if (query.kind !== 'select') return query;
  const ref = query.from?.length === 1 ? query.from[0] : undefined;
  if (ref?.kind !== 'derived') return query;
  return derivedOrdered(query, ref.query, ref.alias, ref.columnAliases, tables);
}

/** `outer` ordered as `inner` is read, when every column of that order is shown. */
function derivedOrdered(
  outer: SelectStatement,
  inner: Query,
  name: string,
  renamed: readonly string[] | undefined,
  tables: Tables,
): SelectStatement {
  if (!isPlainRead(outer) || inner.kind !== 'select') return outer;
  if (inner.orderBy.length > 0 || inner.limit !== undefined || inner.withRollup) return outer;
  const keys =
    inner.groupBy.length > 0
      ? inner.groupBy.map((key, index) => ({ key, desc: inner.groupByDesc?.[index] === true }))
      : primaryKey(inner, tables);
  if (keys === undefined) return outer;
  const orderBy: OrderItem[] = [];
  for (const { key, desc } of keys) {
    const shown = shownName(inner.columns, key, renamed);
    if (shown === undefined) return outer;
    orderBy.push({ expr: { kind: 'column', table: name, column: shown }, desc });
  }
  return { ...outer, orderBy };
}

/** The primary key of the one table a plain read reads, as columns in ascending order. */
function primaryKey(
  inner: SelectStatement,
  tables: Tables,
): { key: Expr; desc: boolean }[] | undefined {
  if (!isPlainRead(inner)) return undefined;
  return keyedTable(inner.from, tables.catalog, tables.database)?.order.map((item) => ({
    key: item.expr,
    desc: false,
  }));
}

/** The name the derived table shows `key` under: its item's alias or column, or through `*`. */
function shownName(
  items: readonly SelectItem[],
  key: Expr,
  renamed: readonly string[] | undefined,
): string | undefined {
  const position = shownAt(items, key);
  if (position !== undefined) return renamed?.[position] ?? itemName(items[position]);
  const star = items.some((item) => item.expr.kind === 'star');
  return star && renamed === undefined && key.kind === 'column' ? key.column : undefined;
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
