/**
 * How a write finds the rows an aggregator-side query picked: by the columns that identify a
 * row. A primary key (or a unique key of NOT NULL columns) identifies exactly one row; a table
 * without one is matched on all its columns, NULL-safely, where identical copies are
 * indistinguishable (MySQL's own choice among them is arbitrary too).
 */
import type { Expr } from '../parser/ast.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { partitionFor } from '../catalog/shard-hash.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import type { PartitionTarget } from './cluster.js';
import { literalOf } from './query-options.js';

export interface RowIdentity {
  readonly columns: readonly ColumnDef[];
  /** True when the columns identify at most one row (a primary or NOT NULL unique key). */
  readonly unique: boolean;
}

/** Keys per engine statement: bounds statement size and the engines' parameter counts. */
export const KEYS_PER_STATEMENT = 500;

export function rowIdentity(table: TableDef): RowIdentity {
  const byName = (name: string): ColumnDef | undefined =>
    table.columns.find((column) => column.name === name);
  if (table.primaryKey.length > 0) {
    return { columns: table.primaryKey.flatMap((name) => byName(name) ?? []), unique: true };
  }
  for (const key of table.keys) {
    if (!key.unique) continue;
    const columns = key.columns.flatMap((name) => byName(name) ?? []);
    if (columns.length === key.columns.length && columns.every((column) => !column.nullable))
      return { columns, unique: true };
  }
  return { columns: table.columns, unique: false };
}

/** `alias.col = v AND …` for one identity row (`IS NULL` where the value is NULL). */
function rowMatch(
  alias: string,
  identity: RowIdentity,
  values: readonly SqlValue[],
): Expr | undefined {
  let match: Expr | undefined;
  identity.columns.forEach((column, index) => {
    const value = values[index] ?? null;
    const left: Expr = { kind: 'column', table: alias, column: column.name };
    const equal: Expr =
      value === null
        ? { kind: 'isNull', not: false, expr: left }
        : { kind: 'binary', op: '=', left, right: literalOf(value) };
    match = match === undefined ? equal : { kind: 'binary', op: 'AND', left: match, right: equal };
  });
  return match;
}

/** A WHERE that matches exactly the given identity rows. */
export function identityFilter(
  alias: string,
  identity: RowIdentity,
  rows: readonly (readonly SqlValue[])[],
): Expr {
  const only = identity.columns[0];
  if (identity.unique && identity.columns.length === 1 && only !== undefined) {
    return {
      kind: 'in',
      not: false,
      expr: { kind: 'column', table: alias, column: only.name },
      list: rows.map((row) => literalOf(row[0] ?? null)),
    };
  }
  let filter: Expr | undefined;
  for (const row of rows) {
    const match = rowMatch(alias, identity, row);
    if (match === undefined) continue;
    filter =
      filter === undefined ? match : { kind: 'binary', op: 'OR', left: filter, right: match };
  }
  return filter ?? { kind: 'literal', type: 'bool', value: false };
}

/** A WHERE matching one identity row. */
export function identityMatch(
  alias: string,
  identity: RowIdentity,
  row: readonly SqlValue[],
): Expr {
  return rowMatch(alias, identity, row) ?? { kind: 'literal', type: 'bool', value: false };
}

/**
 * The partitions that may hold each identity row: the one its shard key hashes to when the
 * identity contains the shard key, every partition otherwise, and every leaf's copy for a
 * reference table.
 */
export function routeIdentities<T>(
  context: StatementContext,
  table: TableDef,
  identity: RowIdentity,
  rows: readonly T[],
  valuesOf: (row: T) => readonly SqlValue[],
): Map<PartitionTarget, T[]> {
  const { cluster, catalog } = context.services;
  const database = catalog.requireDatabase(table.database);
  const groups = new Map<PartitionTarget, T[]>();
  const add = (target: PartitionTarget, row: T): void => {
    const group = groups.get(target);
    if (group === undefined) groups.set(target, [row]);
    else group.push(row);
  };
  const positions = table.shardKey.map((name) =>
    identity.columns.findIndex((column) => column.name === name),
  );
  const targets = table.reference
    ? cluster.referencePartitions(database)
    : cluster.partitions(database);
  const routable =
    !table.reference && table.shardKey.length > 0 && positions.every((index) => index >= 0);
  const keyColumns = positions.map((index) => identity.columns[index] as ColumnDef);
  for (const row of rows) {
    if (!routable) {
      for (const target of targets) add(target, row);
      continue;
    }
    const values = valuesOf(row);
    const ordinal = partitionFor(
      positions.map((index) => values[index] ?? null),
      keyColumns,
      database.partitions,
    );
    add(targets[ordinal] as PartitionTarget, row);
  }
  return groups;
}

/** Splits a list into chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let index = 0; index < items.length; index += size)
    out.push(items.slice(index, index + size));
  return out;
}
