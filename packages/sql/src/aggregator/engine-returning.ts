/**
 * DELETE … RETURNING on the partitions (`delete-returning.ts`, `keyed-write.ts`): the engines'
 * own RETURNING of every table column (DuckDB and SQLite both have it), so each partition hands
 * back the whole rows it deleted, as stored, in the same statement.
 */
import type { TableDef } from '../catalog/types.js';
import { quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import type { ExecResult } from '../leaf/api.js';
import type { SqlValue } from '../values.js';

/** The clause to append to an engine DELETE of `table`. */
export function returningAll(table: TableDef): string {
  return ` RETURNING ${table.columns.map((column) => quoteEngineIdentifier(column.name)).join(', ')}`;
}

/** The rows deleted: a reference table's are deleted from every leaf's copy, one copy counts. */
export function returnedRows(
  table: TableDef,
  results: readonly ExecResult[],
): readonly (readonly SqlValue[])[] {
  return table.reference ? (results[0]?.rows ?? []) : results.flatMap((result) => result.rows);
}
