/**
 * INSERT IGNORE's duplicate rows, found before the write so each gets MySQL's warning
 * ("Duplicate entry '10' for key 'PRIMARY'", 1062, in row order) and the OK packet counts them.
 * A row repeats a primary key of an earlier row of the statement (compared as the engines
 * compare: strings case-insensitively) or of a stored row (read on the row's partition). The
 * write itself still ignores conflicts, so other unique keys and concurrent writers stay safe.
 */
import { quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import type { TableDef } from '../catalog/types.js';
import { ER } from '../errors.js';
import type { SqlValue } from '../values.js';
import type { PartitionTarget } from './cluster.js';
import type { StatementContext, Warning } from './context.js';

/** Keys per lookup statement. */
const LOOKUP_KEYS_MAX = 500;

export interface IgnoredRows {
  readonly kept: SqlValue[][];
  readonly warnings: Warning[];
}

export async function dropDuplicateKeys(
  context: StatementContext,
  table: TableDef,
  rows: SqlValue[][],
  route: (rows: SqlValue[][]) => Map<PartitionTarget, SqlValue[][]>,
): Promise<IgnoredRows> {
  if (table.primaryKey.length === 0 || rows.length === 0) return { kept: rows, warnings: [] };
  const indexes = table.primaryKey.map((name) =>
    table.columns.findIndex((column) => column.name === name),
  );
  const keyOf = (row: readonly SqlValue[]): string =>
    JSON.stringify(indexes.map((index) => canonical(row[index] ?? null)));
  const duplicate = new Set<SqlValue[]>();
  const seen = new Set<string>();
  const fresh: SqlValue[][] = [];
  for (const row of rows) {
    const key = keyOf(row);
    if (seen.has(key)) duplicate.add(row);
    else {
      seen.add(key);
      fresh.push(row);
    }
  }
  const stored = await storedKeys(context, table, indexes, route(fresh));
  for (const row of fresh) if (stored.has(keyOf(row))) duplicate.add(row);
  if (duplicate.size === 0) return { kept: rows, warnings: [] };
  const [code] = ER.DUP_ENTRY;
  return {
    kept: rows.filter((row) => !duplicate.has(row)),
    warnings: rows
      .filter((row) => duplicate.has(row))
      .map((row) => ({
        level: 'Warning',
        code,
        message: `Duplicate entry '${indexes.map((index) => display(row[index] ?? null)).join('-')}' for key 'PRIMARY'`,
      })),
  };
}

async function storedKeys(
  context: StatementContext,
  table: TableDef,
  indexes: readonly number[],
  groups: Map<PartitionTarget, SqlValue[][]>,
): Promise<Set<string>> {
  const found = new Set<string>();
  const names = table.primaryKey.map(quoteEngineIdentifier);
  const { cluster } = context.services;
  for (const [target, group] of groups) {
    for (let start = 0; start < group.length; start += LOOKUP_KEYS_MAX) {
      const chunk = group.slice(start, start + LOOKUP_KEYS_MAX);
      const where =
        names.length === 1
          ? `${names[0] ?? ''} IN (${chunk.map(() => '?').join(', ')})`
          : chunk.map(() => `(${names.map((name) => `${name} = ?`).join(' AND ')})`).join(' OR ');
      const params = chunk.flatMap((row) => indexes.map((index) => row[index] ?? null));
      const [result] = await cluster.exec(
        [target],
        table.storage,
        () => ({
          sql: `SELECT ${names.join(', ')} FROM ${quoteEngineIdentifier(table.name)} WHERE ${where}`,
          params,
        }),
        {
          ...(context.transaction !== undefined ? { txn: context.transaction } : {}),
          write: false,
        },
      );
      for (const row of result?.rows ?? []) found.add(JSON.stringify(row.map(canonical)));
    }
  }
  return found;
}

/** A key value as the engines compare it: numbers by value, strings case-insensitively. */
function canonical(value: SqlValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `s:${value.toLowerCase()}`;
  if (value instanceof Uint8Array) return `b:${Buffer.from(value).toString('hex')}`;
  return `n:${String(value)}`;
}

function display(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (value instanceof Uint8Array) return Buffer.from(value).toString('latin1');
  return String(value);
}
