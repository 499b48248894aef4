/** CAST/CONVERT with MySQL's conversion rules (MySQL 8.0 reference, "Cast Functions"). */
import { duckDateLiteral } from '../zero-date.js';
import type { DataType } from '../parser/ast-expr.js';
import { notSupported, type Context } from './context.js';
import { asValue, hexNumber, toNumber, toText } from './coerce.js';
import { binaryText } from './compare.js';
import { asTime, constantDateTime } from './functions/temporal.js';
import {
  bigintType,
  dateType,
  datetimeType,
  decimalType,
  doubleType,
  isFloat,
  isInteger,
  isNullLiteral,
  isString,
  jsonType,
  formattedTextType,
  timeTypeOf,
} from './type-rules.js';
import type { MyType, Typed } from './types.js';
import { membersOf } from './members.js';
import { RAISE_PREFIX } from './functions/write-checks.js';

/** The largest single-precision value. */
const FLOAT_MAX = '3.4028234663852886e38';

/** The widest DECIMAL DuckDB holds. */
const DUCK_DECIMAL_DIGITS = 38;

/** A DuckDB TIME (an INTERVAL of microseconds) cut to `scale` fraction digits. */
export function truncateMicros(interval: string, scale: number): string {
  if (scale >= 6) return interval;
  const unit = 10 ** (6 - scale);
  return `to_microseconds(CAST(trunc(epoch_us(${interval}) / ${unit}) * ${unit} AS BIGINT))`;
}

/** MySQL rounds DOUBLE to the nearest even integer (rint) but DECIMAL half away from zero. */
export function roundToInteger(context: Context, value: Typed): string {
  if (isInteger(value.type)) return value.sql;
  const duck = context.dialect === 'duckdb';
  if (isFloat(value.type))
    return duck
      ? `CAST(round_even(${value.sql}, 0) AS BIGINT)`
      : `CAST(exo_round(${value.sql}, 0, 1) AS INTEGER)`;
  return duck ? `CAST(round(${value.sql}) AS BIGINT)` : `CAST(round(${value.sql}) AS INTEGER)`;
}

/**
 * A DOUBLE rounded to BIGINT in DuckDB, saturating at the BIGINT range as MySQL does rather
 * than failing with a conversion error.
 */
function saturatedBigint(rounded: string): string {
  return `(CASE WHEN ${rounded} >= 9223372036854775807 THEN 9223372036854775807 WHEN ${rounded} <= -9223372036854775808 THEN -9223372036854775808 ELSE CAST(${rounded} AS BIGINT) END)`;
}

/**
 * The integer a string starts with, in DuckDB: leading spaces, a sign and digits (leading zeros
 * dropped, so 21 characters hold any value beyond BIGINT), saturating at the BIGINT range;
 * 0 without digits. SQLite's CAST(text AS INTEGER) reads the same prefix by itself.
 */
function integerPrefix(text: string, unsigned: boolean): string {
  const digits = String.raw`regexp_replace(CAST(${text} AS VARCHAR), '(?s)^\s*([-+]?)0*([0-9]*).*$', '\1\2')`;
  const huge = `COALESCE(TRY_CAST(left(${digits}, 21) AS HUGEINT), 0)`;
  const max = unsigned ? '18446744073709551615' : '9223372036854775807';
  return `(CASE WHEN (${text}) IS NULL THEN NULL ELSE CAST(greatest(least(${huge}, ${max}), -9223372036854775808) AS ${unsigned ? 'HUGEINT' : 'BIGINT'}) END)`;
}

/**
 * SQLite's integer prefix of text read as UNSIGNED: CAST AS INTEGER stops at 2^63 - 1, so
 * there the number is read as REAL and kept as their two's complement (to the precision of a double).
 */
function sqliteUnsignedPrefix(text: string): string {
  const signed = `CAST(${text} AS INTEGER)`;
  const real = `CAST(${text} AS REAL)`;
  return `(CASE WHEN ${signed} <> 9223372036854775807 THEN ${signed} WHEN ${real} >= 18446744073709551615.0 THEN -1 WHEN ${real} >= 9223372036854775808.0 THEN CAST(${real} - 18446744073709551616.0 AS INTEGER) ELSE ${signed} END)`;
}

/** A signed value as MySQL's UNSIGNED: negatives wrap around 2^64 (CAST(-1 AS UNSIGNED)). */
function wrapUnsigned(context: Context, signed: string): string {
  if (context.dialect === 'sqlite') return signed;
  const modulus = '18446744073709551616';
  return `CAST((CAST(${signed} AS HUGEINT) + ${modulus}) % ${modulus} AS UBIGINT)`;
}

/** An unsigned 64-bit value as MySQL's SIGNED: from 2^63 up it wraps (2^64 - 1 is -1). */
function wrapSigned(unsigned: string): string {
  const half = '9223372036854775808';
  return `CAST((CAST(${unsigned} AS HUGEINT) + ${half}) % 18446744073709551616 - ${half} AS BIGINT)`;
}

function toInteger(context: Context, input: Typed, unsigned: boolean): Typed {
  const value = asValue(context, input);
  // MariaDB sends a CAST to SIGNED/UNSIGNED 20 wide (a computed BIGINT is 21).
  const type = { ...bigintType, length: 20, unsigned };
  if (isNullLiteral(value)) return { sql: 'NULL', type };
  const duck = context.dialect === 'duckdb';
  const finish = (signed: string): Typed => ({
    sql: unsigned ? wrapUnsigned(context, signed) : signed,
    type,
  });
  // A string is read up to its first non-digit ('1.9' → 1, '1e3' → 1, as MariaDB's
  // my_strtoll10), a number is rounded.
  // An ENUM or SET is its number (`dialect/members.ts`), other text its integer prefix.
  const hex = hexNumber(value);
  if (hex !== undefined)
    return { sql: unsigned ? hex.sql : BigInt.asIntN(64, BigInt(hex.sql)).toString(), type };
  if (isString(value.type) && membersOf(value.type) === undefined) {
    if (!duck)
      return finish(unsigned ? sqliteUnsignedPrefix(value.sql) : `CAST(${value.sql} AS INTEGER)`);
    return finish(integerPrefix(value.sql, unsigned));
  }
  // A TIME drops its fraction (MariaDB: CAST(TIME '00:00:01.5' AS SIGNED) is 1).
  const whole =
    value.type.type === 'time' ? { ...value, type: { ...value.type, scale: 0 } } : value;
  const number = toNumber(context, whole);
  if (isInteger(number.type)) {
    if (number.type.unsigned === true && unsigned) return { sql: number.sql, type };
    if (number.type.unsigned === true && duck) return finish(wrapSigned(number.sql));
    return finish(number.sql);
  }
  const rounded = isFloat(number.type)
    ? duck
      ? `round_even(${number.sql}, 0)`
      : `exo_round(${number.sql}, 0, 1)`
    : `round(${number.sql})`;
  if (unsigned) return { sql: clampedUnsigned(context, rounded), type };
  return { sql: duck ? saturatedBigint(rounded) : `CAST(${rounded} AS INTEGER)`, type };
}

/**
 * A rounded DECIMAL or DOUBLE as UNSIGNED, as MariaDB converts it: negatives are 0 and values
 * past 2^64 - 1 that (1916 "Got overflow"), rather than wrapping around. SQLite holds values
 * from 2^63 as their two's complement, which the UNSIGNED column type reads back.
 */
function clampedUnsigned(context: Context, rounded: string): string {
  const max = '18446744073709551615';
  if (context.dialect === 'duckdb')
    return `(CASE WHEN ${rounded} <= 0 THEN CAST(0 AS UBIGINT) WHEN ${rounded} >= ${max} THEN CAST(${max} AS UBIGINT) ELSE CAST(${rounded} AS UBIGINT) END)`;
  const real = `CAST(${rounded} AS REAL)`;
  return `(CASE WHEN ${rounded} IS NULL THEN NULL WHEN ${real} <= 0 THEN 0 WHEN ${real} >= 18446744073709551615.0 THEN -1 WHEN ${real} >= 9223372036854775808.0 THEN CAST(${real} - 18446744073709551616.0 AS INTEGER) ELSE CAST(${rounded} AS INTEGER) END)`;
}

/** Text that is not JSON is MySQL's 3141, raised by the engine (it is read as it is cast). */
function castToJson(context: Context, value: Typed): string {
  const duck = context.dialect === 'duckdb';
  const cast = duck ? `CAST(${value.sql} AS JSON)` : `json(${value.sql})`;
  if (!isString(value.type)) return cast;
  // SQLite's json() would write the document minified: the valid text is kept, as in DuckDB.
  const valid = duck ? cast : value.sql;
  const message = `'${RAISE_PREFIX}3141:22032:Invalid JSON text in argument 1 to function cast_as_json: "Invalid value."'`;
  const raise = duck ? `error(${message})` : `exo_raise(${message})`;
  return `(CASE WHEN json_valid(${value.sql}) THEN ${valid} WHEN (${value.sql}) IS NULL THEN NULL ELSE ${raise} END)`;
}

export function translateCast(context: Context, input: Typed, target: DataType): Typed {
  const duck = context.dialect === 'duckdb';
  const value = asValue(context, input);
  switch (target.name) {
    case 'SIGNED':
    case 'INT':
    case 'BIGINT':
      return toInteger(context, value, false);
    case 'UNSIGNED':
      return toInteger(context, value, true);
    case 'DECIMAL': {
      const precision = target.precision ?? 10;
      const scale = target.scale ?? 0;
      const number = toNumber(context, value).sql;
      // DuckDB holds 38 digits: a wider DECIMAL (MySQL allows 65) is computed in 38, as SUM's
      // wider results are, keeping its type; values beyond 38 digits fail there.
      if (duck && precision > DUCK_DECIMAL_DIGITS)
        return {
          sql: `CAST(${number} AS DECIMAL(${DUCK_DECIMAL_DIGITS},${scale}))`,
          type: decimalType(precision, scale),
        };
      const cast = duck
        ? `CAST(${number} AS DECIMAL(${precision},${scale}))`
        : `round(${number}, ${scale})`;
      // Out of range, MySQL gives the largest value of the type (999.99 for DECIMAL(5,2)).
      const digits = precision - scale;
      const largest = `${'9'.repeat(Math.max(digits, 0)) || '0'}${scale > 0 ? `.${'9'.repeat(scale)}` : ''}`;
      const bound = `${'9'.repeat(Math.max(digits, 0)) || '0'}.${'9'.repeat(scale)}5`;
      const clamped = duck ? `CAST(${largest} AS DECIMAL(${precision},${scale}))` : largest;
      const sql = `(CASE WHEN ${number} >= ${bound} THEN ${clamped} WHEN ${number} <= -${bound} THEN -${clamped} ELSE ${cast} END)`;
      return { sql, type: decimalType(precision, scale) };
    }
    case 'FLOAT': {
      // Single precision, out-of-range values clamped to the largest FLOAT (MariaDB 3.40282e38).
      const number = toNumber(context, value).sql;
      const clamped = `(CASE WHEN ${number} > ${FLOAT_MAX} THEN ${FLOAT_MAX} WHEN ${number} < -${FLOAT_MAX} THEN -${FLOAT_MAX} ELSE ${number} END)`;
      return {
        sql: duck ? `CAST(${clamped} AS FLOAT)` : `exo_fround(${clamped})`,
        type: { type: 'float', length: 12, scale: 31 },
      };
    }
    case 'DOUBLE':
    case 'REAL': {
      const number = toNumber(context, value).sql;
      return {
        sql: duck ? `CAST(${number} AS DOUBLE)` : `CAST(${number} AS REAL)`,
        // MariaDB sends CAST(… AS DOUBLE) 22 wide, other computed DOUBLEs 23.
        type: { ...doubleType, length: 22 },
      };
    }
    case 'CHAR':
    case 'VARCHAR':
    case 'NCHAR':
    case 'BINARY': {
      const text = toText(context, value);
      const binary = target.name === 'BINARY';
      // Of a JSON value, plain text: drivers read a JSON column's answers as JSON.
      const type: MyType = {
        ...text.type,
        type: text.type.type === 'json' ? 'text' : text.type.type,
        scale: 0,
      };
      if (target.length === undefined)
        return binary ? binaryText(context, { ...text, type }) : { ...text, type };
      const cut = {
        sql: `substr(${text.sql}, 1, ${target.length})`,
        type: formattedTextType(target.length),
      };
      return binary ? binaryText(context, cut) : cut;
    }
    case 'DATE': {
      if (isInteger(value.type)) {
        // A number reads as YYYYMMDD: CAST(20240101 AS DATE) is 2024-01-01.
        const digits = duck ? `CAST(${value.sql} AS VARCHAR)` : `CAST(${value.sql} AS TEXT)`;
        return {
          sql: duck
            ? `CAST(TRY_STRPTIME(${digits}, '%Y%m%d') AS DATE)`
            : `date(substr(${digits}, 1, 4) || '-' || substr(${digits}, 5, 2) || '-' || substr(${digits}, 7, 2))`,
          type: dateType,
        };
      }
      // A constant is read as MySQL reads date literals ('24-01-05', '20240105').
      const date = constantDateTime(value)?.slice(0, 10);
      if (date !== undefined)
        return { sql: duck ? duckDateLiteral('DATE', date) : `'${date}'`, type: dateType };
      return {
        sql: duck ? `TRY_CAST(${value.sql} AS DATE)` : `date(${value.sql})`,
        type: dateType,
      };
    }
    case 'DATETIME':
    case 'TIMESTAMP': {
      const scale = target.scale ?? 0;
      const constant = constantDateTime(value);
      const source =
        constant === undefined
          ? value.sql
          : duck
            ? duckDateLiteral('TIMESTAMP', constant)
            : `'${constant}'`;
      if (duck) return { sql: `TRY_CAST(${source} AS TIMESTAMP)`, type: datetimeType(scale) };
      return {
        sql: scale > 0 ? `exo_datetime(${source}, ${scale})` : `datetime(${source})`,
        type: datetimeType(scale),
      };
    }
    case 'TIME': {
      const scale = Math.min(target.scale ?? 0, 6);
      const type = timeTypeOf(scale);
      if (duck) return { sql: truncateMicros(asTime(context, value), scale), type };
      return { sql: `exo_time(${value.sql}, ${scale})`, type };
    }
    case 'JSON':
      return { sql: castToJson(context, value), type: jsonType };
    case 'YEAR': {
      const number = toNumber(context, value).sql;
      return {
        sql: duck ? `CAST(${number} AS INTEGER)` : `CAST(${number} AS INTEGER)`,
        type: { type: 'int', length: 4 },
      };
    }
    default:
      return notSupported(`CAST to ${target.name}`);
  }
}
