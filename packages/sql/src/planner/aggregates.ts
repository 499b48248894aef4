/**
 * Aggregate calls, and how each splits into a partial aggregate that partitions compute and a
 * final one the aggregator computes from the partials. Pure.
 */
import type { CallExpr, Expr } from '../parser/ast.js';
import { AGGREGATES } from './pushdown.js';

export function isAggregateCall(expr: Expr): expr is CallExpr {
  return expr.kind === 'call' && expr.database === undefined && AGGREGATES.has(expr.name);
}

/**
 * How the aggregator finishes an aggregate from the partition columns named in `inputs`:
 * - count: the sum of partial counts (0 when there are none);
 * - sum, min, max: the same function over the partials;
 * - avg: the sum of partial sums over the sum of partial counts (inputs: sum, count);
 * - countDistinct, sumDistinct, avgDistinct: the function over the distinct values, which the
 *   partitions return as extra grouping keys.
 */
export type FinalKind =
  'count' | 'sum' | 'min' | 'max' | 'avg' | 'countDistinct' | 'sumDistinct' | 'avgDistinct';

export interface FinalAggregate {
  readonly kind: FinalKind;
  /** Partition result columns the final aggregate reads. */
  readonly inputs: readonly string[];
  /** The aggregate as the query wrote it, for its MySQL result type. */
  readonly call: CallExpr;
  /** The aggregator's result column. */
  readonly name: string;
}

/** A partition input: a partial aggregate, or a distinct value to add to the grouping keys. */
export type Input =
  | { readonly kind: 'partial'; readonly expr: CallExpr }
  | { readonly kind: 'distinct'; readonly expr: Expr };

function call(name: string, args: readonly Expr[], star = false): CallExpr {
  return star ? { kind: 'call', name, args: [], star: true } : { kind: 'call', name, args };
}

/**
 * The split of one aggregate call, or `undefined` when its MySQL semantics cannot be combined
 * from per-partition parts (GROUP_CONCAT's order and length, statistics, bit and JSON
 * aggregates, COUNT(DISTINCT a, b)).
 */
export interface Split {
  readonly kind: FinalKind;
  readonly call: CallExpr;
  readonly inputs: readonly Input[];
}

export function splitAggregate(expr: CallExpr): Split | undefined {
  if (expr.orderBy !== undefined || expr.separator !== undefined) return undefined;
  const arg = expr.args[0];
  const distinct = expr.distinct === true;
  switch (expr.name) {
    case 'COUNT':
      if (expr.star === true || expr.args.length === 0)
        return {
          kind: 'count',
          call: expr,
          inputs: [{ kind: 'partial', expr: call('COUNT', [], true) }],
        };
      if (expr.args.length !== 1 || arg === undefined) return undefined;
      return distinct
        ? { kind: 'countDistinct', call: expr, inputs: [{ kind: 'distinct', expr: arg }] }
        : { kind: 'count', call: expr, inputs: [{ kind: 'partial', expr: call('COUNT', [arg]) }] };
    case 'SUM':
    case 'AVG':
      if (expr.args.length !== 1 || arg === undefined) return undefined;
      if (distinct)
        return {
          kind: expr.name === 'SUM' ? 'sumDistinct' : 'avgDistinct',
          call: expr,
          inputs: [{ kind: 'distinct', expr: arg }],
        };
      return expr.name === 'SUM'
        ? { kind: 'sum', call: expr, inputs: [{ kind: 'partial', expr: call('SUM', [arg]) }] }
        : {
            kind: 'avg',
            call: expr,
            inputs: [
              { kind: 'partial', expr: call('SUM', [arg]) },
              { kind: 'partial', expr: call('COUNT', [arg]) },
            ],
          };
    case 'MIN':
    case 'MAX':
      if (expr.args.length !== 1 || arg === undefined) return undefined;
      return {
        kind: expr.name === 'MIN' ? 'min' : 'max',
        call: expr,
        inputs: [{ kind: 'partial', expr: call(expr.name, [arg]) }],
      };
    default:
      return undefined;
  }
}
