/**
 * UPDATE of a shard key column (a primary key is one when no SHARD KEY is named). A row whose
 * shard key changes may belong to another partition, so the statement moves rows instead of
 * updating them in place, inside one transaction: a query picks the rows the WHERE (and ORDER
 * BY/LIMIT) selects with their new values, the old rows are deleted by their identity, and the
 * new rows are inserted, routed by their new keys. The insert checks what an INSERT checks:
 * a key that collides with another row is 1062 and the statement changes nothing; values that
 * do not fit are refused (strict mode) or adjusted as INSERT adjusts them.
 *
 * Every row is moved before any is inserted, so `SET id = id + 1` over consecutive ids succeeds
 * where MySQL, updating row by row in an unlucky order, may stop at a transient duplicate.
 */
import type { Expr, SelectItem, UpdateStatement } from '../parser/ast.js';
import type { TableDef } from '../catalog/types.js';
import { sqlError } from '../errors.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { executeQuery } from './select.js';
import { insertRows } from './insert.js';
import { deleteStatement } from './update-delete.js';
import { chunks, identityFilter, KEYS_PER_STATEMENT, rowIdentity } from './row-identity.js';
import { stampedAssignments } from './compat-on-update.js';
import { inWriteTransaction } from './write-transaction.js';
import { holdsZeroDates, isZeroDateValue } from '../zero-date.js';

export interface ShardKeyUpdate {
  readonly matched: number;
  readonly changed: number;
}

/** True when the statement assigns a shard key column of `table`. */
export function assignsShardKey(table: TableDef, statement: UpdateStatement): boolean {
  const shard = new Set(table.shardKey.map((name) => name.toLowerCase()));
  return statement.set.some((assignment) => shard.has(assignment.column.column.toLowerCase()));
}

export async function updateShardKey(
  context: StatementContext,
  statement: UpdateStatement,
  table: TableDef,
  alias: string,
): Promise<ShardKeyUpdate> {
  const width = table.columns.length;
  const indexOf = (name: string): number =>
    table.columns.findIndex((column) => column.name.toLowerCase() === name.toLowerCase());
  const assigned = statement.set.map((assignment) => {
    const index = indexOf(assignment.column.column);
    if (index < 0)
      throw sqlError('BAD_FIELD', `Unknown column '${assignment.column.column}' in 'field list'`);
    return index;
  });
  const stamps = stampedAssignments(table, statement.set);
  const stamped = stamps.map((assignment) => indexOf(assignment.column.column));
  const item = (expr: Expr): SelectItem => ({ expr });
  // Old values, then the assigned values, then the ON UPDATE stamps (applied to changed rows).
  const columns: SelectItem[] = [
    ...table.columns.map((column) => item({ kind: 'column', table: alias, column: column.name })),
    ...statement.set.map((assignment) => item(assignment.value)),
    ...stamps.map((assignment) => item(assignment.value)),
  ];
  // Two or more parts: the moves need a transaction even when they stay on one partition.
  return inWriteTransaction(context, 2, async (transaction) => {
    const scoped: StatementContext =
      transaction === undefined ? context : { ...context, transaction };
    const picked = await executeQuery(scoped, {
      kind: 'select',
      distinct: false,
      columns,
      from: statement.tables,
      ...(statement.where !== undefined ? { where: statement.where } : {}),
      groupBy: [],
      withRollup: false,
      windows: [],
      orderBy: statement.orderBy,
      ...(statement.limit !== undefined ? { limit: statement.limit } : {}),
    });
    const moved: SqlValue[][] = [];
    const old: SqlValue[][] = [];
    let changed = 0;
    for (const row of picked.rows) {
      const before = row.slice(0, width);
      const after = [...before];
      assigned.forEach((index, position) => {
        after[index] = row[width + position] ?? null;
      });
      if (after.some((value, index) => !sameValue(value, before[index] ?? null))) {
        changed += 1;
        stamped.forEach((index, position) => {
          after[index] = row[width + assigned.length + position] ?? null;
        });
      }
      old.push(before);
      moved.push(after);
    }
    const identity = rowIdentity(table);
    const positions = identity.columns.map((column) => indexOf(column.name));
    const keys = old.map((row) => positions.map((index) => row[index] ?? null));
    for (const batch of chunks(keys, KEYS_PER_STATEMENT)) {
      await deleteStatement(scoped, {
        kind: 'delete',
        ignore: false,
        from: [{ kind: 'table', name: table.name, database: table.database }],
        where: identityFilter(table.name, identity, batch),
        orderBy: [],
      });
    }
    if (moved.length > 0) {
      // A zero date a row already holds moves with it; one assigned is checked as INSERT's.
      const dated = assigned.filter((index) => holdsZeroDates(table.columns[index]?.type ?? ''));
      const assignsZeroDate = moved.some((row) =>
        dated.some((index) => isZeroDateValue(row[index] ?? null)),
      );
      await insertRows(
        scoped,
        table,
        table.columns.map((column) => column.name),
        moved,
        'error',
        [],
        moved.length > 1,
        !assignsZeroDate,
      );
    }
    return { matched: moved.length, changed };
  });
}

function sameValue(left: SqlValue, right: SqlValue): boolean {
  if (left === null || right === null) return left === right;
  if (left instanceof Uint8Array && right instanceof Uint8Array)
    return Buffer.from(left).equals(Buffer.from(right));
  return String(left) === String(right);
}
