/**
 * SHOW [FULL] PROCESSLIST: information_schema.PROCESSLIST's first columns and Progress, with
 * the column definitions MariaDB sends (computed columns, not the table's: Info is cut to 100
 * characters unless FULL).
 */
import type { ResultRows } from '../protocol/backend.js';
import type { ColumnMeta } from '../values.js';
import type { StatementContext } from './context.js';
import { virtualTable } from './information-schema.js';
import { computedText, rows } from './results.js';

/** MariaDB's FULL Info: a LONGTEXT of 201,326,592 characters. */
const FULL_INFO_CHARS = 201_326_592;

export async function showProcesslist(
  context: StatementContext,
  full: boolean,
): Promise<ResultRows> {
  const table = await virtualTable(context, 'PROCESSLIST');
  const columns: ColumnMeta[] = [
    { name: 'Id', type: 'bigint', length: 11, nullable: false },
    computedText('User', 128),
    computedText('Host', 64),
    computedText('db', 64, true),
    computedText('Command', 16),
    { name: 'Time', type: 'int', length: 7, nullable: false },
    computedText('State', 30, true),
    full
      ? { name: 'Info', type: 'text', length: FULL_INFO_CHARS, scale: 39, nullable: true }
      : computedText('Info', 100, true),
    { name: 'Progress', type: 'double', length: 7, scale: 3, nullable: false },
  ];
  return rows(
    columns,
    table.rows.map((row) => [
      ...row.slice(0, 7),
      typeof row[7] === 'string' && !full ? row[7].slice(0, 100) : (row[7] ?? null),
      0,
    ]),
  );
}
