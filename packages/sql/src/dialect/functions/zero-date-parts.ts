/**
 * The parts of a zero date (zero-date.ts) as MariaDB gives them, by functions and EXTRACT: YEAR,
 * MONTH, DAY, QUARTER and the clock parts are 0, DAYOFWEEK, WEEKDAY and DAYOFYEAR NULL. The engines have no
 * such date: DuckDB's '-infinity' gives NULL or an error, SQLite's date functions NULL.
 */
import { ZERO_DATE, zeroDateConstant } from '../../zero-date.js';
import { asValue } from '../coerce.js';
import type { Context } from '../context.js';
import { isDateTime } from '../type-rules.js';
import type { Typed } from '../types.js';

/** The parts MariaDB gives as NULL; the others (YEAR … MICROSECOND, YEAR_MONTH …) are 0. */
const NULL_UNITS: ReadonlySet<string> = new Set(['DAYOFWEEK', 'WEEKDAY', 'DAYOFYEAR', 'WEEK']);

/** `sql`, the part `unit` of `input`, with the zero date's own answer when input can be one. */
export function zeroDatePart(context: Context, input: Typed, unit: string, sql: string): string {
  const value = asValue(context, input);
  const zero = NULL_UNITS.has(unit) ? 'NULL' : '0';
  // A constant is known now: YEAR('0000-00-00') is 0.
  if (value.constant !== undefined) {
    const text = value.constant.value;
    const isZero =
      typeof text === 'string' ? zeroDateConstant(text) !== undefined : text === 0 || text === 0n;
    return isZero ? zero : sql;
  }
  if (value.type.type !== 'date' && !isDateTime(value.type)) return sql;
  if (context.dialect === 'duckdb')
    return `(CASE WHEN isinf(${value.sql}) THEN ${zero} ELSE ${sql} END)`;
  // SQLite's date functions already give NULL for the zero date's text.
  if (zero === 'NULL') return sql;
  return `(CASE WHEN substr(${value.sql}, 1, 10) = '${ZERO_DATE}' THEN 0 ELSE ${sql} END)`;
}
