/**
 * MariaDB (InnoDB) reads a table in primary-key order, so a plain `SELECT … FROM t` without
 * ORDER BY answers its rows in key order, and clients comparing answers come to rely on it.
 * Partitions answer in their own order, so the rewrite makes the order explicit on a query
 * that reads one table with a primary key and has nothing else that orders or merges rows
 * (GROUP BY, aggregates, windows; DISTINCT has its own order: compat-distinct-order.ts). A
 * query whose WHERE fixes the whole key returns at most one row and is left as it is, so point
 * selects cost nothing more.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { ColumnRefExpr, Expr, OrderItem } from '../parser/ast-expr.js';
import type { Query, SelectStatement, TableRef } from '../parser/ast-query.js';
import type { TableDef } from '../catalog/types.js';
import { isAggregateCall } from '../planner/aggregates.js';
import { conjuncts } from '../planner/route.js';
import { singleTable } from '../planner/tables.js';
import type { StatementContext } from './context.js';
import { distinctOrdered } from './compat-distinct-order.js';
import { withImplicitGroupOrder } from './compat-group-order.js';
import { withUnionOrder } from './compat-union-order.js';
import { currentKey, isCurrent, slotFor } from './plan-cache.js';

/**
 * The query with MariaDB's implicit orders made explicit (GROUP BY keys, then primary keys),
 * remembered in the statement's plan slot so a repeated statement keeps its cached plan.
 */
export function withImplicitOrder(context: StatementContext, query: Query): Query {
  const slot = slotFor(context, query);
  const remembered = slot?.implicitOrder;
  if (remembered !== undefined && isCurrent(remembered.key, context)) return remembered.query;
  const ordered = implicitlyOrdered(query, context.services.catalog, context.session.database);
  if (slot !== undefined) slot.implicitOrder = { key: currentKey(context), query: ordered };
  return ordered;
}

function implicitlyOrdered(
  query: Query,
  catalog: Pick<Catalog, 'table'>,
  database: string | undefined,
): Query {
  const partOrder =
    (ctes: ReadonlySet<string>) =>
    (part: SelectStatement): SelectStatement => {
      const ordered = withKeyOrder(withImplicitGroupOrder(part), catalog, database, ctes);
      return ordered.kind === 'select' ? ordered : part;
    };
  if (query.kind === 'setOperation') return withUnionOrder(query, partOrder(NO_CTES));
  if (query.kind === 'with' && query.query.kind === 'setOperation') {
    const ctes = new Set(query.ctes.map((cte) => cte.name.toLowerCase()));
    return { ...query, query: withUnionOrder(query.query, partOrder(ctes)) };
  }
  return withKeyOrder(withImplicitGroupOrder(query), catalog, database);
}

/** The query with InnoDB's implicit primary-key order made explicit, when it applies. */
export function withKeyOrder(
  query: Query,
  catalog: Pick<Catalog, 'table'>,
  database: string | undefined,
  ctes: ReadonlySet<string> = NO_CTES,
): Query {
  if (query.kind !== 'select') return query;
  const distinct = query.distinct && isPlainRead({ ...query, distinct: false });
  if (!distinct && !isPlainRead(query)) return query;
  const keyed = keyedTable(query.from, catalog, database, ctes);
  if (keyed === undefined) return query;
  const { table, name, order } = keyed;
  if (query.where !== undefined && fixesKey(query.where, table.primaryKey, name)) return query;
  if (distinct) return distinctOrdered(query, table, name);
  return { ...query, orderBy: order };
}

export interface KeyedTable {
  readonly table: TableDef;
  /** The table's name in the query block (its alias, when it has one). */
  readonly name: string;
  /** ORDER BY its primary key, InnoDB's clustered order. */
  readonly order: OrderItem[];
}

const NO_CTES: ReadonlySet<string> = new Set();

/**
 * The one table a FROM list reads, when it is a stored table with a primary key (not one of
 * the enclosing WITH's `ctes`, lower case, that shares its name).
 */
export function keyedTable(
  from: readonly TableRef[] | undefined,
  catalog: Pick<Catalog, 'table'>,
  database: string | undefined,
  ctes: ReadonlySet<string> = NO_CTES,
): KeyedTable | undefined {
  const ref = singleTable(from);
  const databaseName = ref?.database ?? database;
  if (ref === undefined || databaseName === undefined) return undefined;
  if (ref.database === undefined && ctes.has(ref.name.toLowerCase())) return undefined;
  const table = catalog.table(databaseName, ref.name);
  if (table === undefined || table.primaryKey.length === 0) return undefined;
  const name = ref.alias ?? ref.name;
  const order: OrderItem[] = table.primaryKey.map((column) => ({
    expr: { kind: 'column', table: name, column },
    desc: false,
  }));
  return { table, name, order };
}

/** No ORDER BY, nor anything that orders or merges rows (grouping, DISTINCT, windows). */
export function isPlainRead(select: SelectStatement): boolean {
  return (
    select.orderBy.length === 0 &&
    select.groupBy.length === 0 &&
    !select.distinct &&
    select.having === undefined &&
    select.windows.length === 0 &&
    !select.columns.some((item) => hasNode(item.expr, isAggregateOrWindow))
  );
}

function isAggregateOrWindow(node: { readonly kind?: unknown }): boolean {
  return node.kind === 'windowCall' || (node.kind === 'call' && isAggregateCall(node as Expr));
}

/**
 * Whether the expression holds a node for which `test` holds, subqueries left out (an aggregate
 * in a scalar subquery does not change the order the outer block reads its table in).
 */
function hasNode(node: unknown, test: (node: { readonly kind?: unknown }) => boolean): boolean {
  if (Array.isArray(node)) return node.some((item) => hasNode(item, test));
  if (node === null || typeof node !== 'object') return false;
  if (test(node)) return true;
  return Object.entries(node).some(
    ([key, value]) =>
      key !== 'query' && value !== null && typeof value === 'object' && hasNode(value, test),
  );
}

/** Whether `where` holds `key column = constant` for every key column (a point read). */
function fixesKey(where: Expr, key: readonly string[], name: string): boolean {
  const fixed = new Set<string>();
  for (const term of conjuncts(where)) {
    if (term.kind !== 'binary' || (term.op !== '=' && term.op !== '<=>')) continue;
    const column = keyColumn(term.left, name) ?? keyColumn(term.right, name);
    const other = keyColumn(term.left, name) === undefined ? term.left : term.right;
    if (column !== undefined && (other.kind === 'literal' || other.kind === 'param'))
      fixed.add(column);
  }
  return key.every((column) => fixed.has(column.toLowerCase()));
}

function keyColumn(expr: Expr, name: string): string | undefined {
  if (expr.kind !== 'column') return undefined;
  const ref: ColumnRefExpr = expr;
  if (ref.table !== undefined && ref.table.toLowerCase() !== name.toLowerCase()) return undefined;
  return ref.column.toLowerCase();
}
