/**
 * The distributed plan of a query whose tables are co-located (`colocation.ts`): what each
 * partition runs, and what the aggregator does with the partitions' rows.
 * - **whole**: one partition holds every row the query reads (a database with one partition,
 *   or only reference tables): the query runs whole there;
 * - **rows**: every partition runs the query (with ORDER BY and LIMIT offset+count when the
 *   query limits); the aggregator concatenates the rows, or merges them again with the query's
 *   DISTINCT, ORDER BY and LIMIT. Aggregating queries take this plan when their GROUP BY holds
 *   the whole shard key of a table never null-extended: each group is then in one partition;
 * - **twoPhase**: other aggregating queries (`two-phase.ts`).
 * Pure.
 */
import type { Expr, Limit, Query, SelectItem, SelectStatement } from '../parser/ast.js';
import { walkExpr } from '../parser/index.js';
import type { SqlValue } from '../values.js';
import { analyzeColocation, type Colocation, type TableLookup } from './colocation.js';
import { blockHasColumn, canonicalKey } from './blocks.js';
import { groupAnchor } from './group-local.js';
import { isAggregateCall } from './aggregates.js';
import { planTwoPhase, type TwoPhasePlan } from './two-phase.js';

export const PARTIAL_TABLE = 'exo_partial';

/**
 * A merge ORDER BY key: a visible result column (1-based) or a hidden one (`exo_o<n>`);
 * `binary` when the query sorts it by its bytes (`COLLATE utf8mb4_bin`), which its value alone,
 * a string, no longer says.
 */
export type MergeKey = (
  | { readonly position: number; readonly desc: boolean; readonly nulls?: 'first' | 'last' }
  | { readonly hidden: string; readonly desc: boolean; readonly nulls?: 'first' | 'last' }
) & { readonly binary?: boolean };

/** A string sorted by its bytes under a binary collation (`BINARY x` is a binary string). */
function sortsBinary(expr: Expr | undefined): boolean {
  return expr?.kind === 'collate' && /_bin$|^binary$/i.test(expr.collation);
}

/**
 * A semi-join's keys repeat across partitions (each customer's orders sit on every partition):
 * their union is up to this many times the distinct keys, which travel to the merge engine or
 * to the leaves as copies. With two partitions, skipping the merge DISTINCT saved TPC-H Q22
 * ~20 ms; with many, the union would outgrow what it saves.
 */
const MEMBERSHIP_PARTITIONS_MAX = 2;

export type Distribution =
  | { readonly kind: 'whole'; readonly colocation: Colocation; readonly query: SelectStatement }
  | {
      readonly kind: 'rows';
      readonly colocation: Colocation;
      /** Its last `hidden.length` result columns exist only to sort the merge. */
      readonly partitionQuery: SelectStatement;
      readonly hidden: readonly string[];
      /** Absent when the rows only need concatenating. */
      readonly merge?: {
        readonly distinct: boolean;
        readonly orderBy: readonly MergeKey[];
        readonly limit?: Limit;
      };
    }
  | ({ readonly kind: 'twoPhase'; readonly colocation: Colocation } & TwoPhasePlan);

export function planDistribution(
  query: Query,
  lookup: TableLookup,
  params: readonly SqlValue[],
): Distribution | undefined {
  if (query.kind !== 'select' || query.from === undefined || query.lock !== undefined)
    return undefined;
  const colocation = analyzeColocation(query, lookup);
  if (colocation === undefined) return undefined;
  if (colocation.partitions === 1 || colocation.sharded.length === 0)
    return { kind: 'whole', colocation, query };
  if (isGrouped(query) && !(groupAnchor(query, colocation) !== undefined && !query.withRollup)) {
    const plan = planTwoPhase(query, colocation.top);
    return plan === undefined ? undefined : { kind: 'twoPhase', colocation, ...plan };
  }
  return planRows(query, colocation, params);
}

function isGrouped(select: SelectStatement): boolean {
  if (select.groupBy.length > 0) return true;
  const exprs: Expr[] = select.columns.map((item) => item.expr);
  if (select.having !== undefined) exprs.push(select.having);
  exprs.push(...select.orderBy.map((item) => item.expr));
  return exprs.some((expr) => {
    let found = false;
    walkExpr(expr, (node) => {
      if (isAggregateCall(node)) found = true;
      return !found;
    });
    return found;
  });
}

function integerOf(expr: Expr | undefined, params: readonly SqlValue[]): number | undefined {
  if (expr === undefined) return 0;
  const value =
    expr.kind === 'literal' && expr.type === 'int'
      ? expr.value
      : expr.kind === 'param'
        ? params[expr.index]
        : undefined;
  const number = typeof value === 'bigint' ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0
    ? number
    : undefined;
}

function planRows(
  select: SelectStatement,
  colocation: Colocation,
  params: readonly SqlValue[],
): Distribution | undefined {
  const hidden: SelectItem[] = [];
  const orderBy: MergeKey[] = [];
  const hasStar = select.columns.some((item) => item.expr.kind === 'star');
  for (const item of select.orderBy) {
    const { expr } = item;
    const positioned =
      expr.kind === 'literal' && expr.type === 'int'
        ? select.columns[Number(expr.value) - 1]?.expr
        : undefined;
    const nulls = {
      ...(item.nulls !== undefined ? { nulls: item.nulls } : {}),
      ...(sortsBinary(expr) || sortsBinary(positioned) ? { binary: true } : {}),
    };
    if (expr.kind === 'literal' && expr.type === 'int') {
      orderBy.push({ position: Number(expr.value), desc: item.desc, ...nulls });
      continue;
    }
    const aliasIndex =
      expr.kind === 'column' &&
      expr.table === undefined &&
      !blockHasColumn(colocation.top, expr.column)
        ? select.columns.findIndex(
            (column) => column.alias?.toLowerCase() === expr.column.toLowerCase(),
          )
        : -1;
    const sameIndex = hasStar
      ? -1
      : select.columns.findIndex(
          (column) =>
            canonicalKey(column.expr, colocation.top) === canonicalKey(expr, colocation.top),
        );
    if (sameIndex >= 0 && aliasIndex < 0) {
      orderBy.push({ position: sameIndex + 1, desc: item.desc, ...nulls });
      continue;
    }
    if (aliasIndex >= 0 && !hasStar) {
      const binary = sortsBinary(select.columns[aliasIndex]?.expr) ? { binary: true } : {};
      orderBy.push({ position: aliasIndex + 1, desc: item.desc, ...nulls, ...binary });
      continue;
    }
    // A hidden sort column changes which rows are distinct.
    if (select.distinct) return undefined;
    const target = aliasIndex >= 0 ? (select.columns[aliasIndex]?.expr ?? expr) : expr;
    const name = `exo_o${hidden.length + 1}`;
    hidden.push({ expr: target, alias: name });
    orderBy.push({ hidden: name, desc: item.desc, ...nulls });
  }
  const count = integerOf(select.limit?.count, params);
  const offset = integerOf(select.limit?.offset, params);
  const pushLimit = select.limit !== undefined && count !== undefined && offset !== undefined;
  const total = (count ?? 0) + (offset ?? 0);
  const { limit: _limit, ...rest } = select;
  void _limit;
  const partitionQuery: SelectStatement = {
    ...rest,
    columns: [...select.columns, ...hidden],
    orderBy: pushLimit ? select.orderBy : [],
    ...(pushLimit
      ? { limit: { count: { kind: 'literal', type: 'int', value: total, raw: String(total) } } }
      : {}),
  };
  // Readers that only test membership can take each partition's distinct rows as they come,
  // while that repeats a row at most MEMBERSHIP_PARTITIONS_MAX times.
  const mergeDistinct =
    select.distinct &&
    !(select.membershipOnly === true && colocation.partitions <= MEMBERSHIP_PARTITIONS_MAX);
  const needsMerge = mergeDistinct || select.orderBy.length > 0 || select.limit !== undefined;
  return {
    kind: 'rows',
    colocation,
    partitionQuery,
    hidden: hidden.map((item) => item.alias ?? ''),
    ...(needsMerge
      ? {
          merge: {
            distinct: mergeDistinct,
            orderBy,
            ...(select.limit !== undefined ? { limit: select.limit } : {}),
          },
        }
      : {}),
  };
}
