/**
 * Which partition each complete row of an INSERT goes to: the hash of its shard key, every
 * leaf's copy for a reference table, round-robin for a keyless table.
 */
import { partitionFor } from '../catalog/shard-hash.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import type { PartitionTarget } from './cluster.js';

let roundRobin = 0;

/** Groups complete rows by the partition they belong to. */
export function routeRows(
  context: StatementContext,
  table: TableDef,
  rows: readonly SqlValue[][],
): Map<PartitionTarget, SqlValue[][]> {
  const { cluster, catalog } = context.services;
  const database = catalog.requireDatabase(table.database);
  const groups = new Map<PartitionTarget, SqlValue[][]>();
  if (table.reference) {
    for (const target of cluster.referencePartitions(database)) groups.set(target, [...rows]);
    return groups;
  }
  const targets = cluster.partitions(database);
  const keyIndexes = table.shardKey.map((name) =>
    table.columns.findIndex((column) => column.name === name),
  );
  const keyColumns = keyIndexes.map((index) => table.columns[index] as ColumnDef);
  // One array for every row's key values: routing allocates nothing per row.
  const key = new Array<SqlValue>(keyIndexes.length);
  const byOrdinal = new Array<SqlValue[][] | undefined>(targets.length);
  for (const row of rows) {
    let ordinal: number;
    if (keyIndexes.length === 0) {
      roundRobin = (roundRobin + 1) % targets.length;
      ordinal = roundRobin;
    } else {
      for (let part = 0; part < keyIndexes.length; part++)
        key[part] = row[keyIndexes[part] as number] ?? null;
      ordinal = partitionFor(key, keyColumns, database.partitions);
    }
    let group = byOrdinal[ordinal];
    if (group === undefined) {
      group = [];
      byOrdinal[ordinal] = group;
      groups.set(targets[ordinal] as PartitionTarget, group);
    }
    group.push(row);
  }
  return groups;
}
