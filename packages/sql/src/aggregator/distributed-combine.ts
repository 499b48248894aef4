/**
 * The aggregator's first step of two-phase aggregation: one row per group from the partitions'
 * partial rows (table `exo_partial`), each aggregate finished from its partials so that the
 * value is the one the whole query would compute on the merge engine:
 * - COUNT: the sum of the counts, 0 for a group with no partial counts;
 * - SUM, MIN, MAX: the same function (strings are stored with NOCASE, as MIN/MAX compare them);
 * - AVG over exact numbers: DuckDB averages a DECIMAL as its unscaled integer sum divided by
 *   count × 10^scale, in floating point; the same division of the summed partials gives the same
 *   double, which the final query rounds to MySQL's scale like the one-step AVG;
 * - COUNT/SUM/AVG(DISTINCT x): the function over the distinct values, which the partitions
 *   return as grouping keys (COUNT(DISTINCT) of strings folds case, as the one-step form does).
 */
import { quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import type { FinalAggregate } from '../planner/aggregates.js';
import { PARTIAL_TABLE } from '../planner/distribute.js';
import type { ColumnMeta } from '../values.js';

const STRING_TYPES = new Set(['char', 'varchar', 'text']);

export interface CombineInput {
  readonly keyNames: readonly string[];
  readonly aggregates: readonly FinalAggregate[];
  /** The partition result columns, by name. */
  readonly partialColumns: readonly ColumnMeta[];
}

export function combineSql(input: CombineInput): string {
  const q = quoteEngineIdentifier;
  const meta = (name: string): ColumnMeta | undefined =>
    input.partialColumns.find((column) => column.name === name);
  const items = input.keyNames.map((name) => q(name));
  for (const aggregate of input.aggregates) {
    items.push(`${finalExpr(aggregate, meta)} AS ${q(aggregate.name)}`);
  }
  const groupBy =
    input.keyNames.length > 0
      ? ` GROUP BY ${input.keyNames.map((name) => q(name)).join(', ')}`
      : '';
  return `SELECT ${items.join(', ')} FROM ${q(PARTIAL_TABLE)}${groupBy}`;
}

function finalExpr(
  aggregate: FinalAggregate,
  meta: (name: string) => ColumnMeta | undefined,
): string {
  const [first, second] = aggregate.inputs.map((name) => quoteEngineIdentifier(name));
  if (first === undefined) throw new Error(`aggregate ${aggregate.name} has no input`);
  switch (aggregate.kind) {
    case 'count':
      return `CAST(coalesce(sum(${first}), 0) AS BIGINT)`;
    case 'sum':
      return `sum(${first})`;
    case 'min':
      return `min(${first})`;
    case 'max':
      return `max(${first})`;
    case 'avg': {
      if (second === undefined) throw new Error(`AVG ${aggregate.name} needs a count`);
      const sumMeta = meta(aggregate.inputs[0] ?? '');
      if (sumMeta?.type === 'decimal') {
        const factor = `1${'0'.repeat(sumMeta.scale ?? 0)}`;
        return `CAST(CAST(sum(${first}) * ${factor} AS HUGEINT) AS DOUBLE) / CAST(sum(${second}) * ${factor} AS DOUBLE)`;
      }
      return `CAST(sum(${first}) AS DOUBLE) / CAST(sum(${second}) AS DOUBLE)`;
    }
    case 'countDistinct': {
      const isString = STRING_TYPES.has(meta(aggregate.inputs[0] ?? '')?.type ?? '');
      return `count(DISTINCT ${isString ? `lower(${first})` : first})`;
    }
    case 'sumDistinct':
      return `sum(DISTINCT ${first})`;
    case 'avgDistinct':
      return `avg(DISTINCT ${first})`;
  }
}
