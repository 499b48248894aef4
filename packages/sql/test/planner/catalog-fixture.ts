/** A small in-memory catalog for the planner's unit tests (the planner is pure: no I/O). */
import type { ColumnDef, TableDef } from '../../src/catalog/types.js';
import type { TableLookup } from '../../src/planner/colocation.js';

export function column(name: string, type: ColumnDef['type'] = 'int'): ColumnDef {
  return { name, type, mysqlType: type, nullable: true };
}

/** A table in database `db`, its primary key equal to its shard key; columns by name are INT. */
export function table(
  name: string,
  columns: readonly (string | ColumnDef)[],
  shardKey: readonly string[],
  options: { reference?: boolean; storage?: 'column' | 'row' } = {},
): TableDef {
  return {
    database: 'db',
    name,
    storage: options.storage ?? 'column',
    reference: options.reference ?? false,
    columns: columns.map((entry) => (typeof entry === 'string' ? column(entry) : entry)),
    primaryKey: shardKey,
    keys: [],
    shardKey,
    sortKey: [],
    id: 1,
    createdAtMs: 0,
  };
}

/** Looks tables up by lower-case name, in a database of `partitions` partitions. */
export function lookupOf(tables: readonly TableDef[], partitions = 4): TableLookup {
  return {
    table: (ref) => tables.find((candidate) => candidate.name === ref.name.toLowerCase()),
    partitions: () => partitions,
  };
}
