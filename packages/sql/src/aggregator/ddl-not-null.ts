/**
 * ALTER TABLE … MODIFY/CHANGE that makes a nullable column NOT NULL: a stored NULL cannot stay,
 * or the column would say NOT NULL and hold NULLs. As MariaDB's copying ALTER stores each row
 * again: in strict mode the statement is refused before any change (1265 "Data truncated for
 * column 'c' at row N"); otherwise each NULL becomes the column's implicit default (0, '', the
 * time 00:00:00, … `implicit-default.ts`) with a 1265 warning per row (a DATE, DATETIME or
 * TIMESTAMP column, whose default would be the zero date, is refused then too). Rows are
 * counted per partition, so the row numbers are 1, 2, … rather than MariaDB's positions in the
 * table (as `ddl-double-fit.ts` counts them).
 */
import { quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { sqlError } from '../errors.js';
import { isStrictMode } from './compat-lenient-values.js';
import type { StatementContext, Warning } from './context.js';
import type { Transaction } from './coordinator.js';
import { countRows } from './ddl-double-fit.js';
import { execOptions } from './exec-options.js';
import { implicitDefault } from './implicit-default.js';
import type { SqlValue } from '../values.js';

/** Warnings listed for the rows an ALTER changed (the rest are counted only). */
const WARNED_ROWS_MAX = 64;
const ZERO_DATED: ReadonlySet<string> = new Set(['date', 'datetime', 'timestamp']);

/** MariaDB's 1265 text for a row of `column`. */
export function truncated(column: ColumnDef, row: number): string {
  return `Data truncated for column '${column.name}' at row ${row}`;
}

/** A 1265 warning for each of the first `rows` rows an ALTER changed (64 at most). */
export function truncationWarnings(column: ColumnDef, rows: number): Warning[] {
  const warnings: Warning[] = [];
  for (let row = 1; row <= Math.min(rows, WARNED_ROWS_MAX); row++)
    warnings.push({ level: 'Warning', code: 1265, message: truncated(column, row) });
  return warnings;
}

/**
 * Makes the NULLs of `old` (the column before the change) fit `column`, which is
 * NOT NULL where `old` was not: refused in strict mode, filled with the implicit default
 * otherwise. Returns the warnings of the rows filled.
 */
export async function fitNotNull(
  context: StatementContext,
  table: TableDef,
  old: ColumnDef,
  column: ColumnDef,
  transaction: Transaction | undefined,
): Promise<Warning[]> {
  if (old.nullable === false || column.nullable !== false) return [];
  const name = quoteEngineIdentifier(old.name);
  // The zero date has an engine form of its own: such columns are refused in every mode.
  const fill = ZERO_DATED.has(column.type) ? undefined : implicitDefault(column);
  return changeRows(context, table, column, transaction, {
    where: `${name} IS NULL`,
    set: fill === undefined ? undefined : { sql: `${name} = ?`, params: [fill] },
  });
}

/**
 * The rows of `table` matching `where`, which the ALTER must change to fit `column`: refused
 * with 1265 in strict mode (or when there is no `set`), else changed by `set`, with a 1265
 * warning each. Nothing happens when no row matches.
 */
export async function changeRows(
  context: StatementContext,
  table: TableDef,
  column: ColumnDef,
  transaction: Transaction | undefined,
  change: {
    readonly where: string;
    readonly set: { readonly sql: string; readonly params?: readonly SqlValue[] } | undefined;
  },
): Promise<Warning[]> {
  const rows = await countRows(context, table, change.where, transaction);
  if (rows === 0) return [];
  const set = change.set;
  if (isStrictMode(context.session) || set === undefined)
    throw sqlError('DATA_TRUNCATED', truncated(column, 1));
  const { cluster } = context.services;
  const sql = `UPDATE ${quoteEngineIdentifier(table.name)} SET ${set.sql} WHERE ${change.where}`;
  await cluster.exec(
    cluster.tableTargets(table),
    table.storage,
    () => ({ sql, params: set.params ?? [] }),
    execOptions(context, true, transaction),
  );
  return truncationWarnings(column, rows);
}
