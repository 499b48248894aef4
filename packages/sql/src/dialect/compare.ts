/**
 * Comparisons with MySQL's conversion rules ("Type Conversion in Expression Evaluation"):
 * two strings compare as strings in the case-insensitive default collation; a string and a
 * number compare as DOUBLE; a temporal value and a string compare as temporal values.
 */
import type { Context } from './context.js';
import { asValue, noCase, toNumber, toText } from './coerce.js';
import { coerceTo } from './case.js';
import {
  isDateTime,
  isNull,
  isNullLiteral,
  isNumeric,
  isString,
  isTemporal,
} from './type-rules.js';
import { boolType } from './type-rules.js';
import type { Typed } from './types.js';
import { asTime, constantDateTime } from './functions/temporal.js';
import { duckDateLiteral } from '../zero-date.js';
import { zeroDateCompare } from './zero-date-compare.js';
import { bareNumericParam } from './params.js';

export type CompareMode = 'string' | 'binary' | 'bytes' | 'number' | 'native' | 'datetime' | 'time';

/** How a set of operands compare with each other. */
export function compareMode(values: readonly Typed[]): CompareMode {
  const types = values.map((v) => v.type).filter((t) => !isNull(t));
  if (types.length === 0) return 'native';
  if (types.every(isString))
    // A BLOB holds bytes that neither engine compares with text as MySQL does (SQLite orders
    // every BLOB after every TEXT; DuckDB's text form of a BLOB escapes bytes): both sides
    // compare as upper-case hex, whose order is the bytes' order.
    return values.some((v) => v.type.type === 'blob')
      ? 'bytes'
      : values.some((v) => v.binary === true)
        ? 'binary'
        : 'string';
  if (types.some(isTemporal)) {
    // DATEs with DATEs compare as they are (the engine keeps its zone maps on a DATE column).
    if (types.every((t) => t.type === 'date')) return 'native';
    // A DATE or DATETIME with a number: the number reads as YYYYMMDD[hhmmss] (MariaDB).
    if (
      types.some((t) => t.type === 'date' || isDateTime(t)) &&
      types.every((t) => isNumeric(t) || t.type === 'date' || isDateTime(t))
    )
      return 'datetime';
    if (
      types.some(isDateTime) ||
      (types.some((t) => t.type === 'date') &&
        types.some((t) => t.type !== 'date' && isTemporal(t)))
    ) {
      return 'datetime';
    }
    // TIME with TIME, text or numbers (read as [H…H]HMMSS): as durations (SQLite keeps TIME as
    // text, which sorts wrongly).
    if (types.every((t) => t.type === 'time' || isString(t) || isNumeric(t))) return 'time';
    return 'native';
  }
  if (types.some(isString) && types.some(isNumeric)) return 'number';
  return 'native';
}

/** Brings one operand into the form the comparison mode needs. */
export function prepareOperand(
  context: Context,
  value: Typed,
  mode: CompareMode,
  temporal?: Typed,
  invalidDate: 'null' | 'lowest' = 'null',
): string {
  const v = asValue(context, value);
  switch (mode) {
    case 'string':
      // A NULL operand has no collation to take (DuckDB refuses COLLATE on it); a `?` still
      // loses its trailing spaces.
      if (isNullLiteral(v)) return v.sql;
      return isNull(v.type) ? `rtrim(${v.sql}, ' ')` : noCase(padSpace(context, v.sql));
    case 'binary':
      // A DuckDB BLOB takes no collation: its text form compares byte by byte under C.
      return isNull(v.type) ? v.sql : binaryCollation(context, toText(context, v).sql);
    case 'bytes':
      return isNull(v.type) ? v.sql : `hex(${v.sql})`;
    case 'number':
      return toNumber(context, v).sql;
    case 'datetime': {
      // A constant reads as MySQL reads date literals ('24-01-05', '2024.01.05', '20240105').
      const constant = constantDateTime(v);
      if (constant !== undefined) {
        if (context.dialect === 'duckdb') return duckDateLiteral('TIMESTAMP', constant);
        // SQLite compares the text of a DATETIME/TIMESTAMP(n), which has exactly n digits.
        const stored =
          temporal !== undefined && temporal !== value && temporal.constant === undefined
            ? storedScale(temporal)
            : undefined;
        return `'${stored === undefined ? constant : storedDateTimeText(constant, stored)}'`;
      }
      if (context.dialect === 'duckdb')
        return isDateTime(v.type)
          ? v.sql
          : v.type.type === 'date'
            ? `CAST(${v.sql} AS TIMESTAMP)`
            : datetimeKey(v.sql, invalidDate);
      // SQLite keeps temporal values as MySQL-formatted text; a DATE compares as midnight.
      return v.type.type === 'date' ? `(${v.sql} || ' 00:00:00')` : v.sql;
    }
    case 'time':
      return timeKey(context, v);
    case 'native': {
      const literal =
        temporal !== undefined && temporal.type.type !== 'time' && isTemporal(temporal.type)
          ? constantDateTime(v)
          : undefined;
      if (literal !== undefined) {
        // Against a DATE a constant at midnight is a date (the engine keeps its zone maps);
        // one with a time compares as a DATETIME, as MariaDB compares them.
        const date = temporal?.type.type === 'date' && literal.length === 10;
        const midnight = literal.length === 10 || literal.endsWith(' 00:00:00');
        if (temporal?.type.type === 'date' && (date || midnight)) {
          const day = literal.slice(0, 10);
          return context.dialect === 'duckdb' ? duckDateLiteral('DATE', day) : `'${day}'`;
        }
        return context.dialect === 'duckdb'
          ? duckDateLiteral('TIMESTAMP', literal)
          : `'${literal}'`;
      }
      if (
        context.dialect === 'duckdb' &&
        isString(v.type) &&
        temporal !== undefined &&
        isTemporal(temporal.type)
      ) {
        // A DATE against text that is not a plain date compares as DATETIME (MariaDB:
        // dt >= '2024-02-29 13:45:07' is 0 on that day; '20240229' reads as that date).
        if (temporal.type.type === 'date' && invalidDate === 'lowest' && !isPlainDate(v))
          return datetimeKey(v.sql, invalidDate);
        const target =
          temporal.type.type === 'date'
            ? 'DATE'
            : temporal.type.type === 'time'
              ? 'INTERVAL'
              : 'TIMESTAMP';
        return `TRY_CAST(${v.sql} AS ${target})`;
      }
      return v.sql;
    }
  }
}

/**
 * Two DATETIME/TIMESTAMP values of SQLite text with different fraction digits (a DATETIME(3)
 * against a DATETIME): the shorter text gets the missing zeros, so equal values are equal text.
 */
function sameDigits(left: Typed, a: string, right: Typed, b: string): [string, string] {
  const l = left.constant === undefined ? storedScale(left) : undefined;
  const r = right.constant === undefined ? storedScale(right) : undefined;
  if (l === undefined || r === undefined || l === r) return [a, b];
  const pad = (sql: string, from: number, to: number): string =>
    `(${sql} || '${from === 0 ? '.' : ''}${'0'.repeat(to - from)}')`;
  return l < r ? [pad(a, l, r), b] : [a, pad(b, r, l)];
}

/** The fraction digits of a DATETIME/TIMESTAMP operand's SQLite text; `undefined` for others. */
function storedScale(operand: Typed): number | undefined {
  return isDateTime(operand.type) ? (operand.type.scale ?? 0) : undefined;
}

/**
 * A datetime constant written as SQLite holds a DATETIME/TIMESTAMP(`scale`) value, so that text
 * comparison orders and equates them as values: '10:00:00' and '10:00:00.5' against a
 * DATETIME(3) become '10:00:00.000' and '10:00:00.500'; '10:00:00.000' against a DATETIME is
 * '10:00:00'. Digits beyond the scale that are not zeros stay (no stored value equals them, and
 * the text still orders right).
 */
export function storedDateTimeText(constant: string, scale: number): string {
  const base = constant.length === 10 ? `${constant} 00:00:00` : constant.slice(0, 19);
  const fraction = constant.slice(20).replace(/0+$/, '').padEnd(scale, '0');
  return fraction === '' ? base : `${base}.${fraction}`;
}

/** A constant 'YYYY-MM-DD': compared with a DATE as a DATE, so the engine keeps its zone maps. */
function isPlainDate(value: Typed): boolean {
  const literal = value.constant;
  return (
    literal !== undefined &&
    typeof literal.value === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(literal.value)
  );
}

/**
 * A string or number as a DuckDB TIMESTAMP, read as MariaDB reads it in a comparison with a
 * DATE or DATETIME: 'YYYY-MM-DD[ hh:mm:ss[.f]]', or digits YYYYMMDD[hhmmss]. What does not read
 * as a date is the zero date in MariaDB, below every date: `lowest` stands it in with
 * 0000-01-01 (comparisons; the zero date itself is `zeroDateCompare`'s), `null` gives NULL
 * (values such as GREATEST's).
 */
function datetimeKey(sql: string, invalid: 'null' | 'lowest'): string {
  const text = `trim(CAST(${sql} AS VARCHAR))`;
  const reads = [
    `TRY_CAST(${text} AS TIMESTAMP)`,
    `TRY_STRPTIME(${text}, '%Y%m%d%H%M%S')`,
    `TRY_STRPTIME(${text}, '%Y%m%d')`,
    ...(invalid === 'lowest' ? [`TIMESTAMP '0000-01-01 00:00:00'`] : []),
  ];
  return `(CASE WHEN (${sql}) IS NULL THEN NULL ELSE coalesce(${reads.join(', ')}) END)`;
}

/**
 * A value that orders and compares TIME values by duration: the INTERVAL itself in DuckDB,
 * signed microseconds in SQLite (whose TIME values are text).
 */
export function timeKey(context: Context, value: Typed): string {
  const v = asValue(context, value);
  if (isNull(v.type)) return v.sql;
  if (context.dialect === 'duckdb') return asTime(context, v);
  return `exo_time_key(${v.type.type === 'time' ? v.sql : `exo_time(${v.sql}, 6)`})`;
}

/**
 * A parameter typed as a number compared with a numeric column is bound as the column's type
 * (`params.ts` bareNumericParam), so the engine keeps using the column's indexes and zone maps.
 */
export function besideColumn(operand: string, other: Typed): string {
  if (!isNumeric(other.type) || !isColumnReference(other.sql)) return operand;
  return bareNumericParam(operand) ?? operand;
}

/** A column of a table, written `"table"."column"`: SQLite can look it up through an index. */
function isColumnReference(sql: string): boolean {
  return /^"(?:[^"]|"")*"\."(?:[^"]|"")*"$/.test(sql);
}

/**
 * MySQL's default collations are PAD SPACE: trailing spaces do not count, so 'abc' = 'abc '
 * (only spaces: a tab still counts). SQLite keeps a rowstore column as it is, so its index
 * still serves the lookup; `paddedEquality` compares such a column exactly.
 */
function padSpace(context: Context, sql: string): string {
  if (context.dialect === 'sqlite' && isColumnReference(sql)) return sql;
  // A quoted constant loses its trailing spaces here rather than in the engine.
  if (/^'(?:[^']|'')*'$/.test(sql)) return sql.replace(/ +'$/, "'");
  return `rtrim(${sql}, ' ')`;
}

/**
 * `column = value` on SQLite under PAD SPACE, in a form its index still serves: the values
 * equal to L with trailing spaces are exactly those in [L, L || '!') whose trimmed text is L
 * (a space sorts just below '!'); the range is implied by the last test and only guides the index.
 */
function paddedEquality(column: string, value: string): string {
  const c = noCase(column);
  return `(${c} >= ${value} AND ${c} < (${value} || '!') AND ${noCase(`rtrim(${column}, ' ')`)} = ${value})`;
}

/**
 * A string column of a DuckDB table (or a constant slice of one) compared with constants (`=`,
 * `<>`, IN), or undefined. Such a test needs no rtrim() of every row (four times the cost of the
 * comparison itself): see `paddedTest`.
 */
export function paddedColumn(
  context: Context,
  value: Typed,
  constants: readonly Typed[],
): string | undefined {
  if (context.dialect !== 'duckdb') return undefined;
  const v = asValue(context, value);
  if (!isString(v.type) || isNull(v.type) || !isCheapOperand(v.sql)) return undefined;
  return constants.every((item) => item.constant !== undefined && !isNullLiteral(item))
    ? v.sql
    : undefined;
}

/** A column, or a constant slice of one (`substr(column, 1, 2)`): cheap to compute twice. */
function isCheapOperand(sql: string): boolean {
  if (isColumnReference(sql)) return true;
  const slice = /^substr\((.*?), \d+(?:, \d+)?\)$/.exec(sql);
  return slice?.[1] !== undefined && isColumnReference(slice[1]);
}

/**
 * `test` of a column under PAD SPACE, given the test of an operand in the case-insensitive
 * collation against the trimmed constants: the column passes as it is, or it ends with a space
 * and passes trimmed. Same answer as testing the trimmed column, NULL included.
 */
export function paddedTest(column: string, test: (operand: string) => string): string {
  return `(${test(noCase(column))} OR (ends_with(${column}, ' ') AND ${test(noCase(`rtrim(${column}, ' ')`))}))`;
}

/** Byte-wise comparison, overriding a column's case-insensitive collation. */
export function binaryCollation(context: Context, sql: string): string {
  return `(${sql} COLLATE ${context.dialect === 'sqlite' ? 'BINARY' : 'C'})`;
}

/**
 * A binary string (BINARY x, CAST(x AS BINARY)): MariaDB's VARBINARY, the UTF-8 bytes of the
 * text, which compare, sort and group by their bytes on every engine, the merge engine too.
 */
export function binaryText(context: Context, value: Typed): Typed {
  if (value.type.type === 'blob' || isNull(value.type)) return { ...value, binary: true };
  const text = toText(context, value);
  const type = { type: 'blob', length: text.type.length ?? 65_535 } as const;
  return { ...coerceTo(context, text, type), binary: true };
}

const engineOperators: Record<string, string> = {
  '=': '=',
  '<>': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/**
 * MySQL compares a FLOAT with any other number in double precision, so a FLOAT column holding
 * 1.1 (1.100000023841858) is not equal to the literal 1.1; DuckDB would cast the DECIMAL
 * literal down to FLOAT and find them equal. Such FLOAT operands are widened to DOUBLE
 * (SQLite keeps every FLOAT as the double of its single-precision value already).
 */
export function widenFloats(context: Context, values: readonly Typed[]): Typed[] {
  if (context.dialect !== 'duckdb') return [...values];
  const floats = values.filter((value) => value.type.type === 'float').length;
  const others = values.filter((value) => !isNull(value.type)).length - floats;
  if (floats === 0 || others === 0) return [...values];
  return values.map((value) =>
    value.type.type === 'float'
      ? { sql: `CAST(${value.sql} AS DOUBLE)`, type: { ...value.type, type: 'double' } }
      : value,
  );
}

export function compare(context: Context, op: string, leftGiven: Typed, rightGiven: Typed): Typed {
  const [left, right] = widenFloats(context, [leftGiven, rightGiven]) as [Typed, Typed];
  const mode = compareMode([left, right]);
  const zero = mode === 'datetime' ? zeroDateCompare(context, op, left, right) : undefined;
  if (zero !== undefined) return zero;
  const temporal = isTemporal(left.type) ? left : isTemporal(right.type) ? right : undefined;
  let a = besideColumn(prepareOperand(context, left, mode, temporal, 'lowest'), right);
  let b = besideColumn(prepareOperand(context, right, mode, temporal, 'lowest'), left);
  if (context.dialect === 'sqlite' && mode === 'datetime') [a, b] = sameDigits(left, a, right, b);
  if (op === '<=>') {
    const nullSafe = context.dialect === 'duckdb' ? 'IS NOT DISTINCT FROM' : 'IS';
    return { sql: `(${a} ${nullSafe} ${b})`, type: { ...boolType, nullable: false }, bool: true };
  }
  const engineOp = engineOperators[op];
  if (engineOp === undefined) throw new Error(`not a comparison: ${op}`);
  if (mode === 'string' && context.dialect === 'duckdb' && (op === '=' || op === '<>')) {
    const leftColumn = paddedColumn(context, left, [right]);
    const rightColumn = leftColumn === undefined ? paddedColumn(context, right, [left]) : undefined;
    const column = leftColumn ?? rightColumn;
    if (column !== undefined) {
      const constant = leftColumn !== undefined ? b : a;
      const equal = paddedTest(column, (operand) => `(${operand} = ${constant})`);
      return { sql: op === '=' ? equal : `(NOT ${equal})`, type: boolType, bool: true };
    }
  }
  if (mode === 'string' && context.dialect === 'sqlite' && (op === '=' || op === '<>')) {
    const leftColumn = isColumnReference(asValue(context, left).sql);
    const rightColumn = isColumnReference(asValue(context, right).sql);
    if (leftColumn !== rightColumn) {
      const [column, value] = leftColumn
        ? [asValue(context, left).sql, b]
        : [asValue(context, right).sql, a];
      const equal = paddedEquality(column, value);
      return { sql: op === '=' ? equal : `(NOT ${equal})`, type: boolType, bool: true };
    }
  }
  return { sql: `(${a} ${engineOp} ${b})`, type: boolType, bool: true };
}
