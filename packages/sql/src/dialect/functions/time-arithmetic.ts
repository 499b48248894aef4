/**
 * TIME arithmetic (MySQL reference, "Date and Time Functions"): TIME_TO_SEC, SEC_TO_TIME,
 * TIMEDIFF, ADDTIME and SUBTIME. MySQL's TIME spans -838:59:59 to 838:59:59, wider than a
 * DuckDB TIME, so these compute in whole seconds and give MySQL's TIME text as a string
 * (a DuckDB TIME could not hold 26:02:03; MariaDB, too, types ADDTIME of strings as a string).
 */
import { asValue, toNumber } from '../coerce.js';
import type { Context } from '../context.js';
import {
  bigintType,
  datetimeType,
  isDateTime,
  isString,
  timeType,
  varcharType,
} from '../type-rules.js';

const timeTextType = varcharType(10);
/** A TIME or DATETIME as text (ADDTIME of a string): up to 'YYYY-MM-DD HH:MM:SS.ffffff'. */
const datetimeTextType = varcharType(26);
import type { Typed } from '../types.js';
import { arg, define, type FunctionTable } from './handler.js';
import { asTime, asTimestamp, constantDateTime } from './temporal.js';

/** Whole seconds of a TIME value (or a time string such as '-01:02:03' or '838:59:59'). */
function timeSeconds(context: Context, input: Typed): string {
  const value = asValue(context, input);
  if (context.dialect === 'sqlite') return `exo_time_seconds(${value.sql})`;
  if (value.type.type === 'time') return `CAST(floor(epoch(${value.sql})) AS BIGINT)`;
  if (isDateTime(value.type) || value.type.type === 'date')
    return `CAST(floor(epoch(${asTimestamp(context, value)})) AS BIGINT)`;
  // A datetime string reads as a timestamp (TIMEDIFF of two of them), other text or a number
  // as MySQL reads a TIME ('-01:02:03', '838:59:59', '1234' is 00:12:34).
  const text = isString(value.type) ? value.sql : `CAST(${value.sql} AS VARCHAR)`;
  return `CAST(floor(coalesce(epoch(TRY_CAST(${text} AS TIMESTAMP)), epoch(${asTime(context, value)}))) AS BIGINT)`;
}

/** MySQL's TIME text for a number of seconds: [-]H…H:MM:SS, clamped to ±838:59:59. */
function secondsText(context: Context, seconds: string): string {
  if (context.dialect === 'sqlite') return `exo_seconds_time(${seconds})`;
  // DuckDB's least/greatest skip NULLs, so NULL is kept explicitly.
  const clamped = `CASE WHEN ${seconds} IS NOT NULL THEN least(greatest(${seconds}, -3020399), 3020399) END`;
  return `(SELECT CASE WHEN s IS NULL THEN NULL ELSE printf('%s%02d:%02d:%02d', CASE WHEN s < 0 THEN '-' ELSE '' END, abs(s) // 3600, abs(s) % 3600 // 60, abs(s) % 60) END FROM (SELECT CAST(${clamped} AS BIGINT) AS s))`;
}

function shift(sign: 1 | -1): FunctionTable[string] {
  return define(2, 2, (context, args) => {
    const base = asValue(context, arg(args, 0));
    const delta = timeSeconds(context, arg(args, 1));
    const op = sign === 1 ? '+' : '-';
    if (isDateTime(base.type)) {
      const sql =
        context.dialect === 'duckdb'
          ? `(${asTimestamp(context, base)} ${op} to_seconds(${delta}))`
          : `datetime(${base.sql}, (${sign} * ${delta}) || ' seconds')`;
      return { sql, type: datetimeType(base.type.scale ?? 0) };
    }
    const timeText = secondsText(context, `(${timeSeconds(context, base)} ${op} ${delta})`);
    if (!isString(base.type)) return { sql: timeText, type: timeTextType };
    // A string with a date part is a datetime (MariaDB: ADDTIME('2024-01-01 23:00:00',
    // '02:00:00') is '2024-01-02 01:00:00'), as text.
    const constant = constantDateTime(base);
    const text = constant === undefined ? base.sql : `'${constant}'`;
    if (context.dialect === 'sqlite')
      return {
        sql: `(CASE WHEN ${text} GLOB '*[0-9]-*[0-9]-*[0-9]*' THEN datetime(${text}, (${sign} * ${delta}) || ' seconds') ELSE ${timeText} END)`,
        type: datetimeTextType,
      };
    const stamp = `(TRY_CAST(${text} AS TIMESTAMP) ${op} to_seconds(${delta}))`;
    return {
      sql: `(CASE WHEN regexp_matches(${text}, '^\\s*\\d+-\\d+-\\d+') THEN strftime(${stamp}, '%Y-%m-%d %H:%M:%S') ELSE ${timeText} END)`,
      type: datetimeTextType,
    };
  });
}

export const timeArithmeticFunctions: FunctionTable = {
  TIME_TO_SEC: define(1, 1, (context, args) => {
    // Of a datetime, its time of day (MariaDB reads the argument as a TIME).
    const value = asValue(context, arg(args, 0));
    const time =
      value.type.type === 'time' ? value : { sql: asTime(context, value), type: timeType };
    return { sql: timeSeconds(context, time), type: bigintType };
  }),
  SEC_TO_TIME: define(1, 1, (context, args) => {
    const seconds = toNumber(context, asValue(context, arg(args, 0))).sql;
    return { sql: secondsText(context, `floor(${seconds})`), type: timeTextType };
  }),
  TIMEDIFF: define(2, 2, (context, args) => {
    const difference = `(${timeSeconds(context, arg(args, 0))} - ${timeSeconds(context, arg(args, 1))})`;
    return { sql: secondsText(context, difference), type: timeTextType };
  }),
  ADDTIME: shift(1),
  SUBTIME: shift(-1),
};
