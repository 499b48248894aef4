/**
 * ALTER TABLE … MODIFY/CHANGE of a column's type. Columnstore: each partition's engine converts
 * its own rows, so a value one partition cannot convert would leave the others converted and
 * the table's partitions with different types. Every partition is asked first whether a
 * stored value fails the conversion; if one does, the statement is refused before any change,
 * with MariaDB's error for that value: a number past the new numeric type's range is 1264
 * "Out of range value for column 'c' at row 1"; text that is no number is 1292 "Truncated
 * incorrect INTEGER value" (also text DuckDB alone would read, such as '0x7'); dates, times and
 * years are 1292/1366 naming `db`.`t`.`c`. Rowstore: SQLite keeps the stored values (the
 * table is rebuilt with the new column), so only text that is no number is checked, the same
 * way. Rows are counted per partition, so the row named is 1 rather than MariaDB's position in
 * the table.
 */
import { quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { sqlError } from '../errors.js';
import { IncorrectValueError, NUMERIC_COLUMN_TYPES } from '../catalog/coerce.js';
import { isTextColumn } from '../catalog/folded-keys.js';
import { shownName } from './temporary-tables.js';
import type { StatementContext } from './context.js';
import type { Transaction } from './coordinator.js';
import { execOptions } from './exec-options.js';

const TEMPORAL: ReadonlySet<string> = new Set(['date', 'datetime', 'timestamp', 'time']);
const INTEGER_TEXT = String.raw`\s*[+-]?[0-9]+\s*`;
const NUMBER_TEXT = String.raw`\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*`;

export async function checkTypeChange(
  context: StatementContext,
  table: TableDef,
  source: string,
  column: ColumnDef,
  engineType: string,
  transaction?: Transaction,
): Promise<void> {
  const name = quoteEngineIdentifier(source);
  const old = table.columns.find((candidate) => candidate.name === source);
  const numeric = NUMERIC_COLUMN_TYPES.has(column.type) && !column.mysqlType.startsWith('year');
  // MySQL reads a number from text only as [sign]digits[.digits][e±digits], spaces around.
  const pattern =
    column.type === 'decimal' || /float|double/.test(column.type) ? NUMBER_TEXT : INTEGER_TEXT;
  const textToNumber = numeric && old !== undefined && isTextColumn(old);
  const from = quoteEngineIdentifier(table.name);
  let sql: string;
  if (table.storage === 'column') {
    const unreadable = textToNumber ? ` OR NOT regexp_full_match(${name}, '${pattern}')` : '';
    sql = `SELECT CAST(${name} AS VARCHAR) FROM ${from} WHERE ${name} IS NOT NULL AND (TRY_CAST(${name} AS ${engineType}) IS NULL${unreadable}) LIMIT 1`;
  } else {
    // SQLite keeps the stored values: only text MySQL reads as no number refuses here (a number
    // past the new range fails the rebuilt table's range check: 1264).
    if (!textToNumber) return;
    sql = `SELECT ${name} FROM ${from} WHERE typeof(${name}) = 'text' AND NOT exo_regexp(${name}, '^${pattern}$') LIMIT 1`;
  }
  const { cluster } = context.services;
  const results = await cluster.exec(
    cluster.tableTargets(table),
    table.storage,
    () => ({ sql }),
    execOptions(context, false, transaction),
  );
  const failed = results.find((result) => result.rows.length > 0)?.rows[0]?.[0];
  if (failed === undefined) return;
  const value = String(failed);
  // MariaDB names a DATE or TIMESTAMP's failure a datetime one, and a YEAR's an integer one.
  const incorrect = TEMPORAL.has(column.type)
    ? column.type === 'time'
      ? 'time'
      : 'datetime'
    : column.mysqlType.startsWith('year')
      ? 'integer'
      : undefined;
  if (incorrect !== undefined)
    throw new IncorrectValueError(incorrect, value, column.name, 1, {
      database: table.database,
      name: shownName(table),
    });
  // A number (or text that reads as one) past the new type's range.
  const number =
    old !== undefined &&
    (NUMERIC_COLUMN_TYPES.has(old.type) ||
      (textToNumber && new RegExp(`^${pattern}$`).test(value)));
  if (numeric && number)
    throw sqlError('OUT_OF_RANGE', `Out of range value for column '${column.name}' at row 1`);
  const kind =
    column.type === 'decimal' ? 'DECIMAL' : /float|double/.test(column.type) ? 'DOUBLE' : 'INTEGER';
  throw sqlError('TRUNCATED_WRONG_VALUE', `Truncated incorrect ${kind} value: '${value}'`);
}
