/** Functions that read one part of a date or time, and EXTRACT. */
import { notSupported, type Context } from '../context.js';
import { intType, bigintType, varcharType } from '../type-rules.js';
import type { Typed } from '../types.js';
import { arg, constantInt, define, type FunctionTable } from './handler.js';
import { asDate, asTime, asTimestamp, field, strftime } from './temporal.js';

const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function part(context: Context, value: Typed, unit: string): string {
  const duck = context.dialect === 'duckdb';
  switch (unit) {
    case 'YEAR':
      return duck
        ? `year(${asTimestamp(context, value)})`
        : field(context, asTimestamp(context, value), '%Y');
    case 'MONTH':
      return duck
        ? `month(${asTimestamp(context, value)})`
        : field(context, asTimestamp(context, value), '%m');
    case 'DAY':
      return duck
        ? `day(${asTimestamp(context, value)})`
        : field(context, asTimestamp(context, value), '%d');
    case 'HOUR':
    case 'MINUTE':
    case 'SECOND':
    case 'MICROSECOND':
      return clockPart(context, value, unit);
    case 'QUARTER':
      return duck
        ? `quarter(${asTimestamp(context, value)})`
        : `((${field(context, asTimestamp(context, value), '%m')} + 2) / 3)`;
    case 'DAYOFWEEK':
      return duck
        ? `(dayofweek(${asTimestamp(context, value)}) + 1)`
        : `(${field(context, asTimestamp(context, value), '%w')} + 1)`;
    case 'WEEKDAY':
      return duck
        ? `(isodow(${asTimestamp(context, value)}) - 1)`
        : `((${field(context, asTimestamp(context, value), '%w')} + 6) % 7)`;
    case 'DAYOFYEAR':
      return duck
        ? `dayofyear(${asTimestamp(context, value)})`
        : field(context, asTimestamp(context, value), '%j');
    case 'YEAR_MONTH':
      return `(${part(context, value, 'YEAR')} * 100 + ${part(context, value, 'MONTH')})`;
    case 'DAY_HOUR':
      return `(${part(context, value, 'DAY')} * 100 + ${part(context, value, 'HOUR')})`;
    case 'HOUR_MINUTE':
      return `(${part(context, value, 'HOUR')} * 100 + ${part(context, value, 'MINUTE')})`;
    case 'MINUTE_SECOND':
      return `(${part(context, value, 'MINUTE')} * 100 + ${part(context, value, 'SECOND')})`;
    case 'HOUR_SECOND':
      return `(${part(context, value, 'HOUR')} * 10000 + ${part(context, value, 'MINUTE')} * 100 + ${part(context, value, 'SECOND')})`;
    case 'WEEK':
      return week(context, value, 0);
    default:
      return notSupported(`EXTRACT(${unit})`);
  }
}

/**
 * WEEK(x, mode) for modes 0–3 (MySQL reference, WEEK()): 0 Sunday-first 0–53, 1 Monday-first
 * with ISO's 4-day rule 0–53, 2 and 3 the same with weeks 1–53 counted into the prior year.
 * SQLite uses the full algorithm through exo_week.
 */
export function week(context: Context, value: Typed, mode: number): string {
  if (context.dialect === 'sqlite') return `exo_week(${asTimestamp(context, value)}, ${mode})`;
  const x = asTimestamp(context, value);
  const week0 = `CAST(strftime(${x}, '%U') AS INTEGER)`;
  switch (mode) {
    case 0:
      return week0;
    case 1:
      return `(CASE WHEN isoyear(${x}) < year(${x}) THEN 0 WHEN isoyear(${x}) > year(${x}) THEN week(${x} - INTERVAL 7 DAY) + 1 ELSE week(${x}) END)`;
    case 2:
      return `(CASE WHEN ${week0} = 0 THEN CAST(strftime(make_date(year(${x}) - 1, 12, 31), '%U') AS INTEGER) ELSE ${week0} END)`;
    case 3:
      return `week(${x})`;
    default:
      return notSupported(`WEEK mode ${mode}`, context.dialect);
  }
}

/** The year that goes with week(mode): %X for mode 2, %x (ISO) for mode 3. */
export function weekYear(context: Context, value: Typed, mode: number): string {
  if (context.dialect === 'sqlite') return `exo_week_year(${asTimestamp(context, value)}, ${mode})`;
  const x = asTimestamp(context, value);
  if (mode === 3 || mode === 1) return `isoyear(${x})`;
  return `(CASE WHEN CAST(strftime(${x}, '%U') AS INTEGER) = 0 THEN year(${x}) - 1 ELSE year(${x}) END)`;
}

/**
 * HOUR/MINUTE/SECOND/MICROSECOND of a TIME (a signed duration: HOUR('100:00:00') is 100,
 * HOUR('-01:02:03') is 1) or of a datetime's time of day, from its microseconds.
 */
function clockPart(context: Context, value: Typed, unit: string): string {
  const micros =
    context.dialect === 'duckdb'
      ? `abs(epoch_us(${asTime(context, value)}))`
      : `abs(exo_time_key(${asTime(context, value)}))`;
  const divide = context.dialect === 'duckdb' ? '//' : '/';
  switch (unit) {
    case 'HOUR':
      return `CAST(${micros} ${divide} 3600000000 AS INTEGER)`;
    case 'MINUTE':
      return `CAST(${micros} ${divide} 60000000 % 60 AS INTEGER)`;
    case 'SECOND':
      return `CAST(${micros} ${divide} 1000000 % 60 AS INTEGER)`;
    default:
      return `CAST(${micros} % 1000000 AS INTEGER)`;
  }
}

export function translateExtract(context: Context, unit: string, value: Typed): Typed {
  return {
    sql: part(context, value, unit.toUpperCase()),
    type: unit.includes('_') ? bigintType : intType,
  };
}

function partFunction(unit: string): FunctionTable[string] {
  return define(1, 1, (context, args) => ({
    sql: part(context, arg(args, 0), unit),
    type: intType,
  }));
}

function nameOf(names: readonly string[], numberSql: string, offset: number): string {
  return `(CASE ${numberSql} ${names.map((n, i) => `WHEN ${i + offset} THEN '${n}'`).join(' ')} END)`;
}

export const datePartFunctions: FunctionTable = {
  YEAR: partFunction('YEAR'),
  MONTH: partFunction('MONTH'),
  DAY: partFunction('DAY'),
  DAYOFMONTH: partFunction('DAY'),
  HOUR: partFunction('HOUR'),
  MINUTE: partFunction('MINUTE'),
  SECOND: partFunction('SECOND'),
  MICROSECOND: partFunction('MICROSECOND'),
  QUARTER: partFunction('QUARTER'),
  DAYOFWEEK: partFunction('DAYOFWEEK'),
  WEEKDAY: partFunction('WEEKDAY'),
  DAYOFYEAR: partFunction('DAYOFYEAR'),
  WEEK: define(1, 2, (context, args) => {
    const mode = args[1] === undefined ? 0 : constantInt(args[1]);
    if (mode === undefined) return notSupported('WEEK with a non-constant mode');
    return { sql: week(context, arg(args, 0), mode), type: intType };
  }),
  WEEKOFYEAR: define(1, 1, (context, args) => ({
    sql: week(context, arg(args, 0), 3),
    type: intType,
  })),
  YEARWEEK: define(1, 2, (context, args) => {
    const given = args[1] === undefined ? 0 : constantInt(args[1]);
    if (given === undefined) return notSupported('YEARWEEK with a non-constant mode');
    // YEARWEEK counts every week into a year, so modes 0 and 1 behave like 2 and 3.
    const mode = given === 0 ? 2 : given === 1 ? 3 : given;
    return {
      sql: `(${weekYear(context, arg(args, 0), mode)} * 100 + ${week(context, arg(args, 0), mode)})`,
      type: intType,
    };
  }),
  DAYNAME: define(1, 1, (context, args) => {
    const x = asTimestamp(context, arg(args, 0));
    const sql =
      context.dialect === 'duckdb' ? `dayname(${x})` : nameOf(dayNames, field(context, x, '%w'), 0);
    return { sql, type: varcharType(9) };
  }),
  MONTHNAME: define(1, 1, (context, args) => {
    const x = asTimestamp(context, arg(args, 0));
    const sql =
      context.dialect === 'duckdb'
        ? `monthname(${x})`
        : nameOf(monthNames, field(context, x, '%m'), 1);
    return { sql, type: varcharType(9) };
  }),
  TO_DAYS: define(1, 1, (context, args) => {
    const d = asDate(context, arg(args, 0));
    const sql =
      context.dialect === 'duckdb'
        ? `(date_diff('day', DATE '0001-01-01', ${d}) + 366)`
        : `(CAST(julianday(${d}) - julianday('0001-01-01') AS INTEGER) + 366)`;
    return { sql, type: bigintType };
  }),
};

export { dayNames, monthNames, strftime };
