/** Numeric functions (MySQL 8.0 reference, "Mathematical Functions"). */
import { asValue, toNumber, toText } from '../coerce.js';
import { notSupported, type Context } from '../context.js';
import {
  arithmeticType,
  bigintType,
  decimalShape,
  decimalType,
  doubleType,
  isDecimal,
  isExact,
  isFloat,
  isInteger,
  integerLength,
  integerOfLength,
  isNullLiteral,
  varcharType,
} from '../type-rules.js';
import type { Typed } from '../types.js';
import { tenTo, tenToMinus } from '../decimal-division.js';
import { duckdbConv } from './conv.js';
import { duckdbCrc32 } from './crc32.js';
import { arg, constantInt, define, type FunctionTable } from './handler.js';

function number(context: Context, value: Typed): Typed {
  return toNumber(context, asValue(context, value));
}

function double(context: Context, value: Typed): string {
  const v = number(context, value).sql;
  return context.dialect === 'duckdb' ? `CAST(${v} AS DOUBLE)` : `CAST(${v} AS REAL)`;
}

/** A DOUBLE function that is NULL where MySQL's is (domain errors give NULL, not NaN or an error). */
function doubleFunction(name: string, domain?: (x: string) => string): FunctionTable[string] {
  return define(1, 1, (context, args) => {
    const x = double(context, arg(args, 0));
    const call = `${name}(${x})`;
    return {
      sql: domain === undefined ? call : `(CASE WHEN ${domain(x)} THEN ${call} END)`,
      type: doubleType,
    };
  });
}

function ceilOrFloor(name: 'ceil' | 'floor'): FunctionTable[string] {
  return define(1, 1, (context, args) => {
    const x = number(context, arg(args, 0));
    if (isInteger(x.type)) return x;
    // MariaDB's FLOOR/CEILING of a DOUBLE has 0 decimals: 1e20 prints as 100000000000000000000.
    if (isFloat(x.type)) return { sql: `${name}(${x.sql})`, type: { ...doubleType, scale: 0 } };
    const cast = context.dialect === 'duckdb' ? 'BIGINT' : 'INTEGER';
    // Integer digits and a sign decide INT or BIGINT (MariaDB Item_func_int_val).
    const shape = decimalShape(x.type);
    return { sql: `CAST(${name}(${x.sql}) AS ${cast})`, type: integerOfLength(shape.digits + 1) };
  });
}

/** ROUND/TRUNCATE: DECIMAL keeps `d` digits (never below 0), DOUBLE rounds half to even. */
function roundLike(truncate: boolean): FunctionTable[string] {
  return define(truncate ? 2 : 1, 2, (context, args) => {
    const x = number(context, arg(args, 0));
    const digitsArg = args[1];
    const digits = digitsArg === undefined ? 0 : constantInt(digitsArg);
    const duck = context.dialect === 'duckdb';
    // DuckDB's round() takes an INTEGER digit count.
    const digitsSql =
      digitsArg === undefined
        ? '0'
        : duck
          ? `CAST(${number(context, digitsArg).sql} AS INTEGER)`
          : number(context, digitsArg).sql;
    if (isNullLiteral(x)) return { sql: 'NULL', type: doubleType };
    if (isFloat(x.type)) {
      // MariaDB keeps a constant digit count as the DOUBLE's decimals and prints that many
      // (ROUND(2.5e0, 2) is 2.50); a computed count leaves them unfixed.
      const doubleOut =
        digits === undefined
          ? doubleType
          : { ...doubleType, scale: Math.min(30, Math.max(0, digits)) };
      if (!duck)
        return {
          sql: truncate
            ? `exo_truncate(${x.sql}, ${digitsSql})`
            : `exo_round(${x.sql}, ${digitsSql}, 1)`,
          type: doubleOut,
        };
      if (truncate)
        return {
          sql: `(trunc(${x.sql} * pow(10, ${digitsSql})) / pow(10, ${digitsSql}))`,
          type: doubleOut,
        };
      return { sql: `round_even(${x.sql}, ${digitsSql})`, type: doubleOut };
    }
    if (isInteger(x.type) && digits !== undefined && digits >= 0) return x;
    const shape = decimalShape(x.type);
    const scale = isInteger(x.type) ? 0 : digits === undefined ? shape.scale : Math.max(0, digits);
    const type = isInteger(x.type) ? x.type : decimalType(shape.digits + scale + 1, scale);
    if (!duck) {
      return {
        sql: truncate
          ? `exo_truncate(${x.sql}, ${digitsSql})`
          : `exo_round(${x.sql}, ${digitsSql}, 0)`,
        type,
      };
    }
    // An exact quotient holds more digits than its type shows; they decide the rounding.
    const exactScale = Math.min(x.engineScale ?? shape.scale, 38 - shape.digits);
    const exact = `CAST(${x.sql} AS DECIMAL(38,${Math.max(exactScale, shape.scale)}))`;
    if (!truncate) return { sql: `round(${exact}, ${digitsSql})`, type };
    if (digits === undefined)
      return { sql: `(trunc(${exact} * pow(10, ${digitsSql})) / pow(10, ${digitsSql}))`, type };
    // The remainder by 10^-d keeps a DECIMAL exact (dividing by 10^d would go through a
    // DOUBLE, multiplying by it could pass 38 digits); it has the sign of the value.
    const sql =
      digits > 0
        ? `CAST((${exact} - (${exact} % ${tenToMinus(digits)})) AS DECIMAL(38,${Math.min(digits, 38 - shape.digits)}))`
        : digits === 0
          ? `trunc(${exact})`
          : `(trunc(${exact} * ${tenToMinus(-digits)}) * ${tenTo(-digits)})`;
    return { sql, type };
  });
}

export const mathFunctions: FunctionTable = {
  ABS: define(1, 1, (context, args) => {
    const x = number(context, arg(args, 0));
    // An integer keeps its length, so an INT column gives BIGINT and a short literal INT.
    const type = isInteger(x.type)
      ? integerOfLength(integerLength(x.type), x.type.unsigned === true)
      : x.type;
    return { sql: `abs(${x.sql})`, type };
  }),
  CEIL: ceilOrFloor('ceil'),
  CEILING: ceilOrFloor('ceil'),
  FLOOR: ceilOrFloor('floor'),
  ROUND: roundLike(false),
  TRUNCATE: roundLike(true),
  MOD: define(2, 2, (context, args) => {
    const a = number(context, arg(args, 0));
    const b = number(context, arg(args, 1));
    if (isExact(a.type) && isExact(b.type) && !isDecimal(a.type) && !isDecimal(b.type)) {
      return {
        sql: `(${a.sql} % NULLIF(${b.sql}, 0))`,
        type:
          isInteger(a.type) && isInteger(b.type) ? arithmeticType('%', a.type, b.type) : bigintType,
      };
    }
    const shape = [decimalShape(a.type), decimalShape(b.type)];
    const type =
      isExact(a.type) && isExact(b.type)
        ? decimalType(
            Math.max(...shape.map((s) => s.digits + s.scale)),
            Math.max(...shape.map((s) => s.scale)),
          )
        : doubleType;
    const op =
      context.dialect === 'duckdb'
        ? `(${a.sql} % NULLIF(${b.sql}, 0))`
        : `mod(${a.sql}, NULLIF(${b.sql}, 0))`;
    return { sql: op, type };
  }),
  POW: define(2, 2, (context, args) => ({
    sql: `pow(${double(context, arg(args, 0))}, ${double(context, arg(args, 1))})`,
    type: doubleType,
  })),
  POWER: define(2, 2, (context, args) => ({
    sql: `pow(${double(context, arg(args, 0))}, ${double(context, arg(args, 1))})`,
    type: doubleType,
  })),
  SQRT: doubleFunction('sqrt', (x) => `${x} >= 0`),
  EXP: doubleFunction('exp'),
  LN: doubleFunction('ln', (x) => `${x} > 0`),
  LOG2: doubleFunction('log2', (x) => `${x} > 0`),
  LOG10: doubleFunction('log10', (x) => `${x} > 0`),
  LOG: define(1, 2, (context, args) => {
    const first = double(context, arg(args, 0));
    if (args.length === 1)
      return { sql: `(CASE WHEN ${first} > 0 THEN ln(${first}) END)`, type: doubleType };
    const x = double(context, arg(args, 1));
    return {
      sql: `(CASE WHEN ${first} > 0 AND ${first} <> 1 AND ${x} > 0 THEN ln(${x}) / ln(${first}) END)`,
      type: doubleType,
    };
  }),
  // INTERVAL(N, N1, N2, …): how many Ni come before the first one above N (MySQL expects them
  // in ascending order; a NULL Ni counts as below N), -1 when N is NULL.
  INTERVAL: define(2, 1000, (context, args) => {
    const [n, ...bounds] = args.map((a) => toNumber(context, asValue(context, a)).sql);
    const whens = bounds.map((bound, index) => `WHEN ${n} < ${bound} THEN ${index}`);
    return {
      sql: `(CASE WHEN ${n} IS NULL THEN -1 ${whens.join(' ')} ELSE ${bounds.length} END)`,
      type: { type: 'int', length: 2, nullable: false },
    };
  }),
  SIGN: define(1, 1, (context, args) => {
    const x = number(context, arg(args, 0)).sql;
    return {
      sql: `(CASE WHEN ${x} > 0 THEN 1 WHEN ${x} < 0 THEN -1 WHEN ${x} = 0 THEN 0 END)`,
      type: { type: 'int', length: 2 },
    };
  }),
  // A DOUBLE at full precision that MySQL shows with 6 decimals (finalizeValue rounds it).
  PI: define(0, 0, () => ({ sql: 'pi()', type: { ...doubleType, scale: 6 } })),
  RAND: define(0, 1, (context) => ({
    sql: context.dialect === 'duckdb' ? 'random()' : '((random() / 18446744073709551616.0) + 0.5)',
    type: doubleType,
  })),
  SIN: doubleFunction('sin'),
  COS: doubleFunction('cos'),
  TAN: doubleFunction('tan'),
  ASIN: doubleFunction('asin', (x) => `${x} BETWEEN -1 AND 1`),
  ACOS: doubleFunction('acos', (x) => `${x} BETWEEN -1 AND 1`),
  COT: doubleFunction('1 / tan'),
  ATAN: define(1, 2, (context, args) => {
    const a = double(context, arg(args, 0));
    if (args.length === 1) return { sql: `atan(${a})`, type: doubleType };
    return { sql: `atan2(${a}, ${double(context, arg(args, 1))})`, type: doubleType };
  }),
  ATAN2: define(2, 2, (context, args) => ({
    sql: `atan2(${double(context, arg(args, 0))}, ${double(context, arg(args, 1))})`,
    type: doubleType,
  })),
  DEGREES: doubleFunction('degrees'),
  RADIANS: doubleFunction('radians'),
  CRC32: define(1, 1, (context, args) => {
    const text = toText(context, arg(args, 0)).sql;
    return {
      sql: context.dialect === 'duckdb' ? duckdbCrc32(text) : `exo_crc32(${text})`,
      // MySQL's INT UNSIGNED (its result has at most 10 digits).
      type: { type: 'int', length: 10, unsigned: true },
    };
  }),
  CONV: define(3, 3, (context, args) => {
    const [x, from, to] = [0, 1, 2].map((i) => asValue(context, arg(args, i)).sql);
    const type = varcharType(64);
    if (context.dialect === 'sqlite') return { sql: `exo_conv(${x}, ${from}, ${to})`, type };
    const fromBase = constantInt(arg(args, 1));
    const toBase = constantInt(arg(args, 2));
    if (fromBase === undefined || toBase === undefined)
      return notSupported('CONV() with non-constant bases', context.dialect);
    const text = toText(context, arg(args, 0)).sql;
    return { sql: duckdbConv({ text, from: fromBase, to: toBase }), type };
  }),
};
