/**
 * Conversions between MySQL's implicit contexts, spelled for each engine: booleans as 0/1
 * values, values as conditions, strings in numeric context, anything in string context.
 */
import { ZERO_DATE, zeroDateText } from '../zero-date.js';
import type { Context } from './context.js';
import {
  bigintType,
  boolType,
  decimalType,
  doubleType,
  isDateTime,
  isDecimal,
  isFloat,
  isInteger,
  isNull,
  isNullLiteral,
  isNumeric,
  isString,
  textLength,
  varcharType,
} from './type-rules.js';
import type { Typed } from './types.js';
import { fixedDoubleDecimals } from './double-decimals.js';
import { memberNumber } from './members.js';

/**
 * MySQL reads the longest numeric prefix of a string ('12abc' → 12, 'abc' → 0). SQLite's
 * CAST(x AS REAL) has exactly that rule; DuckDB needs the prefix cut out first.
 */
const numericPrefix = String.raw`^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?`;

/** A value usable where MySQL expects a value: engine booleans become 0/1. */
export function asValue(context: Context, value: Typed): Typed {
  if (value.bool !== true) return value;
  if (context.dialect === 'sqlite') return { sql: value.sql, type: boolType };
  return { sql: `CAST(${value.sql} AS INTEGER)`, type: boolType };
}

/** A value usable as a condition (WHERE, ON, AND operands): non-zero is true. */
export function asCondition(context: Context, value: Typed): string {
  if (value.bool === true) return value.sql;
  if (context.dialect === 'sqlite') return value.sql;
  // A NULL literal, or a `?` whose type the bound value decides.
  if (isNull(value.type)) return `CAST(${value.sql} AS BOOLEAN)`;
  if (isNumeric(value.type)) return `((${value.sql}) <> 0)`;
  if (isString(value.type)) return `(${toNumber(context, value).sql} <> 0)`;
  return `(CASE WHEN (${value.sql}) IS NULL THEN NULL ELSE TRUE END)`;
}

/** A value in numeric context: strings are read as DOUBLE, dates as YYYYMMDD numbers. */
/**
 * A `0x1F` literal in numeric context: MariaDB reads its bytes as a BIGINT UNSIGNED (`0x41 + 0`
 * is 65), where X'41' stays text (0). Undefined for anything else, and past 64 bits.
 */
export function hexNumber(value: Typed): Typed | undefined {
  const literal = value.constant;
  if (literal?.type !== 'hex' || literal.raw === undefined) return undefined;
  const digits = String(literal.value);
  if (digits.length > 16) return undefined;
  const number = BigInt(`0x${digits || '0'}`);
  return {
    sql: number.toString(),
    type: { ...bigintType, unsigned: true, length: number.toString().length, nullable: false },
  };
}

export function toNumber(context: Context, input: Typed): Typed {
  const value = asValue(context, input);
  const t = value.type;
  if (isNumeric(t)) return value;
  const hex = hexNumber(value);
  if (hex !== undefined) return hex;
  if (isNullLiteral(value)) return { sql: 'NULL', type: t };
  // A `?` in numeric context: MySQL reads the bound value as a number, here as DOUBLE.
  if (isNull(t))
    return {
      sql: `CAST(${value.sql} AS ${context.dialect === 'duckdb' ? 'DOUBLE' : 'REAL'})`,
      type: doubleType,
    };
  if (t.type === 'time') {
    // TIME in numeric context is ±HHMMSS[.ffffff].
    const micros =
      context.dialect === 'duckdb' ? `epoch_us(${value.sql})` : `exo_time_key(${value.sql})`;
    const m = context.dialect === 'duckdb' ? `abs(${micros})` : `CAST(abs(${micros}) AS INTEGER)`;
    const whole = `(${m} / 3600000000 * 10000 + ${m} / 60000000 % 60 * 100 + ${m} / 1000000 % 60)`;
    const integer = context.dialect === 'duckdb' ? whole.replaceAll(' / ', ' // ') : whole;
    const sql = `(sign(${micros}) * ${integer})`;
    if ((t.scale ?? 0) === 0) return { sql, type: { type: 'bigint' } };
    const fraction = `(${m} % 1000000) / 1000000.0`;
    const target =
      context.dialect === 'duckdb' ? `DECIMAL(${15 + (t.scale ?? 0)},${t.scale ?? 0})` : 'REAL';
    return {
      sql: `CAST(sign(${micros}) * (${integer} + ${fraction}) AS ${target})`,
      type: decimalType(15 + (t.scale ?? 0), t.scale ?? 0),
    };
  }
  if (t.type === 'date' || isDateTime(t)) {
    const format = t.type === 'date' ? '%Y%m%d' : '%Y%m%d%H%M%S';
    // The zero date ('-infinity' in DuckDB, its text in SQLite) is 0.
    const sql =
      context.dialect === 'duckdb'
        ? `(CASE WHEN isinf(${value.sql}) THEN 0 ELSE CAST(strftime(${value.sql}, '${format}') AS BIGINT) END)`
        : `(CASE WHEN substr(${value.sql}, 1, 10) = '${ZERO_DATE}' THEN 0 ELSE CAST(strftime('${format}', ${value.sql}) AS INTEGER) END)`;
    const scale = t.type === 'date' ? 0 : (t.scale ?? 0);
    if (scale === 0) return { sql, type: { type: 'bigint' } };
    // DATETIME(n) is YYYYMMDDHHMMSS.f…f with its n digits, a DECIMAL (as text on SQLite, whose
    // doubles would lose the last digits).
    const digits = `${format}.%f`;
    const exact =
      context.dialect === 'duckdb'
        ? `(CASE WHEN isinf(${value.sql}) THEN 0 ELSE CAST(substr(strftime(${value.sql}, '${digits}'), 1, ${15 + scale}) AS DECIMAL(${14 + scale},${scale})) END)`
        : `(CASE WHEN substr(${value.sql}, 1, 10) = '${ZERO_DATE}' THEN 0 ELSE strftime('${format}', ${value.sql}) || '.' || substr(substr(${value.sql}, 21) || '000000', 1, ${scale}) END)`;
    return { sql: exact, type: decimalType(14 + scale, scale) };
  }
  // An ENUM is its member's position, a SET its bitmask ('' is 0 for both).
  const member = memberNumber(value);
  if (member !== undefined) return member;
  if (context.dialect === 'sqlite') return { sql: `CAST(${value.sql} AS REAL)`, type: doubleType };
  const x = value.sql;
  const sql = `(CASE WHEN (${x}) IS NULL THEN NULL ELSE COALESCE(TRY_CAST(regexp_extract(CAST(${x} AS VARCHAR), '${numericPrefix}', 0) AS DOUBLE), 0) END)`;
  return { sql, type: doubleType };
}

/** A value in string context, printed the way MySQL prints it. */
export function toText(context: Context, input: Typed): Typed {
  const value = asValue(context, input);
  const t = value.type;
  const type = varcharType(textLength(t));
  // DuckDB's string functions take no BLOB: bytes that are UTF-8 are that text, as in MariaDB;
  // other bytes take DuckDB's text form, which keeps ASCII bytes as they are.
  if (t.type === 'blob' && context.dialect === 'duckdb')
    return {
      sql: `coalesce(try(decode(${value.sql})), CAST(${value.sql} AS VARCHAR))`,
      type: { ...type, length: t.length ?? 65_535 },
    };
  if (isString(t)) return value;
  const duck = context.dialect === 'duckdb';
  // A typed NULL, so string operators such as COLLATE accept it.
  if (isNull(t)) return { sql: duck ? `CAST(${value.sql} AS VARCHAR)` : value.sql, type };
  const x = value.sql;
  // A YEAR is four digits, 0 too ('0000').
  if (t.kind === 'year')
    return {
      sql: duck
        ? `lpad(CAST(${x} AS VARCHAR), 4, '0')`
        : `(CASE WHEN ${x} IS NULL THEN NULL ELSE printf('%04d', ${x}) END)`,
      type,
    };
  if (isInteger(t)) return { sql: duck ? `CAST(${x} AS VARCHAR)` : `CAST(${x} AS TEXT)`, type };
  if (isDecimal(t)) {
    const scale = t.scale ?? 0;
    if (duck) return { sql: `CAST(CAST(${x} AS DECIMAL(38,${scale})) AS VARCHAR)`, type };
    // printf() would print NULL as 0.
    return { sql: `(CASE WHEN ${x} IS NULL THEN NULL ELSE printf('%.${scale}f', ${x}) END)`, type };
  }
  const fixed = fixedDoubleDecimals(t);
  if (fixed !== undefined) {
    // A DOUBLE(M,D) column or ROUND(x, D): exactly D decimals (`fixedText` in number-text.ts;
    // DuckDB's printf writes every digit of values past 1e17, MariaDB zeros).
    if (!duck) return { sql: `exo_fixed_text(${x}, ${fixed})`, type };
    const printed = `printf('%.${fixed}f', CAST(${x} AS DOUBLE))`;
    return { sql: `regexp_replace(${printed}, '^-(0(\\.0*)?)$', '\\1')`, type };
  }
  if (isFloat(t)) {
    // As MySQL writes them (`number-text.ts`): a FLOAT to 6 significant digits.
    const single = t.type === 'float';
    if (duck) return { sql: duckDoubleText(single ? `printf('%.6g', ${x})` : x), type };
    return { sql: `${single ? 'exo_float_text' : 'exo_double_text'}(${x})`, type };
  }
  if (isDateTime(t) && duck) {
    const fraction = (t.scale ?? 0) > 0 ? '.%f' : '';
    const text = `strftime(${x}, '%Y-%m-%d %H:%M:%S${fraction}')`;
    const cut = (t.scale ?? 0) > 0 ? `substr(${text}, 1, ${20 + (t.scale ?? 0)})` : text;
    return { sql: duckZeroText(x, cut, zeroDateText(t.type, t.scale)), type };
  }
  if (t.type === 'date' && duck)
    return { sql: duckZeroText(x, `CAST(${x} AS VARCHAR)`, ZERO_DATE), type };
  if (t.type === 'time' && duck) return { sql: duckTimeText(x, t.scale ?? 0), type };
  return { sql: duck ? `CAST(${x} AS VARCHAR)` : `CAST(${x} AS TEXT)`, type };
}

/**
 * DuckDB's text of a TIME (an INTERVAL: 'HH:MM:SS' with the fraction's digits trimmed, days
 * folded into hours) with exactly `scale` fraction digits, as MySQL writes it.
 */
function duckTimeText(x: string, scale: number): string {
  const text = `CAST(to_microseconds(epoch_us(${x})) AS VARCHAR)`;
  if (scale === 0) return `regexp_replace(${text}, '\\.[0-9]*$', '')`;
  const dot = `strpos(exo_t, '.')`;
  const padded = `CASE WHEN ${dot} > 0 THEN left(rpad(exo_t, CAST(${dot} + ${scale} AS INTEGER), '0'), CAST(${dot} + ${scale} AS INTEGER)) ELSE exo_t || '.${'0'.repeat(scale)}' END`;
  return `list_transform([${text}], exo_t -> ${padded})[1]`;
}

/** DuckDB's text of a DATE or TIMESTAMP, the zero date ('-infinity', zero-date.ts) as its text. */
function duckZeroText(x: string, text: string, zero: string): string {
  return `(CASE WHEN isinf(${x}) THEN '${zero}' ELSE ${text} END)`;
}

/**
 * DuckDB's text of a double (`CAST AS VARCHAR`: shortest digits, positional from 1e-4 up to
 * 1e16, else `1.5e-05`, `1e+16`) rewritten as MySQL writes it (`number-text.ts`): positional
 * from 1e-15 up to 1e15 and for numbers with a fraction, exponents without '+' or leading zeros, negative zero as 0. The text
 * is computed once, in a one-element list's lambda.
 */
function duckDoubleText(x: string): string {
  const sign = `(CASE WHEN starts_with(exo_d, '-') THEN '-' ELSE '' END)`;
  // 1e15 <= |x| < 1e16 without a fraction: DuckDB writes 16 integer digits and '.0'.
  const digits16 = `rtrim(replace(ltrim(exo_d, '-'), '.', ''), '0')`;
  const exponent15 = `${sign} || left(${digits16}, 1) || (CASE WHEN length(${digits16}) > 1 THEN '.' || substr(${digits16}, 2) ELSE '' END) || 'e15'`;
  // 1e-15 <= |x| < 1e-4: DuckDB writes an exponent from -5 to -15.
  const small = `${sign} || '0.' || repeat('0', CAST(regexp_extract(exo_d, 'e-([0-9]+)$', 1) AS INTEGER) - 1) || replace(regexp_extract(exo_d, '([0-9.]+)e', 1), '.', '')`;
  const other = `regexp_replace(regexp_replace(exo_d, '\\.0$', ''), 'e\\+?(-?)0*', 'e\\1')`;
  const rewrite = `CASE WHEN regexp_matches(exo_d, '^-?[0-9]{16}\\.0$') THEN ${exponent15} WHEN regexp_matches(exo_d, 'e-(0[5-9]|1[0-5])$') THEN ${small} WHEN exo_d = '-0.0' THEN '0' ELSE ${other} END`;
  return `list_transform([CAST(CAST(${x} AS DOUBLE) AS VARCHAR)], exo_d -> ${rewrite})[1]`;
}

/** Wraps SQL so string comparison ignores case, as MySQL's default collation does. */
export function noCase(sql: string): string {
  return `(${sql} COLLATE NOCASE)`;
}
