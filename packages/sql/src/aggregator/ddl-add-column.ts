/**
 * The engine statements of ALTER TABLE … ADD COLUMN, with the value the table's existing rows
 * take, as MySQL gives it: a literal default, the statement's time for CURRENT_TIMESTAMP (every
 * row the same), an expression default evaluated once — or once per row for UUID(), RAND() and
 * the like, by the engines themselves — and without a default NULL, or a NOT NULL column's
 * implicit default (`implicit-default.ts`).
 */
import { coerceValue } from '../catalog/coerce.js';
import { defaultExpr, isExpressionDefault, variesPerRow } from '../catalog/column-default.js';
import { addColumnStatement, quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import { storeTimestamps } from '../catalog/time-zone.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { sqlError } from '../errors.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { defaultOnce, engineDefaultSql } from './expression-defaults.js';
import { sessionZoneMinutes } from './query-options.js';
import { defaultValue } from './insert-complete.js';
import { implicitDefault } from './implicit-default.js';
import { DUCK_ZERO, ZERO_DATE } from '../zero-date.js';

export async function addColumnStatements(
  context: StatementContext,
  table: TableDef,
  column: ColumnDef,
): Promise<string[]> {
  const sql = column.defaultSql;
  if (sql === undefined) {
    // A NOT NULL column without a default gives the existing rows its implicit default (0,
    // '', an ENUM's first member, 00:00:00, the zero date), as MariaDB does.
    const implicit = column.nullable ? undefined : implicitDefault(column);
    return [addColumnStatement(table, column, engineLiteral(engineZero(table, implicit ?? null)))];
  }
  if (isExpressionDefault(sql) && variesPerRow(defaultExpr(sql))) {
    // Each copy of a reference table would draw its own values.
    if (table.reference)
      throw sqlError(
        'NOT_SUPPORTED',
        `Adding column '${column.name}' to a reference table with a default that differs from row to row is not supported`,
      );
    const dialect = table.storage === 'column' ? 'duckdb' : 'sqlite';
    const fill = engineDefaultSql(context, column, dialect);
    return [
      addColumnStatement(table, column, undefined),
      `UPDATE ${quoteEngineIdentifier(table.name)} SET ${quoteEngineIdentifier(column.name)} = ${fill}`,
    ];
  }
  const value = await existingRowsValue(context, column, sql);
  return [addColumnStatement(table, column, engineLiteral(value))];
}

async function existingRowsValue(
  context: StatementContext,
  column: ColumnDef,
  sql: string,
): Promise<SqlValue> {
  if (isExpressionDefault(sql)) return coerceValue(await defaultOnce(context, column), column, 1);
  // The clock's value is the session's local time; a TIMESTAMP column stores it in UTC.
  const row = [defaultValue(context, column)];
  storeTimestamps([row], [column], sessionZoneMinutes(context));
  return row[0] ?? null;
}

/** The zero date as the table's engine keeps it (a columnstore date: DuckDB's '-infinity'). */
function engineZero(table: TableDef, value: SqlValue): SqlValue {
  return table.storage === 'column' && typeof value === 'string' && value.startsWith(ZERO_DATE)
    ? DUCK_ZERO
    : value;
}

/** A number or text as an engine literal; NULL (and bytes) leave the rows NULL. */
function engineLiteral(value: SqlValue): string | undefined {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  return undefined;
}
