/**
 * What a gather plan can ask partitions to do before rows travel: return only the columns the
 * query mentions, and only the rows that pass the WHERE conjuncts about that table alone.
 *
 * Columns: every column name mentioned anywhere in the query (any qualifier, any subquery)
 * is kept — a superset, so correlated subqueries and unqualified names stay correct. A `*`
 * anywhere keeps every column.
 *
 * Filters: only from the outermost SELECT, only when its FROM list is tables joined by inner
 * or cross joins (a conjunct about the null-extended side of an outer join must not move
 * below the join), and only conjuncts whose every column belongs to that one table and that
 * contain no subquery, aggregate or window function. Pure.
 */
import type { Expr, Query, TableRef, TableRefTable } from '../parser/ast.js';
import { walkExpr } from '../parser/index.js';
import { conjuncts } from './route.js';
import { containsKind } from './tables.js';

/** Column names mentioned in the query, lower case; `undefined` means "every column" (a `*`). */
export function mentionedColumns(query: Query): Set<string> | undefined {
  const names = new Set<string>();
  let star = false;
  const visit = (node: unknown): void => {
    if (star) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as { kind?: unknown; column?: unknown };
    if (record.kind === 'star') {
      star = true;
      return;
    }
    if (record.kind === 'column' && typeof record.column === 'string')
      names.add(record.column.toLowerCase());
    // USING (a, b) and NATURAL joins name columns outside column nodes.
    const using = (node as { using?: unknown }).using;
    if (Array.isArray(using))
      for (const name of using) if (typeof name === 'string') names.add(name.toLowerCase());
    if ((node as { natural?: unknown }).natural === true) star = true;
    for (const value of Object.values(node))
      if (value !== null && typeof value === 'object') visit(value);
  };
  visit(query);
  return star ? undefined : names;
}

const NOT_PUSHABLE: ReadonlySet<string> = new Set([
  'subquery',
  'exists',
  'quantified',
  'windowCall',
  'variable',
  'assign',
  'default',
]);
/** MySQL's aggregate functions (upper case). */
export const AGGREGATES: ReadonlySet<string> = new Set([
  'COUNT',
  'SUM',
  'AVG',
  'MIN',
  'MAX',
  'GROUP_CONCAT',
  'STD',
  'STDDEV',
  'STDDEV_POP',
  'STDDEV_SAMP',
  'VARIANCE',
  'VAR_POP',
  'VAR_SAMP',
  'BIT_AND',
  'BIT_OR',
  'BIT_XOR',
  'ANY_VALUE',
  'JSON_ARRAYAGG',
  'JSON_OBJECTAGG',
]);

/** A FROM item of an inner region: a table, or a derived table with known column names. */
export type InnerItem =
  | { readonly kind: 'table'; readonly ref: TableRefTable }
  | { readonly kind: 'derived'; readonly name: string; readonly columns: readonly string[] };

/**
 * The items of a FROM list made of tables and named derived tables joined by inner or cross
 * joins only, or `undefined` when it has an outer or NATURAL join or an unnamed derived table.
 */
export function innerTables(from: readonly TableRef[]): InnerItem[] | undefined {
  const items: InnerItem[] = [];
  const visit = (ref: TableRef): boolean => {
    if (ref.kind === 'table') {
      items.push({ kind: 'table', ref });
      return true;
    }
    if (ref.kind === 'derived') {
      // Its columns must be known, or an unqualified name could be one of them.
      const columns = derivedColumns(ref);
      if (columns === undefined) return false;
      items.push({ kind: 'derived', name: ref.alias, columns });
      return true;
    }
    if (
      ref.natural === true ||
      (ref.type !== 'inner' && ref.type !== 'cross' && ref.type !== 'straight')
    )
      return false;
    return visit(ref.left) && visit(ref.right);
  };
  return from.every(visit) ? items : undefined;
}

/** The column names of a derived table, when its select list names them all. */
function derivedColumns(ref: Extract<TableRef, { kind: 'derived' }>): string[] | undefined {
  if (ref.columnAliases !== undefined) return [...ref.columnAliases];
  if (ref.query.kind !== 'select') return undefined;
  const names: string[] = [];
  for (const item of ref.query.columns) {
    if (item.alias !== undefined) names.push(item.alias);
    else if (item.expr.kind === 'column') names.push(item.expr.column);
    else return undefined;
  }
  return names;
}

/**
 * The WHERE conjuncts of the outermost SELECT that filter one table alone, keyed by the name
 * the query uses for the table (alias or name, lower case).
 */
export function singleTableFilters(
  query: Query,
  columnsOf: (ref: TableRefTable) => readonly string[] | undefined,
): Map<string, Expr[]> {
  const filters = new Map<string, Expr[]>();
  if (query.kind !== 'select' || query.where === undefined || query.from === undefined)
    return filters;
  const items = innerTables(query.from);
  if (items === undefined) return filters;
  const names = items.map((item) =>
    (item.kind === 'table' ? (item.ref.alias ?? item.ref.name) : item.name).toLowerCase(),
  );
  if (new Set(names).size !== names.length) return filters;
  const columns = items.map(
    (item) =>
      new Set(
        (item.kind === 'table' ? (columnsOf(item.ref) ?? []) : item.columns).map((name) =>
          name.toLowerCase(),
        ),
      ),
  );
  for (const conjunct of conjuncts(query.where)) {
    if (containsKind(conjunct, NOT_PUSHABLE)) continue;
    let owner: number | undefined;
    let pushable = true;
    walkExpr(conjunct, (expr) => {
      if (!pushable) return false;
      if (expr.kind === 'call' && AGGREGATES.has(expr.name)) pushable = false;
      // `x IN (SELECT ...)` reads other tables.
      if (expr.kind === 'in' && expr.query !== undefined) pushable = false;
      if (expr.kind !== 'column') return undefined;
      let index: number;
      if (expr.table !== undefined) index = names.indexOf(expr.table.toLowerCase());
      else {
        const matches = columns.flatMap((set, position) =>
          set.has(expr.column.toLowerCase()) ? [position] : [],
        );
        index = matches.length === 1 ? (matches[0] ?? -1) : -1;
      }
      if (index < 0 || (owner !== undefined && owner !== index)) pushable = false;
      else owner = index;
      return undefined;
    });
    // Conjuncts about a derived table stay where they are.
    if (!pushable || owner === undefined || items[owner]?.kind !== 'table') continue;
    const key = names[owner] ?? '';
    filters.set(key, [...(filters.get(key) ?? []), conjunct]);
  }
  return filters;
}

/** `a AND b AND c` from a list of conjuncts. */
export function andAll(exprs: readonly Expr[]): Expr | undefined {
  let result: Expr | undefined;
  for (const expr of exprs)
    result = result === undefined ? expr : { kind: 'binary', op: 'AND', left: result, right: expr };
  return result;
}
