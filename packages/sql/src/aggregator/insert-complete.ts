/**
 * The rows of an INSERT made whole on the aggregator before they are routed: the statement's
 * column list resolved, defaults (strict or lenient, with MySQL's warnings), AUTO_INCREMENT
 * values generated or observed, and each value coerced to its column's type.
 */
import { implicitDefault } from './implicit-default.js';
import { reservationFor } from './auto-increment-reservation.js';
import { sqlError } from '../errors.js';
import { coerceValue } from '../catalog/coerce.js';
import { coerceIn } from './coerce-in.js';
import { fitTimestamp } from './timestamp-range.js';
import { dropsPart } from './write-notes.js';
import { zeroDatesAllowed } from '../zero-date.js';
import { isStrictMode, lenientValue } from './compat-lenient-values.js';
import { roundDecimal } from '../catalog/decimal.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { type Warning } from './context.js';
import { formatTimestamp, sessionZoneMinutes } from './query-options.js';
import { storeTimestamps } from '../catalog/time-zone.js';
import { stringDefault } from '../catalog/default-literal.js';
import { isClockDefault } from '../catalog/column-default.js';

/** Resolves the statement's column list to the table's columns (1054, 1110). */
export function columnIndexes(table: TableDef, columns: readonly string[]): number[] {
  const seen = new Set<number>();
  return columns.map((name) => {
    const index = table.columns.findIndex(
      (column) => column.name.toLowerCase() === name.toLowerCase(),
    );
    if (index < 0) throw sqlError('BAD_FIELD', `Unknown column '${name}' in 'field list'`);
    if (seen.has(index))
      throw sqlError('FIELD_SPECIFIED_TWICE', `Column '${name}' specified twice`);
    seen.add(index);
    return index;
  });
}

/** Completes and checks rows: defaults, AUTO_INCREMENT, type coercion. */
export function completeRows(
  context: StatementContext,
  table: TableDef,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
  defaults: readonly (readonly boolean[])[] = [],
  ignore = false,
  /** Rows of a multi-row statement (INSERT … SELECT too): a NULL for NOT NULL warns there. */
  several = rows.length > 1,
  /** Rows moved with their stored values: a zero date they hold is kept (update-shard-key.ts). */
  keepsZeroDates = false,
): {
  rows: SqlValue[][];
  firstGenerated: number | bigint;
  lastGiven: number | bigint;
  warnings: Warning[];
} {
  const indexes = columnIndexes(table, columns);
  // Without strict mode, or with IGNORE, values that do not fit are adjusted with a warning.
  const warnings: Warning[] = [];
  // Columns without a default are warned about once per statement, before the rows' warnings.
  const missing = new Map<string, Warning>();
  const lenient = ignore || !isStrictMode(context.session);
  const zeroDates = keepsZeroDates || zeroDatesAllowed(context.session.variables.get('sql_mode'));
  const auto = table.columns.findIndex((column) => column.autoIncrement === true);
  const catalog = context.services.catalog;
  const zoneMinutes = sessionZoneMinutes(context);
  const width = table.columns.length;
  // For each table column, the position of its value in the statement's rows (-1: none).
  const positions = new Array<number>(width).fill(-1);
  indexes.forEach((columnIndex, position) => {
    positions[columnIndex] = position;
  });
  let firstGenerated: number | bigint = 0;
  let lastGiven: number | bigint = 0;
  const complete: SqlValue[][] = new Array<SqlValue[]>(rows.length);
  for (let rowIndex = 0; rowIndex < rows.length; rowIndex++) {
    const row = rows[rowIndex] as readonly SqlValue[];
    const rowDefaults = defaults[rowIndex];
    const out = new Array<SqlValue>(width);
    // The generated id is taken once the row's other values are accepted: a row refused for
    // one of them uses no id (MariaDB).
    let generate = false;
    for (let columnIndex = 0; columnIndex < width; columnIndex++) {
      const column = table.columns[columnIndex] as ColumnDef;
      const position = positions[columnIndex] as number;
      const given =
        position < 0 || rowDefaults?.[position] === true ? undefined : (row[position] ?? null);
      if (
        columnIndex === auto &&
        (given === undefined || given === null || given === 0 || given === '0')
      ) {
        generate = true;
        continue;
      }
      if (given === undefined) {
        out[columnIndex] = lenient
          ? lenientDefault(context, column, missing)
          : defaultValue(context, column);
        continue;
      }
      // NULL in a NOT NULL column of one of several rows (or with IGNORE): the implicit
      // default with 1048, as MariaDB without strict mode; a single row is refused.
      const fallback =
        given === null && !column.nullable && lenient && (several || ignore)
          ? implicitDefault(column, true)
          : undefined;
      if (fallback !== undefined) {
        warnings.push({
          level: 'Warning',
          code: 1048,
          message: `Column '${column.name}' cannot be null`,
        });
        out[columnIndex] = fallback;
        continue;
      }
      const warned = warnings.length;
      const value = fitTimestamp({
        value: lenient
          ? lenientValue({ value: given, column, table, row: rowIndex + 1, warnings, zeroDates })
          : coerceIn(table, given, column, rowIndex + 1, zeroDates),
        given,
        column,
        table,
        row: rowIndex + 1,
        zoneMinutes,
        lenient,
        warnings,
      });
      // A value adjusted to fit has its warning already; one stored with a part dropped (a
      // DECIMAL rounded to its scale, a datetime in a DATE, …) gets a Note.
      if (warnings.length === warned && dropsPart(given, column))
        warnings.push({
          level: 'Note',
          code: 1265,
          message: `Data truncated for column '${column.name}' at row ${rowIndex + 1}`,
        });
      if (columnIndex === auto && typeof value === 'number') {
        catalog.observeAutoIncrement(table.database, table.name, value);
        reservationFor(context, catalog, table).given(value);
        lastGiven = value;
      } else if (columnIndex === auto && typeof value === 'bigint') lastGiven = value;
      out[columnIndex] = value;
    }
    if (generate) {
      const id = reservationFor(context, catalog, table).take();
      if (firstGenerated === 0) firstGenerated = id;
      out[auto] = id;
    }
    complete[rowIndex] = out;
  }
  storeTimestamps(complete, table.columns, zoneMinutes);
  return {
    rows: complete,
    firstGenerated,
    lastGiven,
    warnings: [...missing.values(), ...warnings],
  };
}

/** A missing value without strict mode: a column without DEFAULT takes its implicit one. */
function lenientDefault(
  context: StatementContext,
  column: ColumnDef,
  missing: Map<string, Warning>,
): SqlValue {
  const implicit =
    column.defaultSql === undefined && !column.nullable ? implicitDefault(column) : undefined;
  if (implicit === undefined) return defaultValue(context, column);
  // An ENUM's first member is its default: no warning.
  if (!/^enum\b/i.test(column.mysqlType))
    missing.set(column.name, {
      level: 'Warning',
      code: 1364,
      message: `Field '${column.name}' doesn't have a default value`,
    });
  return implicit;
}

/** A column's literal or clock default, coerced to it (an expression default is 1235 here). */
export function defaultValue(context: StatementContext, column: ColumnDef): SqlValue {
  const sql = column.defaultSql;
  if (sql === undefined) {
    if (column.nullable) return null;
    // A NOT NULL ENUM defaults to its first member, in every mode.
    if (/^enum\b/i.test(column.mysqlType)) return column.values?.[0] ?? '';
    throw sqlError('NO_DEFAULT', `Field '${column.name}' doesn't have a default value`);
  }
  const upper = sql.toUpperCase();
  if (isClockDefault(sql)) {
    // The session's local time: a TIMESTAMP column stores it in UTC (with the other values).
    const local = context.nowMs + sessionZoneMinutes(context) * 60_000;
    return coerceValue(formatTimestamp(local, true), column, 1);
  }
  const text = stringDefault(sql);
  if (text !== undefined)
    return coerceValue(
      text,
      column,
      1,
      zeroDatesAllowed(context.session.variables.get('sql_mode')),
    );
  if (upper === 'NULL') return column.nullable ? null : coerceValue(null, column, 1);
  if (upper === 'TRUE' || upper === 'FALSE') return upper === 'TRUE' ? 1 : 0;
  if (roundDecimal(sql, 0) !== undefined) return coerceValue(sql, column, 1);
  throw sqlError(
    'NOT_SUPPORTED',
    `The default expression ${sql} of column '${column.name}' is not supported`,
  );
}
