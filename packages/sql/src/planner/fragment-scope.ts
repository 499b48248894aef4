/**
 * Column resolution through nested query blocks, for rewriting a block's column references:
 * every column reference of a SELECT (its items, FROM conditions, WHERE, GROUP BY, HAVING,
 * ORDER BY, and the subqueries inside them) is resolved the way MySQL resolves it, innermost
 * block first, and may be replaced. Tables come from the catalog; a derived table's columns are
 * its select items' names. Anything whose columns cannot be known (a `*` in a derived table, a
 * CTE name, a WITH inside a subquery, named windows) stops the analysis: `Unresolvable`. Pure.
 */
import type {
  ColumnRefExpr,
  Expr,
  Query,
  SelectStatement,
  TableRef,
  TableRefTable,
} from '../parser/ast.js';
import { exprQuery } from '../parser/index.js';
import { selectItemName } from '../dialect/names.js';
import type { TableDef } from '../catalog/types.js';
import { mapChildren } from './blocks.js';

export class Unresolvable extends Error {}

export function unresolvable(): never {
  throw new Unresolvable('cannot resolve the query block');
}

/** One table (or derived table) a block reads, under the name the block uses for it. */
export interface ScopeTable {
  /** Alias or name, lower case. */
  readonly name: string;
  /** Column names as defined, keyed by their lower-case form. */
  readonly columns: ReadonlyMap<string, string>;
  readonly table?: TableDef;
  readonly ref?: TableRefTable;
}

export type Scope = readonly ScopeTable[];

export interface Resolution {
  /** 0 for the outermost scope given to `mapBlock`, 1 for its subqueries, and so on. */
  readonly level: number;
  readonly table: ScopeTable;
  /** The column's name as its table defines it. */
  readonly column: string;
}

/** Returns the replacement of a column reference; `undefined` keeps it. */
export type ColumnVisitor = (
  ref: ColumnRefExpr,
  resolution: Resolution | undefined,
  aliasable: boolean,
) => Expr | undefined;

export type TableResolver = (ref: TableRefTable) => TableDef | undefined;

/** The tables a FROM list brings into scope. */
export function scopeOf(from: readonly TableRef[] | undefined, tables: TableResolver): Scope {
  const scope: ScopeTable[] = [];
  const visit = (ref: TableRef): void => {
    if (ref.kind === 'join') {
      if (ref.natural === true || ref.using !== undefined) unresolvable();
      visit(ref.left);
      visit(ref.right);
      return;
    }
    if (ref.kind === 'derived') {
      if (ref.query.kind !== 'select' || ref.lateral === true) unresolvable();
      const names = ref.columnAliases ?? ref.query.columns.map((item) => selectItemName(item));
      if (ref.query.columns.some((item) => item.expr.kind === 'star')) unresolvable();
      scope.push({
        name: ref.alias.toLowerCase(),
        columns: new Map(names.map((name) => [name.toLowerCase(), name])),
      });
      return;
    }
    const table = tables(ref);
    if (table === undefined) unresolvable();
    scope.push({
      name: (ref.alias ?? ref.name).toLowerCase(),
      columns: new Map(table.columns.map((column) => [column.name.toLowerCase(), column.name])),
      table,
      ref,
    });
  };
  for (const ref of from ?? []) visit(ref);
  if (new Set(scope.map((entry) => entry.name)).size !== scope.length) unresolvable();
  return scope;
}

/** The table column a reference names, innermost scope first; `undefined` when unknown. */
export function resolveIn(scopes: readonly Scope[], ref: ColumnRefExpr): Resolution | undefined {
  if (ref.database !== undefined) return undefined;
  const wanted = ref.column.toLowerCase();
  for (let level = scopes.length - 1; level >= 0; level -= 1) {
    const found: Resolution[] = [];
    for (const table of scopes[level] ?? []) {
      if (ref.table !== undefined && table.name !== ref.table.toLowerCase()) continue;
      const column = table.columns.get(wanted);
      if (column !== undefined) found.push({ level, table, column });
    }
    if (found.length > 1) return undefined;
    if (found[0] !== undefined) return found[0];
  }
  return undefined;
}

interface Walk {
  readonly visit: ColumnVisitor;
  readonly tables: TableResolver;
}

/**
 * `select` with its column references mapped by `visit`; `scope` is the block's own scope (the
 * outermost). Derived tables of its FROM are not entered (their blocks do not see this one).
 */
export function mapBlock(
  select: SelectStatement,
  scope: Scope,
  tables: TableResolver,
  visit: ColumnVisitor,
): SelectStatement {
  return mapSelect(select, [scope], { visit, tables });
}

function mapSelect(select: SelectStatement, scopes: readonly Scope[], walk: Walk): SelectStatement {
  if (select.windows.length > 0 || select.into !== undefined) unresolvable();
  const map = (expr: Expr, aliasable = false): Expr => mapNode(expr, scopes, walk, aliasable);
  const mapFrom = (ref: TableRef): TableRef => {
    // A derived table of a subquery may name the enclosing blocks' columns; those of the
    // outermost block are separate blocks, planned on their own.
    if (ref.kind === 'derived' && scopes.length > 1)
      return { ...ref, query: mapQuery(ref.query, scopes.slice(0, -1), walk) };
    if (ref.kind !== 'join') return ref;
    return {
      ...ref,
      left: mapFrom(ref.left),
      right: mapFrom(ref.right),
      ...(ref.on !== undefined ? { on: map(ref.on) } : {}),
    };
  };
  const { where, having, ...rest } = select;
  return {
    ...rest,
    columns: select.columns.map((item) => ({ ...item, expr: map(item.expr) })),
    ...(select.from !== undefined ? { from: select.from.map(mapFrom) } : {}),
    ...(where !== undefined ? { where: map(where) } : {}),
    groupBy: select.groupBy.map((expr) => map(expr, true)),
    ...(having !== undefined ? { having: map(having, true) } : {}),
    orderBy: select.orderBy.map((item) => ({ ...item, expr: map(item.expr, true) })),
  };
}

function mapNode(expr: Expr, scopes: readonly Scope[], walk: Walk, aliasable: boolean): Expr {
  if (expr.kind === 'column')
    return walk.visit(expr, resolveIn(scopes, expr), aliasable && scopes.length === 1) ?? expr;
  const mapped = mapChildren(expr, (child) => mapNode(child, scopes, walk, aliasable));
  const inner = exprQuery(expr);
  if (inner === undefined) return mapped;
  return { ...mapped, query: mapQuery(inner, scopes, walk) } as Expr;
}

function mapQuery(query: Query, scopes: readonly Scope[], walk: Walk): Query {
  if (query.kind === 'with') unresolvable();
  if (query.kind === 'setOperation')
    return {
      ...query,
      left: mapQuery(query.left, scopes, walk),
      right: mapQuery(query.right, scopes, walk),
    };
  const scope = scopeOf(query.from, walk.tables);
  return mapSelect(query, [...scopes, scope], walk);
}
