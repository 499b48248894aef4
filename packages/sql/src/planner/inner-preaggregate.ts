/**
 * Eager aggregation of inner joins (TPC-H Q10: `customer, orders, lineitem, nation` grouped by
 * the customer's columns, summing lineitem's). When a block's aggregates read only some of its
 * tables (the aggregated side N), and everything else it shows, groups or orders by reads only
 * the others (the grouping side P), with P and N joined by column equalities, the block
 *
 *   SELECT <P exprs>, SUM(<N expr>) AS s, COUNT(*) AS c FROM p1, …, n1, …
 *   WHERE <P only> AND <N only> AND p.a = n.b GROUP BY <P exprs>
 *
 * becomes
 *
 *   SELECT <P exprs>, CAST(SUM(exo_eager_1.exo_a1) AS DECIMAL(m,d)) AS s,
 *          CAST(COALESCE(SUM(exo_eager_1.exo_a2), 0) AS SIGNED) AS c
 *   FROM p1, …, (SELECT n.b AS exo_k1, SUM(<N expr>) AS exo_a1, COUNT(*) AS exo_a2
 *                FROM n1, … WHERE <N only> GROUP BY n.b) AS exo_eager_1
 *   WHERE <P only> AND p.a = exo_eager_1.exo_k1 GROUP BY <P exprs>
 *
 * The derived table is uncorrelated, so it runs first as a sub-plan aggregated on the
 * partitions (one row per join key) instead of the merge engine gathering every joined row of
 * N. Exact because each P row joined the N rows with its key, and now joins one row standing for
 * them: COUNT is the sum of per-key counts, MIN and MAX of per-key MIN and MAX are the same, and
 * SUM of per-key SUMs is the same for exact types (DECIMAL results: `sumType` says; a DOUBLE
 * sum could round differently and is left alone), cast back to the type the block's SUM had.
 * Rows of N with the same key always meet the same P rows, so grouping them first cannot
 * change which rows meet. N is every table the aggregates read plus the tables joined to them
 * that nothing outside the aggregates reads; each WHERE (and inner ON) conjunct must read P
 * only, N only, or be `p.column = n.column`, and there must be one such equality. HAVING,
 * DISTINCT and windowed blocks, outer joins, DISTINCT aggregates, subqueries and variables
 * anywhere in the block, and blocks `skip` rejects (already co-located) are left alone. Pure.
 */
import type {
  CallExpr,
  ColumnRefExpr,
  Expr,
  OrderItem,
  Query,
  SelectStatement,
  TableRef,
  TableRefTable,
} from '../parser/ast.js';
import { mapExpr, walkExpr } from '../parser/index.js';
import { isAggregateCall } from './aggregates.js';
import {
  FOLDABLE,
  foldedCount,
  hasAggregate,
  isOpaque,
  PREAGGREGATES_MAX,
  rewriteSelects,
} from './preaggregate-common.js';
import { andAll } from './pushdown.js';
import { conjuncts } from './route.js';
import type { ColumnsOf } from './semi-keys.js';

/** Names the derived tables: `exo_eager_1`, … */
export const EAGER_PREFIX = 'exo_eager_';

export interface DecimalType {
  readonly precision: number;
  readonly scale: number;
}

/** The DECIMAL type of a SUM over the block's `tables`, or `undefined` when it is not exact. */
export type SumType = (call: CallExpr, tables: readonly TableRefTable[]) => DecimalType | undefined;

export interface InnerPreaggregateOptions {
  readonly columnsOf: ColumnsOf;
  readonly skip: (block: SelectStatement) => boolean;
  readonly sumType: SumType;
}

/** The query with the inner joins its blocks aggregate on one side pre-aggregated. */
export function preaggregateInnerJoins(query: Query, options: InnerPreaggregateOptions): Query {
  const state = { count: 0, ...options };
  return rewriteSelects(query, (block) =>
    state.count >= PREAGGREGATES_MAX ? undefined : rewriteBlock(block, state),
  ) as Query;
}

interface State extends InnerPreaggregateOptions {
  count: number;
}

interface Table {
  readonly ref: TableRefTable;
  readonly name: string;
  readonly columns: ReadonlySet<string>;
}

/** The block's tables, each with its index; `undefined` when a column is not one table's. */
class Tables {
  constructor(readonly list: readonly Table[]) {}

  of(ref: ColumnRefExpr): number | undefined {
    if (ref.database !== undefined) return undefined;
    const column = ref.column.toLowerCase();
    if (ref.table !== undefined) {
      const name = ref.table.toLowerCase();
      const index = this.list.findIndex((table) => table.name === name);
      return index >= 0 && this.list[index]?.columns.has(column) === true ? index : undefined;
    }
    let found: number | undefined;
    for (const [index, table] of this.list.entries()) {
      if (!table.columns.has(column)) continue;
      if (found !== undefined) return undefined;
      found = index;
    }
    return found;
  }

  /** The tables `expr` reads, or `undefined` when one cannot be told or it is opaque. */
  in(expr: Expr): Set<number> | undefined {
    const found = new Set<number>();
    let ok = true;
    walkExpr(expr, (node) => {
      if (!ok) return false;
      if (isOpaque(node)) ok = false;
      else if (node.kind === 'column') {
        const index = this.of(node);
        if (index === undefined) ok = false;
        else found.add(index);
      }
      return ok;
    });
    return ok ? found : undefined;
  }
}

/** Plain tables of comma lists and inner joins, with the ON conjuncts; else `undefined`. */
function flatten(refs: readonly TableRef[]): { tables: TableRefTable[]; on: Expr[] } | undefined {
  const tables: TableRefTable[] = [];
  const on: Expr[] = [];
  const visit = (ref: TableRef): boolean => {
    if (ref.kind === 'table') {
      tables.push(ref);
      return true;
    }
    if (ref.kind !== 'join' || ref.natural === true || ref.using !== undefined) return false;
    if (ref.type !== 'inner' && ref.type !== 'cross') return false;
    if (ref.on !== undefined) on.push(...conjuncts(ref.on));
    return visit(ref.left) && visit(ref.right);
  };
  return refs.every(visit) ? { tables, on } : undefined;
}

function rewriteBlock(select: SelectStatement, state: State): SelectStatement | undefined {
  if (select.from === undefined || select.groupBy.length === 0) return undefined;
  if (select.having !== undefined || select.windows.length > 0) return undefined;
  if (select.withRollup || select.distinct) return undefined;
  if (select.lock !== undefined || select.into !== undefined) return undefined;
  const flat = flatten(select.from);
  if (flat === undefined || flat.tables.length < 2) return undefined;
  const list: Table[] = [];
  for (const ref of flat.tables) {
    const known = state.columnsOf(ref);
    if (known === undefined) return undefined;
    const name = (ref.alias ?? ref.name).toLowerCase();
    if (list.some((table) => table.name === name)) return undefined;
    list.push({ ref, name, columns: new Set(known.map((column) => column.toLowerCase())) });
  }
  const tables = new Tables(list);
  const shown = new Set<number>();
  const aggregated = new Set<number>();
  const aggregateSide = (expr: Expr): boolean => {
    let ok = true;
    const outside = mapExpr(expr, (node) => {
      if (!isAggregateCall(node)) return node;
      if (!foldable(node)) ok = false;
      else
        for (const arg of node.args) {
          const read = tables.in(arg);
          if (read === undefined || read.size === 0) ok = false;
          else for (const index of read) aggregated.add(index);
        }
      return { kind: 'literal', type: 'int', value: 0, raw: '0' };
    });
    const read = ok ? tables.in(outside) : undefined;
    if (read === undefined) return false;
    for (const index of read) shown.add(index);
    return true;
  };
  for (const item of select.columns) {
    if (item.expr.kind === 'star' || !aggregateSide(item.expr)) return undefined;
    // The result column keeps its name only through an alias or its source text.
    if (hasAggregate(item.expr) && item.alias === undefined && item.text === undefined)
      return undefined;
  }
  const aliases = new Set(
    select.columns.flatMap((item) => (item.alias !== undefined ? [item.alias.toLowerCase()] : [])),
  );
  for (const item of select.orderBy)
    if (!orderable(item, aliases, tables, aggregateSide)) return undefined;
  for (const expr of select.groupBy) {
    const read = tables.in(expr);
    if (read === undefined || hasAggregate(expr)) return undefined;
    for (const index of read) shown.add(index);
  }
  if (aggregated.size === 0) return undefined;
  for (const index of aggregated) if (shown.has(index)) return undefined;
  const all = [...(select.where !== undefined ? conjuncts(select.where) : []), ...flat.on];
  const reads: Set<number>[] = [];
  for (const conjunct of all) {
    const read = tables.in(conjunct);
    if (read === undefined || hasAggregate(conjunct)) return undefined;
    reads.push(read);
  }
  const side = aggregatedSide(list.length, shown, aggregated, reads);
  if (side === undefined) return undefined;
  const inner: Expr[] = [];
  const outer: Expr[] = [];
  const keys: { p: ColumnRefExpr; n: ColumnRefExpr }[] = [];
  for (const [index, conjunct] of all.entries()) {
    const read = [...(reads[index] ?? [])];
    const inN = read.filter((table) => side.has(table)).length;
    if (read.length > 0 && inN === read.length) inner.push(conjunct);
    else if (inN === 0) outer.push(conjunct);
    else {
      const pair = keyPair(conjunct, tables, side);
      if (pair === undefined) return undefined;
      keys.push(pair);
    }
  }
  if (keys.length === 0 || state.skip(select)) return undefined;
  // Every SUM must be exact, and keeps the type it had.
  const sumType = (call: CallExpr): DecimalType | undefined => state.sumType(call, flat.tables);
  let exact = true;
  const checkSums = (expr: Expr): void =>
    walkExpr(expr, (node) => {
      if (isAggregateCall(node) && node.name === 'SUM' && sumType(node) === undefined)
        exact = false;
      return exact;
    });
  for (const item of select.columns) checkSums(item.expr);
  for (const item of select.orderBy) checkSums(item.expr);
  if (!exact) return undefined;
  state.count += 1;
  return rewritten(select, { list, side, inner, outer, keys, sumType }, state.count);
}

function foldable(call: CallExpr): boolean {
  if (call.distinct === true || call.orderBy !== undefined) return false;
  if (call.star === true) return call.name === 'COUNT';
  return call.args.length === 1 && (FOLDABLE.has(call.name) || call.name === 'SUM');
}

/** ORDER BY a result position, a result alias no table column shadows, or block expressions. */
function orderable(
  item: OrderItem,
  aliases: ReadonlySet<string>,
  tables: Tables,
  aggregateSide: (expr: Expr) => boolean,
): boolean {
  const { expr } = item;
  if (expr.kind === 'literal' && expr.type === 'int') return true;
  if (
    expr.kind === 'column' &&
    expr.table === undefined &&
    aliases.has(expr.column.toLowerCase()) &&
    !tables.list.some((table) => table.columns.has(expr.column.toLowerCase()))
  )
    return true;
  return aggregateSide(expr);
}

/**
 * The tables of N: those the aggregates read, and every table joined to them (through
 * conjuncts over tables outside the shown ones) that nothing shown reads; `undefined` when N
 * would hold a shown table or leave P empty.
 */
function aggregatedSide(
  count: number,
  shown: ReadonlySet<number>,
  aggregated: ReadonlySet<number>,
  reads: readonly ReadonlySet<number>[],
): Set<number> | undefined {
  const side = new Set(aggregated);
  let grew = true;
  while (grew) {
    grew = false;
    for (const read of reads) {
      if (![...read].some((table) => side.has(table))) continue;
      if ([...read].some((table) => shown.has(table))) continue;
      for (const table of read)
        if (!side.has(table)) {
          side.add(table);
          grew = true;
        }
    }
  }
  return side.size < count ? side : undefined;
}

/** `p.a = n.b` (either order), both plain columns, one on each side. */
function keyPair(
  conjunct: Expr,
  tables: Tables,
  side: ReadonlySet<number>,
): { p: ColumnRefExpr; n: ColumnRefExpr } | undefined {
  if (conjunct.kind !== 'binary' || conjunct.op !== '=') return undefined;
  const { left, right } = conjunct;
  if (left.kind !== 'column' || right.kind !== 'column') return undefined;
  const leftTable = tables.of(left);
  const rightTable = tables.of(right);
  if (leftTable === undefined || rightTable === undefined) return undefined;
  const leftN = side.has(leftTable);
  if (leftN === side.has(rightTable)) return undefined;
  return leftN ? { p: right, n: left } : { p: left, n: right };
}

interface Split {
  readonly list: readonly Table[];
  readonly side: ReadonlySet<number>;
  readonly inner: readonly Expr[];
  readonly outer: readonly Expr[];
  readonly keys: readonly { readonly p: ColumnRefExpr; readonly n: ColumnRefExpr }[];
  readonly sumType: (call: CallExpr) => DecimalType | undefined;
}

function rewritten(select: SelectStatement, split: Split, count: number): SelectStatement {
  const name = `${EAGER_PREFIX}${count}`;
  const column = (alias: string): Expr => ({ kind: 'column', table: name, column: alias });
  const folds: { call: CallExpr; alias: string }[] = [];
  const fold = (expr: Expr): Expr =>
    mapExpr(expr, (node) => {
      if (!isAggregateCall(node)) return node;
      const alias = `exo_a${folds.length + 1}`;
      folds.push({ call: node, alias });
      if (node.name === 'COUNT') return foldedCount(column(alias));
      const folded: CallExpr = { kind: 'call', name: node.name, args: [column(alias)] };
      const sum = node.name === 'SUM' ? split.sumType(node) : undefined;
      if (sum === undefined) return folded;
      return {
        kind: 'cast',
        type: { name: 'DECIMAL', precision: sum.precision, scale: sum.scale },
        expr: folded,
      };
    });
  const columns = select.columns.map((item) => ({ ...item, expr: fold(item.expr) }));
  const orderBy = select.orderBy.map((item) => ({ ...item, expr: fold(item.expr) }));
  const innerWhere = andAll(split.inner);
  const grouped: SelectStatement = {
    kind: 'select',
    distinct: false,
    columns: [
      ...split.keys.map((key, index) => ({ expr: key.n, alias: `exo_k${index + 1}` })),
      ...folds.map((entry) => ({ expr: entry.call, alias: entry.alias })),
    ],
    from: split.list.filter((_, index) => split.side.has(index)).map((table) => table.ref),
    ...(innerWhere !== undefined ? { where: innerWhere } : {}),
    groupBy: split.keys.map((key) => key.n),
    withRollup: false,
    windows: [],
    orderBy: [],
  };
  const joins: Expr[] = split.keys.map((key, index) => ({
    kind: 'binary',
    op: '=',
    left: key.p,
    right: column(`exo_k${index + 1}`),
  }));
  const where = andAll([...split.outer, ...joins]);
  const { where: _where, ...rest } = select;
  return {
    ...rest,
    columns,
    orderBy,
    from: [
      ...split.list.filter((_, index) => !split.side.has(index)).map((table) => table.ref),
      { kind: 'derived', alias: name, query: grouped },
    ],
    ...(where !== undefined ? { where } : {}),
  };
}
