/**
 * DELETE … RETURNING (MariaDB, single-table DELETE): the partitions delete with their engine's
 * own `RETURNING` of every table column (DuckDB and SQLite both have it), so each hands back the
 * whole rows it deleted, as stored, in the same statement; the items then run over those rows on
 * the merge engine as INSERT … RETURNING's do (`insert-returning.ts`), translated — and so
 * checked: 1054 in 'RETURNING' — before anything is deleted.
 */
import type { DeleteStatement } from '../parser/ast.js';
import type { TableDef } from '../catalog/types.js';
import type { TranslatedSql } from '../dialect/index.js';
import type { ResultRows } from '../protocol/backend.js';
import type { PartitionTarget } from './cluster.js';
import type { StatementContext } from './context.js';
import { boundReturning, returningRows, translateReturning } from './insert-returning.js';
import { columnMetas } from './query-options.js';
import { inWriteTransaction } from './write-transaction.js';
import { returnedRows, returningAll } from './engine-returning.js';
import { keyedDelete, type ReturnedRows } from './keyed-write.js';
import type { SqlValue } from '../values.js';
import { execOptions } from './exec-options.js';

export async function deleteReturning(
  context: StatementContext,
  statement: DeleteStatement,
  table: TableDef,
  targets: () => readonly PartitionTarget[],
  translated: () => TranslatedSql,
): Promise<ResultRows> {
  const returning = boundReturning(
    context,
    translateReturning(context, table, statement.returning ?? [], 'DELETE'),
  );
  const { sql, params } = translated();
  const bound = params.map((index) => context.params[index] ?? null);
  const where = targets();
  const metas = columnMetas(table);
  const { cluster } = context.services;
  const results = await inWriteTransaction(context, where.length, (transaction) =>
    cluster.exec(
      where,
      table.storage,
      () => ({ sql: sql + returningAll(table), params: bound, columns: metas }),
      execOptions(context, true, transaction),
    ),
  );
  const rows = returnedRows(table, results);
  context.session.rowCount = rows.length;
  return returningRows(context, table, returning, inKeyOrder(table, rows));
}

/**
 * The rows in the order of a numeric primary key, the order MariaDB deletes a table's rows in
 * when nothing else orders them (the partitions' rows arrive partition by partition).
 */
function inKeyOrder(
  table: TableDef,
  rows: readonly (readonly SqlValue[])[],
): readonly (readonly SqlValue[])[] {
  const positions = table.primaryKey.map((name) =>
    table.columns.findIndex((column) => column.name === name),
  );
  const numeric = (value: SqlValue | undefined): value is number | bigint =>
    typeof value === 'number' || typeof value === 'bigint';
  if (positions.length === 0 || !rows.every((row) => positions.every((p) => numeric(row[p]))))
    return rows;
  return [...rows].sort((a, b) => {
    for (const position of positions) {
      const x = a[position] as number | bigint;
      const y = b[position] as number | bigint;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}

/**
 * DELETE … ORDER BY … LIMIT … RETURNING (a queue's pop) and the other deletes that pick their
 * rows first (`keyed-write.ts`): the same engine RETURNING on each keyed delete, the rows in the
 * order they were picked.
 */
export async function pickedDeleteReturning(
  context: StatementContext,
  statement: DeleteStatement,
  table: TableDef,
): Promise<ResultRows> {
  const returning = boundReturning(
    context,
    translateReturning(context, table, statement.returning ?? [], 'DELETE'),
  );
  const returned: ReturnedRows = { rows: [] };
  await keyedDelete(context, statement, returned);
  context.session.rowCount = returned.rows.length;
  return returningRows(context, table, returning, returned.rows);
}
