/**
 * Groups that stay in one partition, and derived tables made of such groups.
 *
 * A GROUP BY that holds the whole shard key of a sharded table never null-extended keeps each
 * group in one partition: the table's rows of one key value sit in one partition, and the
 * co-located tables joined to it share that partition. A derived table that is co-located by
 * itself and grouped that way (`SELECT c_custkey, count(*) AS n FROM … GROUP BY c_custkey`) is
 * then partition-local: each partition computes exactly its own groups, and the derived table
 * is the union of those. An enclosing query reads it as a sharded table (`localDerivedTable`):
 * sharded by the output columns that carry the shard key, when they all do, else by no key
 * (alone among sharded tables; its rows then combine as any partition's rows do). Not local:
 * WITH ROLLUP (super-aggregate rows), LIMIT, DISTINCT (equal rows of groups on two partitions
 * would both stay) and an ungrouped aggregate; and, not to lose the order of an enclosing
 * `SELECT * FROM (… ORDER BY …)`, which MySQL does not promise but clients count on, ORDER BY.
 * Pure.
 */
import type { SelectStatement } from '../parser/ast.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import type { ColumnMeta } from '../values.js';
import { resolveColumn, type BlockTable } from './blocks.js';
import type { Colocation } from './colocation.js';

/** The sharded table of a partition-local derived table, and its columns as the engine types them. */
export interface LocalDerived {
  readonly table: TableDef;
  readonly metas: readonly ColumnMeta[];
}

/** The anchor whose whole shard key the GROUP BY holds, if any. */
export function groupAnchor(
  select: SelectStatement,
  colocation: Colocation,
): BlockTable | undefined {
  const grouped = new Set<string>();
  for (const expr of select.groupBy) {
    if (expr.kind !== 'column') continue;
    const owner = resolveColumn(colocation.top, expr);
    if (owner !== undefined && owner.depth === 0)
      grouped.add(`${owner.use.id}.${owner.column.toLowerCase()}`);
  }
  return colocation.anchors.find(
    (anchor) =>
      anchor.table.shardKey.length > 0 &&
      anchor.table.shardKey.every((name) => grouped.has(`${anchor.id}.${name.toLowerCase()}`)),
  );
}

/**
 * The derived table `alias` (query `select`, co-located as `inner`, result columns `metas`)
 * as a sharded table, or `undefined` when its rows are not partition-local.
 */
export function localDerivedTable(
  select: SelectStatement,
  inner: Colocation,
  alias: string,
  metas: readonly ColumnMeta[],
): LocalDerived | undefined {
  if (inner.sharded.length === 0 || select.groupBy.length === 0) return undefined;
  if (select.withRollup || select.limit !== undefined || select.distinct) return undefined;
  // Rows concatenated from the partitions lose an order the derived table asked for.
  if (select.orderBy.length > 0) return undefined;
  const anchor = groupAnchor(select, inner);
  if (anchor === undefined) return undefined;
  const names = metas.map((meta) => meta.name.toLowerCase());
  if (new Set(names).size !== names.length) return undefined;
  // The output column that is the anchor's key column itself, for each key column in order.
  const keyColumns = new Map<number, ColumnDef>();
  const shardKey: string[] = [];
  const starred = select.columns.some((item) => item.expr.kind === 'star');
  for (const name of starred ? [] : anchor.table.shardKey) {
    const index = select.columns.findIndex((item) => {
      if (item.expr.kind !== 'column') return false;
      const owner = resolveColumn(inner.top, item.expr);
      return (
        owner !== undefined &&
        owner.depth === 0 &&
        owner.use === anchor &&
        owner.column.toLowerCase() === name.toLowerCase()
      );
    });
    const column = anchor.table.columns.find((candidate) => candidate.name === name);
    const meta = metas[index];
    if (meta === undefined || column === undefined) break;
    keyColumns.set(index, column);
    shardKey.push(meta.name);
  }
  const keyed = shardKey.length === anchor.table.shardKey.length;
  const columns: ColumnDef[] = metas.map((meta, index) => {
    const key = keyed ? keyColumns.get(index) : undefined;
    if (key !== undefined) return { ...key, name: meta.name };
    return {
      name: meta.name,
      type: meta.type,
      mysqlType: meta.type,
      nullable: meta.nullable ?? true,
    };
  });
  return {
    table: {
      database: inner.database,
      name: alias,
      storage: 'column',
      reference: false,
      columns,
      primaryKey: [],
      keys: [],
      shardKey: keyed ? shardKey : [],
      sortKey: [],
      id: -1,
      createdAtMs: 0,
    },
    metas,
  };
}
