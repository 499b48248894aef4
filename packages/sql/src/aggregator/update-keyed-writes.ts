/**
 * The partition writes of a keyed UPDATE (`keyed-update.ts`): each write is the UPDATE of the
 * rows whose values change, optionally preceded by the count of the rows it matches (and of the
 * rows each value check warns for). All go out in one `exec`, so a leaf runs a partition's
 * count before its update, in the statement's transaction.
 */
import type { TranslatedSql } from '../dialect/index.js';
import type { TableDef } from '../catalog/types.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import type { PartitionTarget } from './cluster.js';
import { execOptions } from './exec-options.js';

export interface CountedWrite {
  readonly target: PartitionTarget;
  /** `SELECT COUNT(*), SUM(<check>)… FROM t WHERE <rows>`, when the counts are needed. */
  readonly matched?: TranslatedSql;
  /** `UPDATE t SET … WHERE <rows> AND <a value changes>`. */
  readonly update: TranslatedSql;
}

export interface WriteCounts {
  /** Rows the counting statements matched. */
  readonly found: number;
  /** Rows the updates changed. */
  readonly changed: number;
  /** Per value check, the matched rows it warns for. */
  readonly checked: readonly number[];
}

interface Statement {
  readonly target: PartitionTarget;
  readonly sql: TranslatedSql;
  readonly counting: boolean;
}

export async function runCountedWrites(
  context: StatementContext,
  storage: TableDef['storage'],
  writes: readonly CountedWrite[],
): Promise<WriteCounts> {
  const statements: Statement[] = writes.flatMap((write) => [
    ...(write.matched !== undefined
      ? [{ target: write.target, sql: write.matched, counting: true }]
      : []),
    { target: write.target, sql: write.update, counting: false },
  ]);
  if (statements.length === 0) return { found: 0, changed: 0, checked: [] };
  const bind = (indexes: readonly number[]): SqlValue[] =>
    indexes.map((index) => context.params[index] ?? null);
  let next = 0;
  const results = await context.services.cluster.exec(
    statements.map((statement) => statement.target),
    storage,
    () => {
      const statement = statements[next] as Statement;
      next += 1;
      return { sql: statement.sql.sql, params: bind(statement.sql.params) };
    },
    execOptions(context, true, context.transaction),
  );
  let found = 0;
  let changed = 0;
  const checked: number[] = [];
  results.forEach((result, index) => {
    if (statements[index]?.counting !== true) {
      changed += result.affectedRows;
      return;
    }
    const row = result.rows[0] ?? [];
    found += Number(row[0] ?? 0);
    for (let column = 1; column < row.length; column++)
      checked[column - 1] = (checked[column - 1] ?? 0) + Number(row[column] ?? 0);
  });
  return { found, changed, checked };
}
