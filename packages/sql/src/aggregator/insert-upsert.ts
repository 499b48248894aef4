/**
 * INSERT … ON DUPLICATE KEY UPDATE: one engine upsert per row on its partition
 * (`upsert-row.ts`), counted as MySQL counts it, inside one transaction when the rows reach
 * several partitions.
 */
import type { InsertStatement } from '../parser/ast.js';
import type { TableDef } from '../catalog/types.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { inWriteTransaction } from './write-transaction.js';
import { upsertRow } from './upsert-row.js';
import { unsignedOf, settingAssignments } from './last-insert-id.js';
import { mergeKeys, upsertStatement } from './upsert-statement.js';
import { explainDuplicate } from './duplicate-keys.js';
import type { InsertOutcome } from './insert.js';
import { withExpressionDefaults } from './expression-defaults.js';
import { completeRows } from './insert-complete.js';
import { routeRows } from './insert-route.js';
import { DUCK_ZERO, holdsZeroDates, ZERO_DATE } from '../zero-date.js';
import { matchedRowWarnings } from './compat-update-values.js';
import { failedAfter } from './warnings-statement.js';

/** The key an upsert meets a stored row on: the primary key, else the first unique key. */
export function upsertKey(table: TableDef): readonly string[] {
  return table.primaryKey.length > 0
    ? table.primaryKey
    : (table.keys.find((key) => key.unique)?.columns ?? []);
}

/**
 * A row as the upsert binds it: a columnstore DATE or DATETIME holds the zero date (which
 * IGNORE or a lenient sql_mode can store) as DuckDB's '-infinity' (zero-date.ts).
 */
function engineRow(table: TableDef, row: readonly SqlValue[]): readonly SqlValue[] {
  if (table.storage !== 'column') return row;
  let bound: SqlValue[] | undefined;
  table.columns.forEach((column, index) => {
    const value = row[index];
    if (holdsZeroDates(column.type) && typeof value === 'string' && value.startsWith(ZERO_DATE)) {
      bound ??= [...row];
      bound[index] = DUCK_ZERO;
    }
  });
  return bound ?? row;
}

/** One engine upsert per row on its partition; the table has a key (`upsertKey`). */
export async function upsertRows(
  context: StatementContext,
  table: TableDef,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
  statement: InsertStatement,
  defaults: readonly (readonly boolean[])[],
  several: boolean,
): Promise<InsertOutcome> {
  const keyColumns = upsertKey(table);
  // IGNORE makes values that do not fit warnings here too (MariaDB).
  const filled = await withExpressionDefaults(context, table, { columns, rows, defaults });
  const completed = completeRows(
    context,
    table,
    filled.columns,
    filled.rows,
    filled.defaults,
    statement.ignore === true,
    several,
  );
  const groups = routeRows(context, table, completed.rows);
  const { sql, params, rowWarnings } = upsertStatement(context, statement, table, keyColumns);
  const keys = mergeKeys(table)?.keys ?? [keyColumns];
  const extra = params.map((index) => context.params[index] ?? null);
  // RETURNING: each row as the upsert left it, by the completed row it came from.
  const left = new Map<readonly SqlValue[], readonly SqlValue[]>();
  const { setting } = settingAssignments(statement.onDuplicateKeyUpdate ?? []);
  const settingIndex = table.columns.findIndex(
    (column) => column.name.toLowerCase() === setting?.toLowerCase(),
  );
  const returned =
    statement.returning === undefined && settingIndex < 0
      ? undefined
      : (row: readonly SqlValue[]) => (now: readonly SqlValue[]) => left.set(row, now);
  const auto = table.columns.findIndex((column) => column.autoIncrement === true);
  // How each row went (1 inserted, 2 changed, 0 left as it was), for the ids below.
  const outcomes = new Map<readonly SqlValue[], number>();
  const upserted = inWriteTransaction(context, completed.rows.length, async (transaction) => {
    let found = 0;
    let changed = 0;
    let duplicates = 0;
    let updated = 0;
    for (const [target, group] of groups) {
      for (const row of group) {
        const params = [...engineRow(table, row), ...extra];
        const count = await upsertRow(context, {
          target,
          table,
          keys,
          sql,
          params,
          row,
          transaction,
          ...(returned !== undefined ? { returned: returned(row) } : {}),
        });
        found += count === 0 ? 1 : count;
        outcomes.set(row, count);
        changed += count;
        if (count !== 1) duplicates += 1;
        if (count === 2) updated += 1;
      }
    }
    const copies = table.reference ? Math.max(1, groups.size) : 1;
    return {
      found: Math.round(found / copies),
      changed: Math.round(changed / copies),
      duplicates: Math.round(duplicates / copies),
      updated: Math.round(updated / copies),
    };
  });
  const counts = await upserted.catch((error: unknown) => {
    throw failedAfter(
      context,
      completed.warnings,
      explainDuplicate(error, table, { rows: completed.rows }),
    );
  });
  // The OK packet's id, when no row took a generated one: the AUTO_INCREMENT value of the last
  // row inserted or changed (not of one left as it was), or LAST_INSERT_ID(expr)'s value from
  // the last row the update met — last in the statement's order (MariaDB).
  let lastGiven: SqlValue = 0;
  let setValue: number | bigint | undefined;
  for (const row of completed.rows) {
    const count = outcomes.get(row);
    if (count !== undefined && count !== 1 && settingIndex >= 0)
      setValue = unsignedOf(left.get(row)?.[settingIndex] ?? null);
    if (count !== undefined && count !== 0 && auto >= 0) lastGiven = row[auto] ?? 0;
  }
  // An ON DUPLICATE KEY UPDATE constant that did not fit warns for each row that took it.
  const warnings = [...completed.warnings, ...matchedRowWarnings(rowWarnings, counts.duplicates)];
  return {
    affectedRows: counts.found,
    duplicates: counts.duplicates,
    lastInsertId: setValue ?? completed.firstGenerated,
    lastGiven: typeof lastGiven === 'number' || typeof lastGiven === 'bigint' ? lastGiven : 0,
    changed: { affectedRows: counts.changed, duplicates: counts.updated },
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(returned !== undefined
      ? { written: completed.rows.map((row) => left.get(row) ?? row) }
      : {}),
  };
}
