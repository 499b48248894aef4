/**
 * The AUTO_INCREMENT = n table option, as InnoDB takes it: CREATE TABLE starts the counter at n
 * (a dump restores its table's next value), ALTER TABLE moves it to n, or to one past the
 * largest stored value when n is not above it.
 */
import { parseStatement, quoteIdentifier } from '../parser/index.js';
import type { Query } from '../parser/ast.js';
import type { TableDef } from '../catalog/types.js';
import type { StatementContext } from './context.js';
import { executeQuery } from './select.js';

/** The option's value, when given as a whole number. */
export function autoIncrementOption(options: Readonly<Record<string, string>>): number | undefined {
  const text = options['AUTO_INCREMENT'];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** CREATE TABLE … AUTO_INCREMENT = n. */
export function startAutoIncrement(
  context: StatementContext,
  table: TableDef,
  options: Readonly<Record<string, string>>,
): void {
  const start = autoIncrementOption(options);
  if (start === undefined || !table.columns.some((column) => column.autoIncrement === true)) return;
  context.services.catalog.setAutoIncrement(table.database, table.name, start, 1);
}

/** ALTER TABLE … AUTO_INCREMENT = n: never at or below a stored value. */
export async function moveAutoIncrement(
  context: StatementContext,
  table: TableDef,
  value: number,
): Promise<void> {
  const column = table.columns.find((candidate) => candidate.autoIncrement === true);
  if (column === undefined) return;
  const sql =
    `SELECT MAX(${quoteIdentifier(column.name)}) FROM ` +
    `${quoteIdentifier(table.database)}.${quoteIdentifier(table.name)}`;
  const result = await executeQuery(context, parseStatement(sql) as Query);
  const largest = Number(result.rows[0]?.[0] ?? 0);
  const floor = Number.isFinite(largest) ? Math.floor(largest) + 1 : 1;
  context.services.catalog.setAutoIncrement(table.database, table.name, value, floor);
}
