/**
 * The aggregator's first step of two-phase aggregation: one row per group from the partitions'
 * partial rows (table `exo_partial`), each aggregate finished from its partials so that the
 * value is the one the whole query would compute on the merge engine:
 * - COUNT: the sum of the counts, 0 for a group with no partial counts;
 * - SUM, MIN, MAX: the same function (strings are stored with NOCASE, as MIN/MAX compare them);
 * - AVG over exact numbers: the exact quotient of the summed partial sums by the summed counts,
 *   rounded to MySQL's scale (the one-step AVG's `exactAverageSql`, never through DOUBLE);
 * - COUNT/SUM/AVG(DISTINCT x): the function over the distinct values, which the partitions
 *   return as grouping keys (COUNT(DISTINCT) of strings folds case, as the one-step form does).
 */
import { quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import { exactAverageSql } from '../dialect/functions/aggregates.js';
import { divPrecisionIncrement } from '../dialect/type-rules.js';
import type { FinalAggregate } from '../planner/aggregates.js';
import { PARTIAL_TABLE } from '../planner/distribute.js';
import type { ColumnMeta } from '../values.js';

const STRING_TYPES = new Set(['char', 'varchar', 'text']);
const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'bigint', 'year']);

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
      const scale = exactScale(meta(aggregate.inputs[0] ?? ''));
      if (scale !== undefined)
        return exactAverageSql({ sum: `sum(${first})`, count: `sum(${second})`, scale });
      return `CAST(sum(${first}) AS DOUBLE) / CAST(sum(${second}) AS DOUBLE)`;
    }
    case 'countDistinct': {
      const isString = STRING_TYPES.has(meta(aggregate.inputs[0] ?? '')?.type ?? '');
      return `count(DISTINCT ${isString ? `lower(${first})` : first})`;
    }
    case 'sumDistinct':
      return `sum(DISTINCT ${first})`;
    case 'avgDistinct': {
      const scale = exactScale(meta(aggregate.inputs[0] ?? ''));
      if (scale === undefined) return `avg(DISTINCT ${first})`;
      return exactAverageSql({
        sum: `sum(DISTINCT ${first})`,
        count: `count(DISTINCT ${first})`,
        scale,
      });
    }
  }
}

/** The scale of an exact number column (DECIMAL or integer) whose AVG is exact, else undefined. */
function exactScale(column: ColumnMeta | undefined): number | undefined {
  if (column === undefined) return undefined;
  if (column.type === 'decimal') {
    const scale = column.scale ?? 0;
    return scale + divPrecisionIncrement < 38 ? scale : undefined;
  }
  return INTEGER_TYPES.has(column.type) ? 0 : undefined;
}
