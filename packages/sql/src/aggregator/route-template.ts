/**
 * Routing a cached single-partition plan by its parameters without walking the WHERE clause
 * again. A template records, for each shard-key column, which parameter (or literal) gives its
 * value; it is made only for a WHERE that is an AND of plain `column = ?` / `column = literal`
 * equalities, where the first equality on a column decides, exactly as `planner/route.ts`
 * does. Any other WHERE has no template, and the cached plan routes with `routePartitions`.
 */
import type { Expr } from '../parser/ast.js';
import { partitionFor } from '../catalog/shard-hash.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { conjuncts, storedKey } from '../planner/route.js';
import type { SqlValue } from '../values.js';

type KeySource =
  | { readonly kind: 'param'; readonly index: number }
  | { readonly kind: 'value'; readonly value: SqlValue };

export interface RouteTemplate {
  readonly columns: readonly ColumnDef[];
  readonly sources: readonly KeySource[];
}

/** The template for `where` on `table` (named `name` in the query), when it has the plain form. */
export function routeTemplate(
  table: TableDef,
  name: string,
  where: Expr | undefined,
): RouteTemplate | undefined {
  if (where === undefined || table.shardKey.length === 0) return undefined;
  const columns: ColumnDef[] = [];
  for (const key of table.shardKey) {
    const column = table.columns.find((candidate) => candidate.name === key);
    if (column === undefined) return undefined;
    columns.push(column);
  }
  const sources: (KeySource | undefined)[] = columns.map(() => undefined);
  for (const conjunct of conjuncts(where)) {
    const equality = plainEquality(conjunct, name);
    if (equality === undefined) return undefined;
    const position = columns.findIndex(
      (column) => column.name.toLowerCase() === equality.column.toLowerCase(),
    );
    if (position >= 0 && sources[position] === undefined) sources[position] = equality.source;
  }
  if (sources.some((source) => source === undefined)) return undefined;
  return { columns, sources: sources as KeySource[] };
}

function plainEquality(
  expr: Expr,
  name: string,
): { column: string; source: KeySource } | undefined {
  if (expr.kind !== 'binary' || expr.op !== '=') return undefined;
  const [columnSide, valueSide] =
    expr.left.kind === 'column' ? [expr.left, expr.right] : [expr.right, expr.left];
  if (columnSide.kind !== 'column') return undefined;
  if (columnSide.table !== undefined && columnSide.table.toLowerCase() !== name.toLowerCase())
    return undefined;
  if (valueSide.kind === 'param')
    return { column: columnSide.column, source: { kind: 'param', index: valueSide.index } };
  if (valueSide.kind === 'literal' && (valueSide.type === 'int' || valueSide.type === 'string'))
    return {
      column: columnSide.column,
      source: { kind: 'value', value: valueSide.value as SqlValue },
    };
  return undefined;
}

/**
 * The partition ordinal the parameters route to; undefined when no single partition can be
 * named (a NULL key matches no row, a value that does not convert is compared by the engine).
 */
export function routeByTemplate(
  template: RouteTemplate,
  params: readonly SqlValue[],
  partitions: number,
  zoneMinutes = 0,
): number | undefined {
  const values: SqlValue[] = [];
  for (const [position, source] of template.sources.entries()) {
    const given = source.kind === 'param' ? params[source.index] : source.value;
    if (given === undefined || given === null) return undefined;
    let value: SqlValue;
    try {
      value = storedKey(given, template.columns[position] as ColumnDef, zoneMinutes);
    } catch {
      return undefined;
    }
    if (value === null) return undefined;
    values.push(value);
  }
  return partitionFor(values, template.columns, partitions);
}
