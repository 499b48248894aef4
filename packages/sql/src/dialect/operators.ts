/** Arithmetic, bitwise and logical operators with MySQL's results (0/1 logic, NULL on /0). */
import { notSupported, type Context } from './context.js';
import { asCondition, asValue, toNumber } from './coerce.js';
import {
  arithmeticType,
  bigintType,
  decimalShape,
  decimalType,
  boolType,
  divPrecisionIncrement,
  doubleType,
  isDecimal,
  isExact,
  isFloat,
  integerLength,
  integerOfLength,
  isInteger,
  isNumeric,
} from './type-rules.js';
import type { MyType, Typed } from './types.js';
import { isParamMarker } from './params.js';
import { withDoubleDecimals } from './double-decimals.js';
import { duckExactQuotient } from './decimal-division.js';

function numeric(context: Context, value: Typed): Typed {
  const v = asValue(context, value);
  // MySQL computes with FLOAT values in double precision; DuckDB would stay in FLOAT.
  if (v.type.type === 'float' && context.dialect === 'duckdb')
    return { sql: `CAST(${v.sql} AS DOUBLE)`, type: { ...v.type, type: 'double' } };
  return isNumeric(v.type) || v.type.type === 'null' ? v : toNumber(context, v);
}

/**
 * A parameter beside an integer (or another parameter) is read as a DOUBLE, the type MySQL
 * gives such arithmetic when it is prepared: bound as text ('2.5'), the engine would cast it to
 * the integer instead (`? * 2` would be 6). Beside a DECIMAL or a DOUBLE the engine reads the
 * text as that type, which keeps DECIMAL arithmetic exact for integer parameters.
 */
function parameter(context: Context, value: Typed, other: Typed): Typed {
  if (value.type.type !== 'null' || !isParamMarker(value.sql)) return value;
  if (!isInteger(other.type) && other.type.type !== 'null') return value;
  const real = context.dialect === 'duckdb' ? 'DOUBLE' : 'REAL';
  return { sql: `CAST(${value.sql} AS ${real})`, type: doubleType };
}

/**
 * An integer operand of DuckDB arithmetic widened to BIGINT, as MySQL computes integers (an
 * INTEGER column would overflow at 32 bits). Not beside a DECIMAL or floating-point operand: the
 * result is then a DECIMAL or a DOUBLE either way, and a BIGINT becomes a DECIMAL(18,0), which
 * makes `1 - l_discount` a DECIMAL(19,2) and the products over it 128-bit (four times slower
 * for TPC-H's `l_extendedprice * (1 - l_discount)`).
 */
function bigint(context: Context, value: Typed, other?: Typed): string {
  return context.dialect === 'duckdb' &&
    isInteger(value.type) &&
    (other === undefined || (!isDecimal(other.type) && !isFloat(other.type)))
    ? `CAST(${value.sql} AS BIGINT)`
    : value.sql;
}

const BIGINT_MAX = 9_223_372_036_854_775_807n;

function beyondBigint(value: unknown): boolean {
  return typeof value === 'bigint' && value > BIGINT_MAX;
}

/** A literal whose negation is a BIGINT (9223372036854775808 at most). */
function fitsBigint(value: unknown): boolean {
  return typeof value === 'bigint' && value <= BIGINT_MAX + 1n;
}

function isUnsignedArithmetic(a: Typed, b: Typed): boolean {
  return (
    isInteger(a.type) && isInteger(b.type) && (a.type.unsigned === true || b.type.unsigned === true)
  );
}

export function arithmetic(context: Context, op: string, left: Typed, right: Typed): Typed {
  const leftNumber = numeric(context, left);
  const rightNumber = numeric(context, right);
  const a = parameter(context, leftNumber, rightNumber);
  const b = parameter(context, rightNumber, leftNumber);
  const type = withDoubleDecimals(
    arithmeticType(op, a.type, b.type),
    op === 'DIV' ? [] : [a.type, b.type],
    op === '/' ? divPrecisionIncrement : 0,
  );
  const duck = context.dialect === 'duckdb';
  if (!duck && isDecimal(type) && (type.scale ?? 0) > 0) {
    const computed = sqliteArithmetic(op, a, b, type);
    return op === '/' || a.unrounded === true || b.unrounded === true
      ? { ...computed, unrounded: true }
      : sqliteDecimal(computed, type.scale ?? 0);
  }
  switch (op) {
    case '+':
    case '-':
    case '*':
      if (duck && isUnsignedArithmetic(a, b)) {
        // MySQL computes in unsigned 64 bits when an operand is unsigned: the engine computes
        // exactly and the result must fit (below 0 or past 2^64 - 1 is 1690).
        return {
          sql: `CAST((CAST(${a.sql} AS HUGEINT) ${op} CAST(${b.sql} AS HUGEINT)) AS UBIGINT)`,
          type,
        };
      }
      return withEngineScale(op, a, b, { sql: `(${bigint(context, a, b)} ${op} ${b.sql})`, type });
    case '/': {
      // MySQL's `/` never divides integers as integers, and x/0 is NULL (ERROR_FOR_DIVISION_BY_ZERO off).
      const exact = duck && isDecimal(type) ? duckExactQuotient(a, b, type.scale ?? 0) : undefined;
      if (exact !== undefined) return { sql: exact.sql, type, engineScale: exact.scale };
      const dividend = duck ? `CAST(${a.sql} AS DOUBLE)` : `CAST(${a.sql} AS REAL)`;
      return { sql: `(${dividend} / NULLIF(${b.sql}, 0))`, type };
    }
    case 'DIV':
      if (duck && isUnsignedArithmetic(a, b)) {
        // Past 2^63 - 1 an unsigned dividend has no BIGINT; a negative quotient is 1690.
        return {
          sql: `CAST((CAST(${a.sql} AS HUGEINT) // NULLIF(CAST(${b.sql} AS HUGEINT), 0)) AS UBIGINT)`,
          type,
        };
      }
      if (isInteger(a.type) && isInteger(b.type)) {
        return {
          sql: duck
            ? `(${bigint(context, a, b)} // NULLIF(${b.sql}, 0))`
            : `(${a.sql} / NULLIF(${b.sql}, 0))`,
          type,
        };
      }
      return {
        sql: duck
          ? `CAST(trunc(${a.sql} / NULLIF(${b.sql}, 0)) AS BIGINT)`
          : `CAST((${a.sql}) / NULLIF(${b.sql}, 0) AS INTEGER)`,
        type,
      };
    case '%':
      if (!duck && (isFloat(a.type) || isFloat(b.type) || isDecimal(a.type) || isDecimal(b.type))) {
        return { sql: `mod(${a.sql}, NULLIF(${b.sql}, 0))`, type };
      }
      return { sql: `(${a.sql} % NULLIF(${b.sql}, 0))`, type };
    default:
      throw new Error(`not an arithmetic operator: ${op}`);
  }
}

/**
 * The DuckDB scale of `a op b` for + - * when an operand holds more fraction digits than its
 * type shows (an exact quotient): DuckDB's DECIMAL rules, the larger scale for a sum or
 * difference, both added for a product.
 */
function withEngineScale(op: string, a: Typed, b: Typed, result: Typed): Typed {
  if (a.engineScale === undefined && b.engineScale === undefined) return result;
  if (!isDecimal(result.type)) return result;
  const scaleOf = (x: Typed) => x.engineScale ?? decimalShape(x.type).scale;
  const engineScale =
    op === '*' ? Math.min(38, scaleOf(a) + scaleOf(b)) : Math.max(scaleOf(a), scaleOf(b));
  return { ...result, engineScale };
}

/**
 * SQLite computes a DECIMAL in a double: 0.1 + 0.2 is 0.30000000000000004 there. Rounded to
 * the result's scale, it is the double nearest its exact value (while its digits fit a double's
 * 15), the same as the literal or stored value it is compared with, grouped or joined on.
 * A quotient keeps its digits (MySQL's carry 9 more than the dividend's), and so does what is
 * computed from one.
 */
function sqliteDecimal(value: Typed, scale: number): Typed {
  return { sql: `round(${value.sql}, ${scale})`, type: value.type };
}

function sqliteArithmetic(op: string, a: Typed, b: Typed, type: MyType): Typed {
  switch (op) {
    case '/':
      return { sql: `(CAST(${a.sql} AS REAL) / NULLIF(${b.sql}, 0))`, type };
    case '%':
      return { sql: `mod(${a.sql}, NULLIF(${b.sql}, 0))`, type };
    default:
      return { sql: `(${a.sql} ${op} ${b.sql})`, type };
  }
}

const U64_MASK = '18446744073709551615';

/**
 * An operand of a DuckDB bit operation as MySQL's unsigned 64-bit value, held in a HUGEINT:
 * integers keep their low 64 bits (-1 is 2^64 - 1); DECIMALs and DOUBLEs round half away from
 * zero and saturate at 2^64 - 1 and at -2^63 (1e30 | 0 is 2^64 - 1, -1e30 | 0 is 2^63).
 */
export function unsigned64(value: Typed): string {
  if (isInteger(value.type) || value.type.type === 'null')
    return `(CAST(${value.sql} AS HUGEINT) & ${U64_MASK})`;
  const v = `CAST(${value.sql} AS DOUBLE)`;
  const exact = isExact(value.type) ? `round(${value.sql})` : `round(${v})`;
  return `(CASE WHEN ${v} >= ${U64_MASK}.0 THEN CAST(${U64_MASK} AS HUGEINT) WHEN ${v} <= -9223372036854775808.0 THEN CAST(9223372036854775808 AS HUGEINT) ELSE CAST(${exact} AS HUGEINT) & ${U64_MASK} END)`;
}

/**
 * A value of BIT_AND/BIT_OR/BIT_XOR as its unsigned 64-bit bits: a DOUBLE is read as a BIGINT
 * first, as MariaDB's aggregates read it (rounded half to even, saturated at BIGINT's range);
 * other numbers as `unsigned64`.
 */
export function aggregateBits(value: Typed): string {
  if (!isFloat(value.type)) return unsigned64(value);
  const v = `CAST(${value.sql} AS DOUBLE)`;
  const bigint = `(CASE WHEN ${v} >= 9223372036854775807.0 THEN 9223372036854775807 WHEN ${v} <= -9223372036854775808.0 THEN -9223372036854775808 ELSE CAST(round_even(${v}, 0) AS BIGINT) END)`;
  return `(CAST(${bigint} AS HUGEINT) & ${U64_MASK})`;
}

/** MySQL computes bit operations on unsigned 64-bit integers. */
export function bitwise(context: Context, op: string, left: Typed, right: Typed): Typed {
  const a = numeric(context, left);
  const b = numeric(context, right);
  const type = { ...bigintType, unsigned: true };
  if (context.dialect === 'duckdb') {
    const x = unsigned64(a);
    switch (op) {
      case '<<':
      case '>>': {
        // Shifts of the unsigned 64-bit value (-1 >> 1 is 2^63 - 1, 1 << 63 is 2^63), in 128
        // bits so nothing overflows; a count outside 0…63 shifts everything out.
        const count = `CAST(${b.sql} AS DOUBLE)`;
        const shifted = `((${x} ${op} CAST(${b.sql} AS INTEGER)) & ${U64_MASK})`;
        return {
          sql: `(CASE WHEN ${count} < 0 OR ${count} > 63 THEN 0 ELSE ${shifted} END)`,
          type,
        };
      }
      case '|':
      case '&':
        return { sql: `(${x} ${op} ${unsigned64(b)})`, type };
      case '^':
        return { sql: `xor(${x}, ${unsigned64(b)})`, type };
      default:
        throw new Error(`not a bitwise operator: ${op}`);
    }
  }
  switch (op) {
    case '<<':
    case '>>':
    case '|':
    case '&':
      return { sql: `(${a.sql} ${op} ${b.sql})`, type };
    case '^':
      return { sql: `((${a.sql} | ${b.sql}) - (${a.sql} & ${b.sql}))`, type };
    default:
      throw new Error(`not a bitwise operator: ${op}`);
  }
}

export function bitNot(context: Context, operand: Typed): Typed {
  const a = numeric(context, operand);
  const type = { ...bigintType, unsigned: true };
  if (context.dialect === 'duckdb') return { sql: `((~${unsigned64(a)}) & ${U64_MASK})`, type };
  // SQLite has no unsigned 64-bit integers to hold MySQL's result.
  return notSupported('~ (bit inversion)', context.dialect);
}

/** SQLite's `NOT NOT x` turns any value into 0/1/NULL the way MySQL reads truth. */
function truth(context: Context, value: Typed): string {
  const condition = asCondition(context, value);
  return context.dialect === 'sqlite' && value.bool !== true ? `(NOT NOT ${condition})` : condition;
}

export function logical(context: Context, op: string, left: Typed, right: Typed): Typed {
  const a = truth(context, left);
  const b = truth(context, right);
  if (op === 'XOR') return { sql: `(${a} <> ${b})`, type: boolType, bool: true };
  return { sql: `(${a} ${op} ${b})`, type: boolType, bool: true };
}

export function not(context: Context, operand: Typed): Typed {
  return { sql: `(NOT ${truth(context, operand)})`, type: boolType, bool: true };
}

export function negate(context: Context, operand: Typed): Typed {
  const a = numeric(context, operand);
  // The sign adds one character: -5 is an INT, the negation of an INT column a BIGINT.
  // Past BIGINT (an unsigned operand, or 9223372036854775808 itself) the negation is computed
  // in 128 bits: -9223372036854775808 is a BIGINT, -18446744073709551615 a DECIMAL.
  const wide =
    isInteger(a.type) && (a.type.unsigned === true || beyondBigint(operand.constant?.value));
  const type = !isInteger(a.type)
    ? a.type
    : wide && !fitsBigint(operand.constant?.value)
      ? decimalType(20, 0)
      : integerOfLength(integerLength(a.type) + 1);
  const sql =
    context.dialect === 'duckdb' && wide
      ? `(- CAST(${a.sql} AS HUGEINT))`
      : `(- ${bigint(context, a)})`;
  const literal = operand.constant;
  if (literal === undefined || typeof literal.value === 'boolean' || literal.value === null)
    return { sql, type };
  // A negative literal stays a constant, so ROUND(x, -2) and the like can read it.
  if (literal.type !== 'int' && literal.type !== 'decimal' && literal.type !== 'double')
    return { sql, type };
  const value =
    typeof literal.value === 'string'
      ? literal.value.startsWith('-')
        ? literal.value.slice(1)
        : `-${literal.value}`
      : -literal.value;
  return { sql, type, constant: { ...literal, value, raw: String(value) } };
}
