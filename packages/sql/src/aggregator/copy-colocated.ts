/**
 * Semi-join reductions made on the partitions themselves (`copy-reduction.ts`). When the
 * reduced table `T` and the filtered source `U` are sharded alike on the columns the reduction
 * joins (each table's one-column shard key, integers, one database, hence one partitioning),
 * every `U` row whose key equals a `T` row's sits in the same partition. Each partition can then
 * keep its own `T` rows with
 *
 *   EXISTS (SELECT 1 FROM U WHERE U.b = T.a AND <U's conjuncts>)
 *
 * instead of the key list: no key query, no literal list planned and probed (TPC-H Q9: the
 * 10,844 green part keys cost a DISTINCT over part, a count with the list and its translation
 * in every plan, ~200 ms). The copy's count and export run the same filter.
 */
import type { Expr, Query } from '../parser/ast.js';
import type { TableDef } from '../catalog/types.js';
import { andAll } from '../planner/pushdown.js';
import type { CopyReduction } from '../planner/copy-reduction.js';

const INTEGER_TYPES: ReadonlySet<string> = new Set(['tinyint', 'smallint', 'int', 'bigint']);

/** Counters for tests: reductions made on the partitions. */
export const colocatedReductions = { made: 0 };

/** Whether `reduction` can run on the partitions (see the file comment). */
export function colocatedReduction(target: TableDef, reduction: CopyReduction): boolean {
  const source = reduction.source.table;
  // Equal values hash alike only within one type family: both keys are integers.
  const keyed = (table: TableDef, column: string): boolean =>
    !table.reference &&
    table.storage === 'column' &&
    table.shardKey.length === 1 &&
    table.shardKey[0]?.toLowerCase() === column.toLowerCase() &&
    table.columns.some(
      (def) => def.name.toLowerCase() === column.toLowerCase() && INTEGER_TYPES.has(def.type),
    );
  return (
    target.database === source.database &&
    keyed(target, reduction.column) &&
    keyed(source, reduction.source.column)
  );
}

/** The EXISTS conjunct restricting `alias` (the target's name in the filter) on each partition. */
export function colocatedConjunct(reduction: CopyReduction, alias: string): Expr {
  const { source } = reduction;
  const link: Expr = {
    kind: 'binary',
    op: '=',
    left: { kind: 'column', table: source.alias, column: source.column },
    right: { kind: 'column', table: alias, column: reduction.column },
  };
  const where = andAll([link, ...source.filters]);
  const query: Query = {
    kind: 'select',
    distinct: false,
    columns: [{ expr: { kind: 'literal', type: 'int', value: 1, raw: '1' } }],
    from: [{ ...source.ref, alias: source.alias }],
    ...(where !== undefined ? { where } : {}),
    groupBy: [],
    withRollup: false,
    windows: [],
    orderBy: [],
  };
  return { kind: 'exists', query };
}
