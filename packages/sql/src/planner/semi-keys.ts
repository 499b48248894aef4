/**
 * Semi-join key reductions. A part of a query that is joined to an outer block on
 * `inner.k = outer.x` (a decorrelated aggregate, the distinct keys of an EXISTS) only
 * contributes rows whose key is one of the `x` values the outer block can produce. When the
 * outer column belongs to a plain table `T` of the outer block's FROM list (an inner join: every
 * outer row is a row of `T` passing the block's conjuncts about `T` alone), the part may be
 * filtered by
 *
 *   inner.k IN (SELECT T.x AS exo_semi_key FROM T WHERE <the outer block's conjuncts on T>)
 *
 * before it runs. Exact: a key outside that set is dropped by the join anyway, and a NULL key
 * matches nothing either way. The marked conjunct (`exo_semi_key`) is redundant by
 * construction, so the aggregator may replace it with a literal IN list of the keys it found
 * (`aggregator/semi-keys.ts`) or drop it when there are too many; planning sees the query
 * without it. Pure.
 */
import type {
  ColumnRefExpr,
  Expr,
  InExpr,
  Query,
  SelectStatement,
  TableRefTable,
} from '../parser/ast.js';
import { walkExpr } from '../parser/index.js';
import { andAll } from './pushdown.js';
import { conjuncts } from './route.js';

export const SEMI_KEY_ALIAS = 'exo_semi_key';

/** The columns of a table the query names, or `undefined` when unknown. */
export type ColumnsOf = (ref: TableRefTable) => readonly string[] | undefined;

/** A marked key reduction: `expr IN (SELECT … AS exo_semi_key …)`. */
export function isSemiKeyConjunct(expr: Expr): expr is InExpr & { readonly query: Query } {
  if (expr.kind !== 'in' || expr.not || expr.query?.kind !== 'select') return false;
  const item = expr.query.columns[0];
  return expr.query.columns.length === 1 && item?.alias === SEMI_KEY_ALIAS;
}

/**
 * The marked conjunct restricting `inner` to the values `outer` takes in `block`, or
 * `undefined` when `outer` is not a column of a plain table of the block's FROM list or the
 * block has no conjunct about that table alone (nothing would be narrowed).
 */
export function semiKeyConjunct(options: {
  readonly block: SelectStatement;
  readonly outer: Expr;
  readonly inner: Expr;
  readonly columnsOf: ColumnsOf;
}): Expr | undefined {
  const { block, outer, columnsOf } = options;
  if (outer.kind !== 'column' || outer.database !== undefined || block.where === undefined)
    return undefined;
  const tables = new Map<string, { ref: TableRefTable; columns: ReadonlySet<string> }>();
  for (const ref of block.from ?? []) {
    if (ref.kind !== 'table') continue;
    const known = columnsOf(ref);
    if (known === undefined) continue;
    const name = (ref.alias ?? ref.name).toLowerCase();
    tables.set(name, { ref, columns: new Set(known.map((column) => column.toLowerCase())) });
  }
  const owner = ownerOf(outer, tables, block);
  if (owner === undefined) return undefined;
  const filters = conjuncts(block.where).filter((conjunct) =>
    aboutOnly(conjunct, owner, tables, columnsOf),
  );
  const where = andAll(filters);
  if (where === undefined) return undefined;
  const keys: SelectStatement = {
    kind: 'select',
    distinct: true,
    columns: [
      { expr: { kind: 'column', table: owner, column: outer.column }, alias: SEMI_KEY_ALIAS },
    ],
    from: [tables.get(owner)?.ref as TableRefTable],
    where,
    groupBy: [],
    withRollup: false,
    windows: [],
    orderBy: [],
  };
  return { kind: 'in', not: false, expr: options.inner, query: keys };
}

type Tables = ReadonlyMap<string, { ref: TableRefTable; columns: ReadonlySet<string> }>;

/**
 * The FROM table (lower-case name or alias) a column of the block belongs to, when it is one
 * of the known plain tables; `undefined` when it could be another item's (a join or derived
 * table of the same FROM list holds unknown columns).
 */
function ownerOf(ref: ColumnRefExpr, tables: Tables, block: SelectStatement): string | undefined {
  if (ref.table !== undefined) {
    const name = ref.table.toLowerCase();
    return tables.get(name)?.columns.has(ref.column.toLowerCase()) === true ? name : undefined;
  }
  if ((block.from ?? []).some((item) => item.kind !== 'table')) return undefined;
  const owners = [...tables.entries()].filter(([, table]) =>
    table.columns.has(ref.column.toLowerCase()),
  );
  const only = owners[0];
  return owners.length === 1 && only !== undefined && tables.size === (block.from ?? []).length
    ? only[0]
    : undefined;
}

/**
 * Whether every column of `expr` belongs to table `owner` of the block; subqueries inside must
 * be self-contained (`isSelfContained`).
 */
function aboutOnly(expr: Expr, owner: string, tables: Tables, columnsOf: ColumnsOf): boolean {
  let only = true;
  let columns = 0;
  walkExpr(expr, (node) => {
    if (!only) return false;
    if (node.kind === 'column') {
      columns += 1;
      if (node.database !== undefined) only = false;
      else if (node.table !== undefined) only = node.table.toLowerCase() === owner;
      else {
        const owners = [...tables.entries()].filter(([, table]) =>
          table.columns.has(node.column.toLowerCase()),
        );
        only = owners.length === 1 && owners[0]?.[0] === owner;
      }
    } else if (node.kind === 'subquery' || node.kind === 'exists' || node.kind === 'quantified')
      only = isSelfContained(node.query, columnsOf);
    else if (node.kind === 'in' && node.query !== undefined)
      only = isSelfContained(node.query, columnsOf);
    else if (node.kind === 'variable' || node.kind === 'assign' || node.kind === 'param')
      only = false;
    return only;
  });
  return only && columns > 0;
}

/**
 * A query that names only columns of the plain tables of its own FROM list, with no nested
 * subquery: it means the same wherever it is placed.
 */
export function isSelfContained(query: Query, columnsOf: ColumnsOf): boolean {
  if (query.kind !== 'select' || query.from === undefined || query.into !== undefined) return false;
  const tables = new Map<string, ReadonlySet<string>>();
  for (const ref of query.from) {
    if (ref.kind !== 'table') return false;
    const known = columnsOf(ref);
    if (known === undefined) return false;
    tables.set(
      (ref.alias ?? ref.name).toLowerCase(),
      new Set(known.map((column) => column.toLowerCase())),
    );
  }
  let contained = true;
  const visit = (expr: Expr): void =>
    walkExpr(expr, (node) => {
      if (!contained) return false;
      if (node.kind === 'column') {
        if (node.database !== undefined) contained = false;
        else if (node.table !== undefined)
          contained = tables.get(node.table.toLowerCase())?.has(node.column.toLowerCase()) === true;
        else
          contained = [...tables.values()].some((columns) =>
            columns.has(node.column.toLowerCase()),
          );
      } else if (
        node.kind === 'subquery' ||
        node.kind === 'exists' ||
        node.kind === 'quantified' ||
        (node.kind === 'in' && node.query !== undefined) ||
        node.kind === 'variable' ||
        node.kind === 'assign' ||
        node.kind === 'param' ||
        node.kind === 'windowCall'
      )
        contained = false;
      return contained;
    });
  for (const item of query.columns) visit(item.expr);
  if (query.where !== undefined) visit(query.where);
  for (const expr of query.groupBy) visit(expr);
  if (query.having !== undefined) visit(query.having);
  return contained && query.orderBy.length === 0 && query.limit === undefined;
}

/**
 * `query` with every marked conjunct (at the top level of any WHERE) replaced by what
 * `replace` returns for it, or dropped when it returns `undefined`. Unchanged nodes are kept.
 */
export function mapSemiKeys(query: Query, replace: (conjunct: Expr) => Expr | undefined): Query {
  return mapNode(query, replace) as Query;
}

function mapNode(node: unknown, replace: (conjunct: Expr) => Expr | undefined): unknown {
  if (node === null || typeof node !== 'object') return node;
  // Leaves hold no conjunct; long literal lists are common (inlined keys).
  const kind = (node as { kind?: unknown }).kind;
  if (kind === 'literal' || kind === 'column' || kind === 'param') return node;
  if (Array.isArray(node)) {
    const items = node.map((item) => mapNode(item, replace));
    return items.some((item, index) => item !== node[index]) ? items : node;
  }
  if (node === null || typeof node !== 'object') return node;
  let changed = false;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    result[key] = mapNode(value, replace);
    if (result[key] !== value) changed = true;
  }
  const base = (changed ? result : node) as { kind?: unknown; where?: Expr };
  if (base.kind !== 'select' || base.where === undefined) return base;
  const parts = conjuncts(base.where);
  if (!parts.some(isSemiKeyConjunct)) return base;
  const kept: Expr[] = [];
  for (const part of parts) {
    if (!isSemiKeyConjunct(part)) kept.push(part);
    else {
      const replaced = replace(part);
      if (replaced !== undefined) kept.push(replaced);
    }
  }
  const where = andAll(kept);
  const { where: _dropped, ...rest } = base as SelectStatement;
  return where === undefined ? rest : { ...rest, where };
}

/** The marked conjuncts of `query`, outermost first. */
export function findSemiKeys(query: Query): Expr[] {
  const found: Expr[] = [];
  mapSemiKeys(query, (conjunct) => {
    found.push(conjunct);
    return conjunct;
  });
  return found;
}
