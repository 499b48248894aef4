/**
 * REPLACE on a columnstore table: before its rows are inserted, the stored rows they collide
 * with on any primary or unique key are deleted (DuckDB's INSERT OR REPLACE refuses tables with
 * several unique keys, and cannot see a fold index's collisions). On a table with fold indexes
 * (catalog/folded-keys.ts, whose index names and fold are spelled here since storage does not
 * import catalog), text key columns compare as the collation does: case-insensitively and
 * without trailing spaces.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier } from './names.js';

/**
 * The DELETE statements for the rows of `table` that rows staged in `staged` replace, one per
 * key whose columns the rows give.
 */
export async function replacedRowDeletes(
  connection: DuckDBConnection,
  table: string,
  staged: string,
  columns: readonly string[],
): Promise<string[]> {
  const { keys, text } = await uniqueKeys(connection, table);
  const target = quoteIdentifier(table);
  return keys
    .filter((key) => key.every((column) => columns.includes(column)))
    .map((key) => {
      const match = key
        .map((column) => {
          const name = quoteIdentifier(column);
          return text.has(column)
            ? `lower(rtrim(s.${name}, ' ')) = lower(rtrim(${target}.${name}, ' '))`
            : `s.${name} = ${target}.${name}`;
        })
        .join(' AND ');
      return `DELETE FROM ${target} WHERE EXISTS (SELECT 1 FROM ${staged} s WHERE ${match})`;
    });
}

/**
 * The column lists of the table's primary and unique keys, and the text columns they fold: all
 * of them when the table has fold indexes, none for a table made before (its keys compare as
 * the column does, case-insensitively).
 */
async function uniqueKeys(
  connection: DuckDBConnection,
  table: string,
): Promise<{ keys: string[][]; text: Set<string> }> {
  const here = `database_name = current_database() AND schema_name = current_schema() AND table_name = $1`;
  const keys = await connection.run(
    `SELECT constraint_column_names FROM duckdb_constraints() WHERE ${here} AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')`,
    [table],
  );
  const text = await connection.run(
    `SELECT column_name FROM duckdb_columns() WHERE ${here} AND data_type = 'VARCHAR' AND EXISTS (SELECT 1 FROM duckdb_indexes() WHERE ${here} AND starts_with(index_name, 'exo_fold__'))`,
    [table],
  );
  return {
    keys: (await keys.getRowsJS()).map((row) => (row[0] as string[]).map(String)),
    text: new Set((await text.getRowsJS()).map((row) => row[0] as string)),
  };
}
