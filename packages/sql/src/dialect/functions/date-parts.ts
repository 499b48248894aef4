/** Functions that read one part of a date or time, and EXTRACT. */
import { notSupported, type Context } from '../context.js';
import { intType, bigintType, formattedTextType } from '../type-rules.js';
import type { Typed } from '../types.js';
import { arg, constantInt, define, type FunctionTable } from './handler.js';
import { asDate, asTime, asTimestamp, field, strftime } from './temporal.js';
import { zeroDatePart } from './zero-date-parts.js';

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
    case 'DAY_MINUTE':
      return `(${part(context, value, 'DAY')} * 10000 + ${part(context, value, 'HOUR_MINUTE')})`;
    case 'DAY_SECOND':
      return `(CAST(${part(context, value, 'DAY')} AS BIGINT) * 1000000 + ${part(context, value, 'HOUR_SECOND')})`;
    case 'DAY_MICROSECOND':
    case 'HOUR_MICROSECOND':
    case 'MINUTE_MICROSECOND':
    case 'SECOND_MICROSECOND': {
      const whole =
        unit === 'SECOND_MICROSECOND' ? 'SECOND' : unit.replace('MICROSECOND', 'SECOND');
      return `(CAST(${part(context, value, whole)} AS BIGINT) * 1000000 + ${part(context, value, 'MICROSECOND')})`;
    }
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
      return duckWeek(x, mode).week;
  }
}

/**
 * MySQL's week algorithm (sql_time.cc calc_week) for any mode, in DuckDB: week 1 starts on the
 * first day of the week that is either the year's first such day (modes 0, 2, 5, 7) or begins
 * a week with four days in the year (1, 3, 4, 6); modes 2, 3, 6, 7 count a day before week 1
 * into the prior year's last week and a day on or after next year's week 1 into week 1.
 */
function duckWeek(x: string, mode: number): { week: string; year: string } {
  let behaviour = mode & 7;
  if ((behaviour & 1) === 0) behaviour ^= 4;
  const mondayFirst = (behaviour & 1) !== 0;
  const weekYear = (behaviour & 2) !== 0;
  const firstWeekday = (behaviour & 4) !== 0;
  const bind = (body: string): string =>
    `(list_transform([CAST(${x} AS DATE)], exo_day -> ${body}))[1]`;
  const start = (year: string): string => {
    const first = `make_date(${year}, 1, 1)`;
    const weekday = mondayFirst ? `(isodow(${first}) - 1)` : `dayofweek(${first})`;
    const late = firstWeekday ? `${weekday} <> 0` : `${weekday} >= 4`;
    return `(${first} + CAST(CASE WHEN ${late} THEN 7 - ${weekday} ELSE -${weekday} END AS INTEGER))`;
  };
  const weekOf = (year: string): string => `(floor((exo_day - ${start(year)}) / 7) + 1)`;
  const y = 'year(exo_day)';
  if (!weekYear) {
    return {
      // DuckDB's greatest skips NULLs: a NULL date stays NULL.
      week: bind(
        `(CASE WHEN exo_day IS NULL THEN NULL ELSE CAST(greatest(${weekOf(y)}, 0) AS INTEGER) END)`,
      ),
      year: bind(y),
    };
  }
  return {
    week: bind(
      `CAST(CASE WHEN exo_day >= ${start(`${y} + 1`)} THEN 1 WHEN exo_day < ${start(y)} THEN ${weekOf(`${y} - 1`)} ELSE ${weekOf(y)} END AS INTEGER)`,
    ),
    year: bind(
      `CASE WHEN exo_day >= ${start(`${y} + 1`)} THEN ${y} + 1 WHEN exo_day < ${start(y)} THEN ${y} - 1 ELSE ${y} END`,
    ),
  };
}

/** The year that goes with week(mode): %X for mode 2, %x (ISO) for mode 3. */
export function weekYear(context: Context, value: Typed, mode: number): string {
  if (context.dialect === 'sqlite') return `exo_week_year(${asTimestamp(context, value)}, ${mode})`;
  const x = asTimestamp(context, value);
  if (mode === 3 || mode === 1) return `isoyear(${x})`;
  if (mode >= 4) return duckWeek(x, mode).year;
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

const timeFields = ['DAY', 'HOUR', 'MINUTE', 'SECOND', 'MICROSECOND'] as const;

/**
 * EXTRACT from a TIME as MariaDB: its hours past 24 are days (EXTRACT(HOUR FROM '838:59:59') is
 * 22, DAY 34), and every part carries the sign ('-01:02:03' gives HOUR -1, MINUTE -2).
 */
function timeExtract(context: Context, value: Typed, unit: string): string | undefined {
  const [first, last = first] = unit.split('_');
  const from = timeFields.findIndex((f) => f === first);
  const to = timeFields.findIndex((f) => f === last);
  if (from < 0 || to < from) return undefined;
  const duck = context.dialect === 'duckdb';
  const signed = duck
    ? `epoch_us(${asTime(context, value)})`
    : `exo_time_key(${asTime(context, value)})`;
  const divide = duck ? '//' : '/';
  const micros = `abs(${signed})`;
  const amounts: Readonly<Record<(typeof timeFields)[number], string>> = {
    DAY: `(${micros} ${divide} 86400000000)`,
    HOUR: `(${micros} ${divide} 3600000000 % 24)`,
    MINUTE: `(${micros} ${divide} 60000000 % 60)`,
    SECOND: `(${micros} ${divide} 1000000 % 60)`,
    MICROSECOND: `(${micros} % 1000000)`,
  };
  const terms: string[] = [];
  let weight = 1n;
  for (let i = to; i >= from; i--) {
    const field = timeFields[i] ?? 'DAY';
    terms.push(weight === 1n ? amounts[field] : `${amounts[field]} * ${weight}`);
    weight *= field === 'MICROSECOND' ? 1_000_000n : 100n;
  }
  return `(CASE WHEN ${signed} < 0 THEN -1 ELSE 1 END * CAST(${terms.join(' + ')} AS BIGINT))`;
}

export function translateExtract(context: Context, unit: string, value: Typed): Typed {
  const upper = unit.toUpperCase();
  const fromTime = value.type.type === 'time' ? timeExtract(context, value, upper) : undefined;
  return {
    sql: fromTime ?? zeroDatePart(context, value, upper, part(context, value, upper)),
    // MariaDB's widths: DAY/HOUR/MINUTE down to the microsecond need a BIGINT.
    type: /^(DAY|HOUR|MINUTE)_MICROSECOND$/.test(upper) ? bigintType : intType,
  };
}

function partFunction(unit: string): FunctionTable[string] {
  return define(1, 1, (context, args) => ({
    sql: zeroDatePart(context, arg(args, 0), unit, part(context, arg(args, 0), unit)),
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
    // YEARWEEK counts every week into a year, so modes 0, 1, 4, 5 behave like 2, 3, 6, 7.
    const mode = given === 0 ? 2 : given === 1 ? 3 : given === 4 ? 6 : given === 5 ? 7 : given;
    return {
      sql: `(${weekYear(context, arg(args, 0), mode)} * 100 + ${week(context, arg(args, 0), mode)})`,
      type: intType,
    };
  }),
  DAYNAME: define(1, 1, (context, args) => {
    const x = asTimestamp(context, arg(args, 0));
    const sql =
      context.dialect === 'duckdb' ? `dayname(${x})` : nameOf(dayNames, field(context, x, '%w'), 0);
    return { sql, type: formattedTextType(9) };
  }),
  MONTHNAME: define(1, 1, (context, args) => {
    const x = asTimestamp(context, arg(args, 0));
    const sql =
      context.dialect === 'duckdb'
        ? `monthname(${x})`
        : nameOf(monthNames, field(context, x, '%m'), 1);
    return { sql, type: formattedTextType(9) };
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
