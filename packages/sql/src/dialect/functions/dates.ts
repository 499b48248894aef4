/** Date arithmetic, the clock functions, formatting and parsing (MySQL reference, "Date and Time Functions"). */
import { asValue, toNumber, toText } from '../coerce.js';
import { notSupported, quoteString, type Context } from '../context.js';
import {
  bigintType,
  dateType,
  datetimeType,
  decimalType,
  intType,
  isDateTime,
  isInteger,
  isNullLiteral,
  isString,
  timeType,
  timeTypeOf,
  varcharType,
  formattedTextType,
} from '../type-rules.js';
import { DUCK_ZERO, ZERO_DATE } from '../../zero-date.js';
import type { MyType, Typed } from '../types.js';
import { duckDateFormat, duckParseFormat, formatParts } from './date-format.js';
import { arg, constantString, define, type FunctionTable } from './handler.js';
import { asDate, asTimestamp, asTime, fractionDigitsOf, sqliteText } from './temporal.js';
import { duckTimeFormat } from './time-format.js';
import { translateCast } from '../cast.js';
import { timeArithmeticFunctions } from './time-arithmetic.js';
import { constantDateAdd } from './date-add-constant.js';
import { timeAdd } from './time-add.js';
import { isParamExpression } from '../params.js';
import { sessionZone, shiftTimestampSql } from '../time-zone.js';

/** The statement's clock, as 'YYYY-MM-DD HH:MM:SS'. */
function now(context: Context, utc: boolean): string {
  context.options.onVolatile?.();
  const given = utc ? (context.options.utcNow ?? context.options.now) : context.options.now;
  if (given !== undefined) return given;
  const iso = new Date().toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

function clock(kind: 'datetime' | 'date' | 'time', utc: boolean): FunctionTable[string] {
  return define(0, 1, (context) => {
    const value = now(context, utc);
    const duck = context.dialect === 'duckdb';
    if (kind === 'date') {
      const text = quoteString(value.slice(0, 10));
      return { sql: duck ? `DATE ${text}` : text, type: { ...dateType, nullable: false } };
    }
    if (kind === 'time') {
      const text = quoteString(value.slice(11, 19));
      return { sql: duck ? `INTERVAL ${text}` : text, type: { ...timeType, nullable: false } };
    }
    const text = quoteString(value.slice(0, 19));
    return {
      sql: duck ? `TIMESTAMP ${text}` : text,
      type: { ...datetimeType(0), nullable: false },
    };
  });
}

/** The first second past TIMESTAMP's range (2^31: 2038-01-19 03:14:08 UTC, MariaDB 10.11). */
const TIMESTAMP_END = 2147483648;

const dateUnits = new Set(['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'YEAR_MONTH']);

interface IntervalPart {
  readonly unit: 'MICROSECOND' | 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY' | 'MONTH' | 'YEAR';
  readonly amount: string;
}

const compoundUnits: Readonly<Record<string, readonly IntervalPart['unit'][]>> = {
  YEAR_MONTH: ['YEAR', 'MONTH'],
  DAY_HOUR: ['DAY', 'HOUR'],
  DAY_MINUTE: ['DAY', 'HOUR', 'MINUTE'],
  DAY_SECOND: ['DAY', 'HOUR', 'MINUTE', 'SECOND'],
  HOUR_MINUTE: ['HOUR', 'MINUTE'],
  HOUR_SECOND: ['HOUR', 'MINUTE', 'SECOND'],
  MINUTE_SECOND: ['MINUTE', 'SECOND'],
  SECOND_MICROSECOND: ['SECOND', 'MICROSECOND'],
  MINUTE_MICROSECOND: ['MINUTE', 'SECOND', 'MICROSECOND'],
  HOUR_MICROSECOND: ['HOUR', 'MINUTE', 'SECOND', 'MICROSECOND'],
  DAY_MICROSECOND: ['DAY', 'HOUR', 'MINUTE', 'SECOND', 'MICROSECOND'],
};

/** An interval as amounts of basic units; compound units need a constant 'a b:c' string. */
function intervalParts(context: Context, value: Typed, unit: string, sign: 1 | -1): IntervalPart[] {
  const compound = compoundUnits[unit];
  if (compound !== undefined) {
    const text =
      constantString(value) ??
      (value.constant === undefined ? undefined : String(value.constant.value));
    if (text === undefined) return notSupported(`INTERVAL ${unit} with a non-constant value`);
    const negative = text.trim().startsWith('-');
    const numbers = text.split(/[^0-9]+/).filter((n) => n !== '');
    const used = compound.slice(compound.length - numbers.length);
    const factor = (negative ? -1 : 1) * sign;
    // Microseconds are a fraction: '1.5' SECOND_MICROSECOND is 1.500000 s.
    const last = numbers.length - 1;
    const amounts = numbers.map((n, i) =>
      i === last && used[i] === 'MICROSECOND' && numbers.length > 1 ? n.padEnd(6, '0') : n,
    );
    // Years and months are added as one count of months: 2024-02-29 + '1-2' is 2025-04-29.
    if (unit === 'YEAR_MONTH') {
      const months = used.reduce(
        (total, u, i) => total + Number(amounts[i] ?? 0) * (u === 'YEAR' ? 12 : 1),
        0,
      );
      return [{ unit: 'MONTH', amount: String(factor * months) }];
    }
    return used.map((u, i) => ({ unit: u, amount: String(factor * Number(amounts[i] ?? 0)) }));
  }
  const read = toNumber(context, asValue(context, value)).sql;
  // Text is read as an integer, its fraction cut ('1.5' DAY is one day; 1.5 DAY two).
  const number =
    isString(value.type) && unit !== 'SECOND'
      ? context.dialect === 'duckdb'
        ? `trunc(${read})`
        : `CAST(${read} AS INTEGER)`
      : read;
  const scaled = (factor: number): string => (factor === 1 ? number : `(${number}) * ${factor}`);
  // Times -1 rather than a unary minus: DuckDB negates an unsigned TINYINT within its own type.
  const signed = (sql: string): string => (sign === 1 ? sql : `(${sql}) * -1`);
  switch (unit) {
    case 'MICROSECOND':
    case 'MINUTE':
    case 'HOUR':
    case 'DAY':
    case 'MONTH':
    case 'YEAR':
      return [{ unit, amount: signed(number) }];
    case 'SECOND':
      return [{ unit: 'MICROSECOND', amount: signed(secondsAsMicros(context, value, number)) }];
    case 'WEEK':
      return [{ unit: 'DAY', amount: signed(scaled(7)) }];
    case 'QUARTER':
      return [{ unit: 'MONTH', amount: signed(scaled(3)) }];
    default:
      return notSupported(`INTERVAL unit ${unit}`);
  }
}

/**
 * Seconds with a fraction as whole microseconds, the rest cut as MariaDB cuts it
 * (1.123456789 SECOND is 1.123456 s): the amount is first read to nanoseconds, so a DOUBLE
 * like 2.3 (2.29999…) keeps .300000.
 */
function secondsAsMicros(context: Context, value: Typed, number: string): string {
  const type = asValue(context, value).type.type;
  if (type !== 'decimal' && type !== 'double' && type !== 'float' && !isString(value.type))
    return `(${number}) * 1000000`;
  if (type === 'decimal' && context.dialect === 'duckdb')
    return `trunc(CAST(${number} AS DECIMAL(38, 9)) * 1000000)`;
  const nanos = `round((${number}) * 1000000000)`;
  return context.dialect === 'duckdb'
    ? `trunc(${nanos} / 1000)`
    : `CAST(${nanos} / 1000 AS INTEGER)`;
}

const duckIntervalFunctions: Readonly<Record<IntervalPart['unit'], string>> = {
  MICROSECOND: 'to_microseconds',
  SECOND: 'to_seconds',
  MINUTE: 'to_minutes',
  HOUR: 'to_hours',
  DAY: 'to_days',
  MONTH: 'to_months',
  YEAR: 'to_years',
};

const sqliteModifiers: Readonly<Record<IntervalPart['unit'], string>> = {
  MICROSECOND: 'seconds',
  SECOND: 'seconds',
  MINUTE: 'minutes',
  HOUR: 'hours',
  DAY: 'days',
  MONTH: 'months',
  YEAR: 'years',
};

/**
 * DATE_ADD and friends. Month and year steps clamp to the month's last day as MySQL does
 * (DuckDB's interval arithmetic does; SQLite needs its 'floor' modifier).
 */
export function dateAdd(context: Context, base: Typed, interval: Typed, sign: 1 | -1): Typed {
  const unit = interval.intervalUnit ?? 'DAY';
  const value = asValue(context, base);
  // An interval of microseconds gives the result all six fraction digits; of seconds, those of
  // its amount (INTERVAL 1.5 SECOND one, '1.5' six, as MariaDB).
  const intervalDigits = unit.endsWith('MICROSECOND')
    ? 6
    : unit === 'SECOND'
      ? secondFractionDigits(context, interval)
      : 0;
  if (value.type.type === 'time')
    return timeAdd(context, value, intervalParts(context, interval, unit, sign), intervalDigits);
  const folded = constantDateAdd(context, base, interval, unit, sign);
  if (folded !== undefined) return folded;
  const parts = intervalParts(context, interval, unit, sign);
  const dateOnly = dateUnits.has(unit) || unit === 'YEAR_MONTH';
  const text = isString(value.type) ? constantString(value) : undefined;
  const looksDate = value.type.type === 'date' || (text !== undefined && !text.includes(':'));
  const resultIsDate = dateOnly && looksDate;
  // Text known only when the statement runs (a column, a parameter): a date-only step of a
  // date without a time of day gives a date's text, as MariaDB decides row by row; other
  // results show six fraction digits for text read from a column (its precision is unknown),
  // those of a constant's text (computed without a column: its value's; a parameter's value
  // is a constant when the statement runs), or the interval's if more, as MariaDB does.
  const dateText =
    dateOnly && isString(value.type) && text === undefined
      ? `instr(${value.sql}, ':') = 0`
      : undefined;
  const textDigits: number | string =
    text !== undefined
      ? (/\.(\d+)$/.exec(text)?.[1]?.length ?? 0)
      : isString(value.type) && !isParamExpression(value.sql)
        ? readsColumn(value.sql)
          ? 6
          : fractionDigitsSql(value.sql)
        : 0;
  const resultType: MyType = isString(value.type)
    ? varcharType(29)
    : resultIsDate
      ? dateType
      : datetimeType(
          Math.min(
            6,
            Math.max(intervalDigits, isDateTime(value.type) ? (value.type.scale ?? 0) : 0),
          ),
        );
  if (context.dialect === 'duckdb') {
    let sql = asTimestamp(context, value);
    for (const p of parts) {
      // An amount beyond BIGINT is NULL, as MariaDB's result out of range.
      const amount = `TRY_CAST(round(${p.amount}) AS BIGINT)`;
      sql = `(${sql} + ${duckIntervalFunctions[p.unit]}(${amount}))`;
    }
    // Out of years 1…9999 is NULL, as MariaDB's "datetime field overflow" (0…9999 when
    // only months are added).
    const first = parts.every((p) => p.unit === 'MONTH' || p.unit === 'YEAR') ? 0 : 1;
    sql = `(CASE WHEN year(${sql}) BETWEEN ${first} AND 9999 THEN ${sql} END)`;
    if (resultIsDate)
      return {
        sql: isString(value.type) ? `strftime(${sql}, '%Y-%m-%d')` : `CAST(${sql} AS DATE)`,
        type: resultType,
      };
    if (isString(value.type)) {
      // A string result shows microseconds when the interval or the string has them.
      const whole = `strftime(${sql}, '%Y-%m-%d %H:%M:%S')`;
      const cut = (digits: number | string): string =>
        `substr(strftime(${sql}, '%Y-%m-%d %H:%M:%S.%f'), 1, 20 + ${digits})`;
      let datetime: string;
      if (typeof textDigits === 'string') {
        const digits = `least(6, greatest(${intervalDigits}, ${textDigits}))`;
        datetime = `(CASE WHEN ${digits} = 0 THEN ${whole} ELSE ${cut(digits)} END)`;
      } else {
        const digits = Math.min(6, Math.max(intervalDigits, textDigits));
        datetime = digits === 0 ? whole : cut(digits);
      }
      return {
        sql:
          dateText === undefined
            ? datetime
            : `(CASE WHEN ${dateText} THEN strftime(${sql}, '%Y-%m-%d') ELSE ${datetime} END)`,
        type: resultType,
      };
    }
    return { sql, type: resultType };
  }
  const digits: number | string = isString(value.type)
    ? typeof textDigits === 'string'
      ? `max(${intervalDigits}, ${textDigits})`
      : Math.max(intervalDigits, textDigits)
    : resultIsDate
      ? 0
      : (resultType.scale ?? 0);
  const modifiers = parts.map((p) => {
    if (p.unit === 'MICROSECOND') return `((${p.amount}) / 1000000.0) || ' seconds'`;
    const step = `CAST(round(${p.amount}) AS INTEGER) || ' ${sqliteModifiers[p.unit]}'`;
    return p.unit === 'MONTH' || p.unit === 'YEAR' ? `${step}, 'floor'` : step;
  });
  const added = (name: string): string => `${name}(${sqliteText(value)}, ${modifiers.join(', ')})`;
  const datetime = sqliteDateAdd(value, parts, digits) ?? added(resultIsDate ? 'date' : 'datetime');
  return {
    sql:
      dateText === undefined
        ? datetime
        : `(CASE WHEN ${dateText} THEN ${added('date')} ELSE ${datetime} END)`,
    type: resultType,
  };
}

/** SQLite's datetime() drops fractional seconds: with `digits`, `datetime-add.ts` keeps them. */
function sqliteDateAdd(
  value: Typed,
  parts: readonly { readonly unit: string; readonly amount: string }[],
  digits: number | string,
): string | undefined {
  if (digits === 0) return undefined;
  const months = parts.filter((p) => p.unit === 'MONTH' || p.unit === 'YEAR');
  const times = parts.filter((p) => p.unit !== 'MONTH' && p.unit !== 'YEAR');
  const monthSql = months.map((p) => `round(${p.amount}) * ${p.unit === 'YEAR' ? 12 : 1}`);
  const microSql = times.map((p) =>
    p.unit === 'MICROSECOND'
      ? `(${p.amount})`
      : `round(${p.amount}) * ${microsecondsPer[p.unit] ?? 0}`,
  );
  const sum = (terms: string[]): string => (terms.length === 0 ? '0' : terms.join(' + '));
  const limited = typeof digits === 'number' ? Math.min(6, digits) : `min(6, ${digits})`;
  return `exo_datetime_add(${sqliteText(value)}, ${sum(monthSql)}, ${sum(microSql)}, ${limited})`;
}

/** Whether engine SQL reads a column (the translator double-quotes every identifier). */
function readsColumn(sql: string): boolean {
  return sql.includes('"');
}

/**
 * The fraction digits of a date and time held as text, row by row: those after a '.' that
 * follows the time's ':' ('2024-03-10 10:20:30.50' has 2), none without one.
 */
function fractionDigitsSql(text: string): string {
  return `(CASE WHEN instr(${text}, ':') > 0 AND instr(${text}, '.') > instr(${text}, ':') THEN length(rtrim(substr(${text}, instr(${text}, '.') + 1))) ELSE 0 END)`;
}

/**
 * An INTERVAL as a length of time, for a RANGE frame's bound: DuckDB's INTERVAL value; on
 * SQLite a number of microseconds written out, since SQLite takes no function call in a frame
 * offset: a constant of fixed length (no months or years).
 */
export function intervalLength(context: Context, interval: Typed): string {
  const unit = interval.intervalUnit ?? 'DAY';
  const parts = intervalParts(context, interval, unit, 1);
  if (context.dialect === 'duckdb')
    return `(${parts.map((p) => `${duckIntervalFunctions[p.unit]}(TRY_CAST(round(${p.amount}) AS BIGINT))`).join(' + ')})`;
  const given = interval.constant?.value;
  const amount =
    typeof given === 'string' && unit !== 'SECOND'
      ? Math.trunc(Number(given))
      : unit === 'SECOND' || unit === 'MICROSECOND'
        ? Number(given)
        : Math.round(Number(given));
  const micros =
    compoundUnits[unit] === undefined
      ? amount * (microsecondsPer[unit] ?? Number.NaN)
      : parts.reduce(
          (sum, p) => sum + Number(p.amount) * (microsecondsPer[p.unit] ?? Number.NaN),
          0,
        );
  if (!Number.isFinite(micros) || micros < 0)
    return notSupported(
      'a RANGE frame over a rowstore table other than a constant of days, hours, minutes or seconds',
      context.dialect,
    );
  return String(Math.round(micros));
}

/** The fraction digits an INTERVAL … SECOND amount brings: a DECIMAL's scale, 6 for text and DOUBLE. */
function secondFractionDigits(context: Context, interval: Typed): number {
  const value = asValue(context, interval);
  if (isString(value.type)) {
    const text = constantString(value);
    return text === undefined || text.includes('.') ? 6 : 0;
  }
  if (value.type.type === 'double' || value.type.type === 'float') return 6;
  return value.type.type === 'decimal' ? (value.type.scale ?? 0) : 0;
}

function dateAddFunction(sign: 1 | -1): FunctionTable[string] {
  return define(2, 2, (context, args) => {
    const interval = arg(args, 1);
    const withUnit =
      interval.intervalUnit === undefined ? { ...interval, intervalUnit: 'DAY' } : interval;
    return dateAdd(context, arg(args, 0), withUnit, sign);
  });
}

const microsecondsPer: Readonly<Record<string, number>> = {
  MICROSECOND: 1,
  SECOND: 1_000_000,
  MINUTE: 60_000_000,
  HOUR: 3_600_000_000,
  DAY: 86_400_000_000,
  WEEK: 604_800_000_000,
};
const monthsPer: Readonly<Record<string, number>> = { MONTH: 1, QUARTER: 3, YEAR: 12 };

/** TIMESTAMPDIFF counts whole units from a to b, truncating toward zero. */
function timestampDiff(context: Context, unit: string, from: Typed, to: Typed): Typed {
  if (context.dialect === 'sqlite') {
    return {
      sql: `exo_timestampdiff('${unit}', ${asTimestamp(context, from)}, ${asTimestamp(context, to)})`,
      type: bigintType,
    };
  }
  const a = asTimestamp(context, from);
  const b = asTimestamp(context, to);
  const micro = microsecondsPer[unit];
  if (micro !== undefined)
    return { sql: `((epoch_us(${b}) - epoch_us(${a})) // ${micro})`, type: bigintType };
  const months = monthsPer[unit];
  if (months === undefined) return notSupported(`TIMESTAMPDIFF unit ${unit}`);
  const raw = `((year(${b}) - year(${a})) * 12 + month(${b}) - month(${a}))`;
  const restA = `strftime(${a}, '%d%H%M%S%f')`;
  const restB = `strftime(${b}, '%d%H%M%S%f')`;
  const whole = `(CASE WHEN ${raw} > 0 AND ${restB} < ${restA} THEN ${raw} - 1 WHEN ${raw} < 0 AND ${restB} > ${restA} THEN ${raw} + 1 ELSE ${raw} END)`;
  return { sql: months === 1 ? whole : `(${whole} // ${months})`, type: bigintType };
}

function unitName(value: Typed): string {
  return (constantString(value) ?? value.sql).replaceAll("'", '').toUpperCase();
}

function dateFormat(context: Context, value: Typed, format: Typed): string {
  const text = constantString(format);
  if (context.dialect === 'sqlite')
    return `exo_date_format(${asTimestamp(context, value)}, ${toText(context, format).sql})`;
  // A NULL format gives NULL.
  if (isNullLiteral(format)) return 'CAST(NULL AS VARCHAR)';
  if (text === undefined)
    return notSupported('DATE_FORMAT with a non-constant format', context.dialect);
  // An empty format gives NULL (MariaDB).
  if (text === '') return 'CAST(NULL AS VARCHAR)';
  return duckDateFormat(asTimestamp(context, value), text);
}

/** TIME_FORMAT: a TIME keeps its sign and all its hours; other values format as DATE_FORMAT. */
function timeFormat(context: Context, value: Typed, format: Typed): string {
  const text = constantString(format);
  const isTime = value.type.type === 'time' || isString(value.type);
  if (context.dialect === 'sqlite' || text === undefined || !isTime)
    return dateFormat(context, value, format);
  return duckTimeFormat(asTime(context, value), text);
}

export const dateFunctions: FunctionTable = {
  NOW: clock('datetime', false),
  CURRENT_TIMESTAMP: clock('datetime', false),
  LOCALTIME: clock('datetime', false),
  LOCALTIMESTAMP: clock('datetime', false),
  SYSDATE: clock('datetime', false),
  CURDATE: clock('date', false),
  CURRENT_DATE: clock('date', false),
  CURTIME: clock('time', false),
  CURRENT_TIME: clock('time', false),
  UTC_TIMESTAMP: clock('datetime', true),
  UTC_DATE: clock('date', true),
  UTC_TIME: clock('time', true),
  DATE_ADD: dateAddFunction(1),
  ADDDATE: dateAddFunction(1),
  DATE_SUB: dateAddFunction(-1),
  SUBDATE: dateAddFunction(-1),
  TIMESTAMPADD: define(3, 3, (context, args) =>
    dateAdd(context, arg(args, 2), { ...arg(args, 1), intervalUnit: unitName(arg(args, 0)) }, 1),
  ),
  TIMESTAMPDIFF: define(3, 3, (context, args) =>
    timestampDiff(context, unitName(arg(args, 0)), arg(args, 1), arg(args, 2)),
  ),
  DATEDIFF: define(2, 2, (context, args) => {
    const a = asDate(context, arg(args, 0));
    const b = asDate(context, arg(args, 1));
    const sql =
      context.dialect === 'duckdb'
        ? `date_diff('day', ${b}, ${a})`
        : `CAST(julianday(${a}) - julianday(${b}) AS INTEGER)`;
    return { sql, type: intType };
  }),
  DATE_FORMAT: define(2, 2, (context, args) => ({
    sql: dateFormat(context, arg(args, 0), arg(args, 1)),
    type: formattedTextType(64),
  })),
  TIME_FORMAT: define(2, 2, (context, args) => ({
    sql: timeFormat(context, arg(args, 0), arg(args, 1)),
    type: formattedTextType(64),
  })),
  STR_TO_DATE: define(2, 2, (context, args) => {
    const s = toText(context, arg(args, 0)).sql;
    const format = constantString(arg(args, 1));
    if (format === undefined) return notSupported('STR_TO_DATE with a non-constant format');
    const parts = formatParts(format);
    const type = parts.hasDate
      ? parts.hasTime
        ? datetimeType(format.includes('%f') ? 6 : 0)
        : dateType
      : timeType;
    if (context.dialect === 'sqlite')
      return { sql: `exo_str_to_date(${s}, ${quoteString(format)})`, type };
    const parsed = duckParseFormat(context, format);
    const sql = `try_strptime(${s}, ${quoteString(parsed.format)})`;
    if (!parts.hasDate) return { sql: `CAST(${sql} AS TIME)`, type };
    return { sql: parts.hasTime ? sql : `CAST(${sql} AS DATE)`, type };
  }),
  UNIX_TIMESTAMP: define(0, 1, (context, args) => {
    if (args.length === 0)
      return {
        sql: String(Math.floor(Date.parse(`${now(context, true).replace(' ', 'T')}Z`) / 1000)),
        type: bigintType,
      };
    const value = arg(args, 0);
    // The value is the session's local time.
    const x = shiftTimestampSql(
      context.dialect,
      asTimestamp(context, value),
      -sessionZone(context),
    );
    // Outside TIMESTAMP's range (before 1970, after 2038-01-19 03:14:07.999999 UTC) the answer
    // is NULL, as in MariaDB 10.11; a value with a fraction keeps its digits (DECIMAL).
    const text = constantString(value);
    const scale = Math.min(
      6,
      isDateTime(value.type)
        ? (value.type.scale ?? 0)
        : text === undefined
          ? 0
          : (/\.(\d+)$/.exec(text)?.[1]?.length ?? 0),
    );
    if (context.dialect === 'sqlite' && scale > 0) {
      const seconds = `unixepoch(${x}, 'subsec')`;
      return {
        sql: `(CASE WHEN ${seconds} < 0 OR ${seconds} >= ${TIMESTAMP_END} THEN NULL ELSE round(${seconds}, ${scale}) END)`,
        type: decimalType(17 + scale, scale),
      };
    }
    if (scale === 0) {
      const seconds =
        context.dialect === 'duckdb' ? `CAST(floor(epoch(${x})) AS BIGINT)` : `unixepoch(${x})`;
      return {
        sql: `(CASE WHEN ${seconds} < 0 OR ${seconds} >= ${TIMESTAMP_END} THEN NULL ELSE ${seconds} END)`,
        type: bigintType,
      };
    }
    const exact = `CAST(CAST(epoch_us(${x}) AS DECIMAL(38,0)) / 1000000 AS DECIMAL(${17 + scale},${scale}))`;
    return {
      sql: `(CASE WHEN epoch_us(${x}) < 0 OR epoch_us(${x}) >= ${TIMESTAMP_END}000000 THEN NULL ELSE ${exact} END)`,
      type: decimalType(17 + scale, scale),
    };
  }),
  FROM_UNIXTIME: define(1, 2, (context, args) => {
    const number = toNumber(context, asValue(context, arg(args, 0)));
    const seconds = number.sql;
    const duck = context.dialect === 'duckdb';
    // A DECIMAL argument keeps its fraction digits (at most 6); one outside TIMESTAMP's range
    // (negative, or 2^31 and past) gives NULL.
    const scale = number.type.type === 'decimal' ? Math.min(6, number.type.scale ?? 0) : 0;
    const timestamp = duck
      ? `make_timestamp(CAST(round(CAST(${seconds} AS DECIMAL(38,6)) * 1000000) AS BIGINT))`
      : scale > 0
        ? `exo_datetime(strftime('%Y-%m-%d %H:%M:%f', ${seconds}, 'unixepoch'), ${scale})`
        : `datetime(${seconds}, 'unixepoch')`;
    // The answer is the session's local time.
    const local = shiftTimestampSql(context.dialect, timestamp, sessionZone(context));
    const sql = `(CASE WHEN ${seconds} < 0 OR ${seconds} >= ${TIMESTAMP_END} THEN NULL ELSE ${local} END)`;
    const value: Typed = { sql, type: datetimeType(scale) };
    if (args[1] === undefined) return value;
    return { sql: dateFormat(context, value, args[1]), type: formattedTextType(64) };
  }),
  LAST_DAY: define(1, 1, (context, args) => {
    const d = asDate(context, arg(args, 0));
    return {
      sql:
        context.dialect === 'duckdb'
          ? `last_day(${d})`
          : `date(${d}, 'start of month', '+1 month', '-1 day')`,
      type: dateType,
    };
  }),
  MAKEDATE: define(2, 2, (context, args) => {
    const year = toNumber(context, asValue(context, arg(args, 0))).sql;
    const day = toNumber(context, asValue(context, arg(args, 1))).sql;
    if (context.dialect === 'duckdb') {
      return {
        sql: `(CASE WHEN ${day} > 0 THEN make_date(CAST(${year} AS INTEGER), 1, 1) + CAST(${day} - 1 AS INTEGER) END)`,
        type: dateType,
      };
    }
    return {
      sql: `(CASE WHEN ${day} > 0 THEN date(printf('%04d-01-01', ${year}), (CAST(${day} AS INTEGER) - 1) || ' days') END)`,
      type: dateType,
    };
  }),
  DATE: define(1, 1, (context, args) => ({ sql: asDate(context, arg(args, 0)), type: dateType })),
  // TIMESTAMP(expr): the value as a DATETIME (MySQL's one-argument form).
  TIMESTAMP: define(1, 2, (context, args, call) => {
    const value = arg(args, 0);
    // Text brings six fraction digits, a constant those it is written with (MariaDB).
    const scale = fractionDigitsOf(value);
    const datetime = translateCast(context, value, { name: 'DATETIME', scale });
    const time = args[1];
    if (time === undefined) return datetime;
    // TIMESTAMP(expr, time) adds the time to the datetime.
    const addTime = timeArithmeticFunctions['ADDTIME'];
    if (addTime === undefined) throw new Error('ADDTIME is not defined');
    return addTime.run(context, [datetime, time], call);
  }),
  TIME: define(1, 1, (context, args) => {
    // TIME(x) keeps x's fraction digits (MariaDB: TIME('… 10:00:00.123456') is TIME(6)).
    const value = arg(args, 0);
    const given = constantString(value);
    const scale =
      value.type.type === 'time' || isDateTime(value.type)
        ? (value.type.scale ?? 0)
        : value.type.type === 'date' || isInteger(value.type)
          ? 0
          : given !== undefined
            ? Math.min(6, given.includes('.') ? given.length - given.indexOf('.') - 1 : 0)
            : 6;
    const type = timeTypeOf(scale);
    if (context.dialect === 'duckdb') return { sql: asTime(context, value), type };
    return { sql: `exo_time(${asValue(context, value).sql}, ${scale})`, type };
  }),
  FROM_DAYS: define(1, 1, (context, args) => {
    // Days before 0001-01-01 give the zero date (MariaDB).
    const n = toNumber(context, asValue(context, arg(args, 0))).sql;
    const sql =
      context.dialect === 'duckdb'
        ? `(CASE WHEN ${n} < 366 THEN DATE '${DUCK_ZERO}' ELSE DATE '0001-01-01' + CAST(${n} - 366 AS INTEGER) END)`
        : `(CASE WHEN ${n} < 366 THEN '${ZERO_DATE}' ELSE date(julianday('0001-01-01') + (${n}) - 366) END)`;
    return { sql, type: dateType };
  }),
};
