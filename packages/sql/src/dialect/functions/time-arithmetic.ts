/**
 * TIME arithmetic (MySQL reference, "Date and Time Functions"): TIME_TO_SEC, SEC_TO_TIME,
 * TIMEDIFF, ADDTIME and SUBTIME, computed in signed microseconds as MariaDB computes them:
 * - a TIME result is a TIME (DuckDB keeps it as an INTERVAL, SQLite as text) clamped to
 *   ±838:59:59.999999 and cut to its fraction digits, the most of its arguments' (a constant
 *   string's as written, other text and DOUBLEs 6);
 * - ADDTIME/SUBTIME of a DATE or DATETIME is a DATETIME; of a string it is text, a datetime when
 *   the string has a date part, with six fraction digits when the result has a fraction;
 * - TIMEDIFF of values of different kinds (a DATETIME and a DATE or a TIME) is NULL.
 */
import { TIME_MICROS_MAX } from '../time-text.js';
import { asValue, toNumber, toText } from '../coerce.js';
import type { Context } from '../context.js';
import {
  bigintType,
  datetimeType,
  decimalType,
  isDateTime,
  isNull,
  isString,
  timeTypeOf,
  varcharType,
} from '../type-rules.js';
import type { Typed } from '../types.js';
import { arg, constantString, define, type FunctionTable } from './handler.js';
import { asTime, asTimestamp, constantDateTime, fractionDigitsOf, sqliteText } from './temporal.js';

/** A TIME or DATETIME as text (ADDTIME of a string): up to 'YYYY-MM-DD HH:MM:SS.ffffff'. */
const datetimeTextType = varcharType(26);

type Kind = 'time' | 'date' | 'datetime';

/** The kind of temporal value MariaDB reads an argument as; undefined for text read at run time. */
function kindOf(value: Typed): Kind | undefined {
  const t = value.type;
  if (t.type === 'time') return 'time';
  if (t.type === 'date') return 'date';
  if (isDateTime(t)) return 'datetime';
  if (!isString(t)) return isNull(t) ? undefined : 'time';
  const text = constantString(value);
  if (text === undefined) return undefined;
  const datetime = constantDateTime(value);
  if (datetime === undefined) return 'time';
  return /^\s*\d+[^\d\s]\d+[^\d\s]\d+\s*$/.test(text) ? 'date' : 'datetime';
}

/** Signed microseconds of a value read as a TIME (a datetime gives its time of day). */
function timeMicros(context: Context, value: Typed): string {
  if (context.dialect === 'duckdb') return `epoch_us(${asTime(context, value)})`;
  const v = asValue(context, value);
  return `exo_time_key(${v.type.type === 'time' ? v.sql : `exo_time(${v.sql}, 6)`})`;
}

/** Signed microseconds since 1970 of a value read as a DATETIME. */
function datetimeMicros(context: Context, value: Typed): string {
  if (context.dialect === 'duckdb') return `epoch_us(${asTimestamp(context, value)})`;
  return `exo_datetime_micros(${sqliteText(asValue(context, value))})`;
}

/** Text read as a datetime when it is one, else as a TIME (TIMEDIFF of two strings). */
function runtimeMicros(context: Context, value: Typed): string {
  const text = asValue(context, value).sql;
  if (context.dialect === 'sqlite') return `exo_temporal_micros(${text})`;
  return `coalesce(epoch_us(TRY_CAST(${text} AS TIMESTAMP)), ${timeMicros(context, value)})`;
}

function microsOf(context: Context, value: Typed, kind: Kind | undefined): string {
  if (kind === undefined) return runtimeMicros(context, value);
  return kind === 'time' ? timeMicros(context, value) : datetimeMicros(context, value);
}

/** Microseconds as a TIME(scale), clamped to MySQL's range and cut to the fraction digits. */
function timeOf(context: Context, micros: string, scale: number): Typed {
  const type = timeTypeOf(scale);
  if (context.dialect === 'sqlite')
    return {
      sql: `exo_micros_time(min(max(${micros}, -${TIME_MICROS_MAX}), ${TIME_MICROS_MAX}), ${scale})`,
      type,
    };
  // DuckDB's least/greatest skip NULLs, so NULL is kept explicitly. The value is bound once
  // by a one-element list's lambda (a subquery could not stand inside other functions' lambdas).
  const clamped = `CASE WHEN exo_m IS NOT NULL THEN least(greatest(exo_m, -${TIME_MICROS_MAX}), ${TIME_MICROS_MAX}) END`;
  const unit = 10 ** (6 - scale);
  const cut = scale >= 6 ? clamped : `trunc((${clamped}) / ${unit}) * ${unit}`;
  return {
    sql: `list_transform([CAST(${micros} AS BIGINT)], exo_m -> to_microseconds(CAST(${cut} AS BIGINT)))[1]`,
    type,
  };
}

/** Microseconds since 1970 as a DATETIME(scale); past year 9999 NULL. */
function datetimeOf(context: Context, micros: string, scale: number): Typed {
  const type = datetimeType(scale);
  if (context.dialect === 'sqlite')
    return { sql: `exo_micros_datetime(${micros}, ${scale})`, type };
  const stamp = `(TIMESTAMP '1970-01-01' + to_microseconds(CAST(${micros} AS BIGINT)))`;
  return {
    sql: `list_transform([${stamp}], exo_s -> CASE WHEN exo_s < TIMESTAMP '10000-01-01' THEN exo_s END)[1]`,
    type,
  };
}

function shift(sign: 1 | -1): FunctionTable[string] {
  return define(2, 2, (context, args) => {
    const base = asValue(context, arg(args, 0));
    const deltaArg = arg(args, 1);
    const delta = timeMicros(context, deltaArg);
    const op = sign === 1 ? '+' : '-';
    const deltaDigits = isNull(deltaArg.type) ? 6 : fractionDigitsOf(deltaArg);
    const scale = Math.max(fractionDigitsOf(base), deltaDigits);
    if (base.type.type === 'date' || isDateTime(base.type))
      return datetimeOf(context, `(${datetimeMicros(context, base)} ${op} ${delta})`, scale);
    if (!isString(base.type) && !isNull(base.type))
      return timeOf(context, `(${timeMicros(context, base)} ${op} ${delta})`, scale);
    // Text: a datetime when it has a date part (MariaDB: ADDTIME('2024-01-01 23:00:00',
    // '02:00:00') is '2024-01-02 01:00:00'), else a TIME; six digits when a fraction remains.
    // The text and the delta are bound once, so nested calls do not repeat them.
    if (isNull(base.type)) return { sql: 'CAST(NULL AS VARCHAR)', type: datetimeTextType };
    const duck = context.dialect === 'duckdb';
    const [b, d] = duck ? ['exo_v.b', 'exo_v.d'] : ['exo_b', 'exo_d'];
    const constant = constantDateTime(base);
    const bound: Typed = base.constant === undefined ? { sql: b, type: base.type } : base;
    const text = constant === undefined ? bound.sql : `'${constant}'`;
    const timeSum = `(${timeMicros(context, bound)} ${op} ${d})`;
    const stampSum = `(${runtimeMicros(context, bound)} ${op} ${d})`;
    if (!duck) {
      const binding = `(SELECT ${base.sql} AS exo_b, ${delta} AS exo_d)`;
      const time = `exo_micros_time(min(max(${timeSum}, -${TIME_MICROS_MAX}), ${TIME_MICROS_MAX}), -1)`;
      return {
        sql: `(SELECT CASE WHEN ${text} GLOB '*[0-9]-*[0-9]-*[0-9]*' THEN exo_micros_datetime(${stampSum}, -1) ELSE ${time} END FROM ${binding})`,
        type: datetimeTextType,
      };
    }
    const asText = (value: Typed): string =>
      `regexp_replace(${toText(context, value).sql}, '\\.0{6}$', '')`;
    const time = asText(timeOf(context, timeSum, 6));
    const stamp = asText(datetimeOf(context, stampSum, 6));
    return {
      sql: `list_transform([{'b': ${base.sql}, 'd': ${delta}}], exo_v -> CASE WHEN regexp_matches(${text}, '^\\s*\\d+-\\d+-\\d+') THEN ${stamp} ELSE ${time} END)[1]`,
      type: datetimeTextType,
    };
  });
}

export const timeArithmeticFunctions: FunctionTable = {
  TIME_TO_SEC: define(1, 1, (context, args) => {
    // Of a datetime, its time of day (MariaDB reads the argument as a TIME); with a fraction,
    // a DECIMAL with the argument's digits.
    const value = asValue(context, arg(args, 0));
    const micros = timeMicros(context, value);
    const scale = fractionDigitsOf(value);
    if (scale === 0) {
      const whole =
        context.dialect === 'duckdb'
          ? `(${micros} // 1000000)`
          : `CAST(${micros} / 1000000 AS INTEGER)`;
      return { sql: whole, type: bigintType };
    }
    const type = decimalType(15 + scale, scale);
    const sql =
      context.dialect === 'duckdb'
        ? `CAST(CAST(${micros} AS DECIMAL(18,0)) / 1000000 AS DECIMAL(${15 + scale},${scale}))`
        : `(${micros} / 1000000.0)`;
    return { sql, type };
  }),
  SEC_TO_TIME: define(1, 1, (context, args) => {
    const value = asValue(context, arg(args, 0));
    const seconds = toNumber(context, value).sql;
    const limit = TIME_MICROS_MAX + 1;
    // Clamped before it becomes an integer (SEC_TO_TIME(1e300) is 838:59:59.999999).
    const micros = `trunc(least(greatest(${seconds} * 1000000.0, -${limit}), ${limit}))`;
    const kept = context.dialect === 'duckdb' ? micros : `(${seconds} * 1000000.0)`;
    const guarded = `(CASE WHEN ${seconds} IS NOT NULL THEN ${kept} END)`;
    // Text reads as a DOUBLE here, with six digits (MariaDB: SEC_TO_TIME('1.5') is 00:00:01.500000).
    return timeOf(context, guarded, isString(value.type) ? 6 : fractionDigitsOf(value));
  }),
  TIMEDIFF: define(2, 2, (context, args) => {
    const [first, second] = [arg(args, 0), arg(args, 1)];
    const scale = Math.max(fractionDigitsOf(first), fractionDigitsOf(second));
    const kinds = [kindOf(first), kindOf(second)];
    const [a, b] = kinds;
    if (
      a !== undefined &&
      b !== undefined &&
      a !== b &&
      !isNull(first.type) &&
      !isNull(second.type)
    )
      return timeOf(context, 'NULL', scale);
    // Text read at run time takes the other argument's kind when that is known.
    const left = microsOf(context, first, a ?? b);
    const right = microsOf(context, second, b ?? a);
    return timeOf(context, `(${left} - ${right})`, scale);
  }),
  ADDTIME: shift(1),
  SUBTIME: shift(-1),
};
