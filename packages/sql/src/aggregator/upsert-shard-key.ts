/**
 * ON DUPLICATE KEY UPDATE runs on the partition that holds the row it meets, so it cannot move
 * a row: a new shard key value would leave the row where another value routes, beyond the
 * reach of its partition's unique keys (two rows of one primary key could follow). Such an
 * upsert is refused (1235) unless the database has one partition; assigning a shard key
 * column itself, VALUES(it) or LAST_INSERT_ID(it) keeps the row's partition and runs.
 */
import type { Assignment, Expr } from '../parser/ast.js';
import type { TableDef } from '../catalog/types.js';
import { sqlError } from '../errors.js';
import type { StatementContext } from './context.js';

export function rejectShardKeyUpsert(
  context: StatementContext,
  table: TableDef,
  assignments: readonly Assignment[],
): void {
  if (table.reference) return;
  const database = context.services.catalog.requireDatabase(table.database);
  if (database.placement.length <= 1) return;
  const shardKey = new Set(table.shardKey.map((name) => name.toLowerCase()));
  for (const { column, value } of assignments) {
    const name = column.column.toLowerCase();
    if (!shardKey.has(name) || keeps(value, name)) continue;
    throw sqlError(
      'NOT_SUPPORTED',
      `ON DUPLICATE KEY UPDATE of the shard key column '${column.column}' is not supported`,
    );
  }
}

/**
 * The column itself, LAST_INSERT_ID(the column), or VALUES(the column): the row met shares a
 * unique key with the inserted row, and every unique key holds the shard key, so the inserted
 * value routes where the stored one does.
 */
function keeps(value: Expr, name: string): boolean {
  if (value.kind === 'column') return value.column.toLowerCase() === name;
  if (value.kind !== 'call' || value.args.length !== 1) return false;
  const call = value.name.toUpperCase();
  return (call === 'LAST_INSERT_ID' || call === 'VALUES') && keeps(value.args[0]!, name);
}
