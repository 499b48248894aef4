/** Aggregate functions (MySQL reference, "Aggregate Function Descriptions"). */
import type { CallExpr } from '../../parser/ast-expr.js';
import { asValue, toNumber, toText } from '../coerce.js';
import { notSupported, type Context } from '../context.js';
import { translateOrderItems } from '../order.js';
import {
  bigintType,
  decimalShape,
  decimalType,
  divPrecisionIncrement,
  doubleType,
  isExact,
  isFloat,
  isCollatedText,
  isString,
  jsonType,
  textType,
  withoutMembers,
} from '../type-rules.js';
import type { Typed } from '../types.js';
import { arg, define, type FunctionTable } from './handler.js';
import { withDoubleDecimals } from '../double-decimals.js';
import { duckGroupConcatDistinct } from './group-concat.js';
import { textArg, valueArg } from './json-args.js';
import { aggregateBits } from '../operators.js';

function distinct(call: CallExpr): string {
  return call.distinct === true ? 'DISTINCT ' : '';
}

/** What follows each engine aggregate call: its window when it is one (`Context.over`). */
function windowed(context: Context): string {
  return context.over === undefined ? '' : ` ${context.over}`;
}

function sum(context: Context, args: readonly Typed[], call: CallExpr): Typed {
  const x = toNumber(context, asValue(context, arg(args, 0)));
  if (isFloat(x.type) || !isExact(x.type))
    return {
      sql: `sum(${distinct(call)}${x.sql})${windowed(context)}`,
      type: withDoubleDecimals(doubleType, [x.type]),
    };
  const shape = decimalShape(x.type);
  return {
    sql: `sum(${distinct(call)}${x.sql})${windowed(context)}`,
    type: decimalType(shape.digits + shape.scale + 22, shape.scale),
  };
}

function avg(context: Context, args: readonly Typed[], call: CallExpr): Typed {
  const x = toNumber(context, asValue(context, arg(args, 0)));
  if (isFloat(x.type) || !isExact(x.type))
    return {
      sql: `avg(${distinct(call)}${x.sql})${windowed(context)}`,
      type: withDoubleDecimals(doubleType, [x.type], divPrecisionIncrement),
    };
  const shape = decimalShape(x.type);
  const scale = shape.scale + divPrecisionIncrement;
  const type = decimalType(shape.digits + scale, scale);
  // DuckDB's widest DECIMAL holds 38 digits: a wider scale keeps the DOUBLE average.
  if (context.dialect !== 'duckdb' || scale >= 38)
    return { sql: `avg(${distinct(call)}${x.sql})${windowed(context)}`, type };
  const sql = exactAverageSql({
    sum: `sum(${distinct(call)}${x.sql})${windowed(context)}`,
    count: `count(${distinct(call)}${x.sql})${windowed(context)}`,
    scale: shape.scale,
  });
  return { sql, type };
}

/**
 * DuckDB SQL for MySQL's AVG of exact numbers: the exact quotient of the DECIMAL sum by the
 * count, rounded half away from zero to the sum's scale plus `div_precision_increment` (MariaDB
 * divides its DECIMAL sum; DuckDB's `avg` and DECIMAL division go through DOUBLE and lose digits
 * past the 16th). Integer arithmetic on the unscaled sum: quotient, then the rounded remainder.
 * NULL when `count` is 0.
 */
export function exactAverageSql(input: { sum: string; count: string; scale: number }): string {
  const unscaled = `CAST((${input.sum}) * 1${'0'.repeat(input.scale)} AS HUGEINT)`;
  const count = `NULLIF(CAST((${input.count}) AS HUGEINT), 0)`;
  const step = `1${'0'.repeat(divPrecisionIncrement)}`;
  const magnitude = `abs(${unscaled})`;
  const rounded = `((${magnitude} // ${count}) * ${step} + (2 * (${magnitude} % ${count}) * ${step} + ${count}) // (2 * ${count}))`;
  const scale = input.scale + divPrecisionIncrement;
  const unit = `CAST('0.${'0'.repeat(scale - 1)}1' AS DECIMAL(${scale + 1},${scale}))`;
  return `(CAST(CASE WHEN ${unscaled} < 0 THEN -${rounded} ELSE ${rounded} END AS DECIMAL(38,0)) * ${unit})`;
}

function minMax(name: 'min' | 'max'): FunctionTable[string] {
  return define(1, 1, (context, args, call) => {
    const x = asValue(context, arg(args, 0));
    // MIN/MAX of text is sent with decimals 0, as MariaDB does for a grouped query.
    const text = isString(x.type) ? { scale: 0 } : {};
    const type = { ...withoutMembers(x.type), nullable: true, ...text };
    if (x.type.type === 'time' && context.dialect === 'sqlite') {
      // SQLite's TIME text: the extreme duration, printed back as TIME text.
      const key = `${name}(${distinct(call)}exo_time_key(${x.sql}))${windowed(context)}`;
      return { sql: `exo_micros_time(${key}, ${x.type.scale ?? 0})`, type };
    }
    // Text compares without case; binary strings byte by byte (DuckDB refuses COLLATE on BLOB).
    const value = isCollatedText(x.type) ? `${x.sql} COLLATE NOCASE` : x.sql;
    return { sql: `${name}(${distinct(call)}${value})${windowed(context)}`, type };
  });
}

function statistic(duck: string, sqlite: string): FunctionTable[string] {
  return define(1, 1, (context, args, call) => {
    const value = toNumber(context, asValue(context, arg(args, 0)));
    const fn = context.dialect === 'duckdb' ? duck : sqlite;
    // Of exact values MySQL shows the DOUBLE with the argument's decimals plus 4.
    const type = isExact(value.type)
      ? { ...doubleType, scale: Math.min((value.type.scale ?? 0) + 4, 30) }
      : withDoubleDecimals(doubleType, [value.type], divPrecisionIncrement);
    return { sql: `${fn}(${distinct(call)}${value.sql})${windowed(context)}`, type };
  });
}

function bitAggregate(name: string, empty: string): FunctionTable[string] {
  return define(
    1,
    1,
    (context, args) => {
      // Over MySQL's unsigned 64-bit values (~x is past BIGINT).
      const x = aggregateBits(toNumber(context, asValue(context, arg(args, 0))));
      const sql = `coalesce(CAST(${name}(CAST(${x} AS UBIGINT))${windowed(context)} AS HUGEINT), ${empty})`;
      return { sql, type: { ...bigintType, unsigned: true, nullable: false } };
    },
    ['sqlite'],
  );
}

/**
 * JSON_ARRAYAGG([DISTINCT] x [ORDER BY …]) and JSON_OBJECTAGG(k, v) as MariaDB writes them:
 * '[1,null,"a"]' (NULLs kept, no space) and '{"k":1, "l":2}' (rows with a NULL key left out);
 * NULL over no rows. Each value is written by `exo_json_agg_value` / `exo_json_agg_member`
 * (dialect/json/), as JSON_ARRAY writes its values.
 */
function jsonAggregate(context: Context, args: readonly Typed[], call: CallExpr): Typed {
  const object = call.name.toUpperCase() === 'JSON_OBJECTAGG';
  const item = object
    ? `exo_json_agg_member(${textArg(context, arg(args, 0))}, ${valueArg(context, arg(args, 1))})`
    : `exo_json_agg_value(${valueArg(context, arg(args, 0))})`;
  const separator = object ? "', '" : "','";
  const order =
    call.orderBy === undefined || call.orderBy.length === 0
      ? ''
      : ` ORDER BY ${translateOrderItems(context, call.orderBy)}`;
  const distinct = call.distinct === true ? 'DISTINCT ' : '';
  const aggregate =
    context.dialect === 'duckdb'
      ? `string_agg(${distinct}${item}, ${separator}${order})${windowed(context)}`
      : distinct !== ''
        ? `group_concat(${distinct}${item}${order})${windowed(context)}`
        : `group_concat(${item}, ${separator}${order})${windowed(context)}`;
  const [open, close] = object ? ['{', '}'] : ['[', ']'];
  return { sql: `('${open}' || ${aggregate} || '${close}')`, type: jsonType };
}

function count(context: Context, args: readonly Typed[], call: CallExpr): Typed {
  const type = { ...bigintType, nullable: false };
  if (call.star === true || args.length === 0) return { sql: `count(*)${windowed(context)}`, type };
  const values = args.map((a) => asValue(context, a));
  if (values.length === 1) {
    const x = values[0]?.sql ?? 'NULL';
    const value =
      call.distinct === true && isCollatedText(values[0]?.type ?? bigintType) ? `lower(${x})` : x;
    return { sql: `count(${distinct(call)}${value})${windowed(context)}`, type };
  }
  const allPresent = values.map((v) => `${v.sql} IS NOT NULL`).join(' AND ');
  if (call.distinct !== true)
    return { sql: `count(CASE WHEN ${allPresent} THEN 1 END)${windowed(context)}`, type };
  // Strings are distinct as the case-insensitive collation compares them.
  const keys = values.map((v) => (isCollatedText(v.type) ? `lower(${v.sql})` : v.sql));
  if (context.dialect === 'duckdb')
    return {
      sql: `count(DISTINCT CASE WHEN ${allPresent} THEN row(${keys.join(', ')}) END)${windowed(context)}`,
      type,
    };
  const key = values
    .map((v, i) => (isString(v.type) ? (keys[i] ?? v.sql) : toText(context, v).sql))
    .join(` || char(31) || `);
  return {
    sql: `count(DISTINCT CASE WHEN ${allPresent} THEN ${key} END)${windowed(context)}`,
    type,
  };
}

function groupConcat(context: Context, args: readonly Typed[], call: CallExpr): Typed {
  const parts = args.map((a) => toText(context, a).sql);
  const value = parts.length === 1 ? (parts[0] ?? 'NULL') : `(${parts.join(' || ')})`;
  const separator = `'${(call.separator ?? ',').replaceAll("'", "''")}'`;
  const order =
    call.orderBy === undefined || call.orderBy.length === 0
      ? ''
      : ` ORDER BY ${translateOrderItems(context, call.orderBy)}`;
  if (context.dialect === 'duckdb') {
    if (call.distinct === true) return duckGroupConcatDistinct(context, args, call, separator);
    return {
      sql: `string_agg(${value}, ${separator}${order})${windowed(context)}`,
      type: textType,
    };
  }
  if (call.distinct === true && separator !== "','")
    return notSupported('GROUP_CONCAT(DISTINCT … SEPARATOR)', context.dialect);
  if (call.distinct === true)
    return { sql: `group_concat(DISTINCT ${value}${order})${windowed(context)}`, type: textType };
  return {
    sql: `group_concat(${value}, ${separator}${order})${windowed(context)}`,
    type: textType,
  };
}

export const aggregateFunctions: FunctionTable = {
  COUNT: define(0, 1000, count),
  SUM: define(1, 1, sum),
  AVG: define(1, 1, avg),
  MIN: minMax('min'),
  MAX: minMax('max'),
  GROUP_CONCAT: define(1, 1000, groupConcat),
  JSON_ARRAYAGG: define(1, 1, jsonAggregate),
  JSON_OBJECTAGG: define(2, 2, jsonAggregate),
  STD: statistic('stddev_pop', 'exo_stddev_pop'),
  STDDEV: statistic('stddev_pop', 'exo_stddev_pop'),
  STDDEV_POP: statistic('stddev_pop', 'exo_stddev_pop'),
  STDDEV_SAMP: statistic('stddev_samp', 'exo_stddev_samp'),
  VARIANCE: statistic('var_pop', 'exo_var_pop'),
  VAR_POP: statistic('var_pop', 'exo_var_pop'),
  VAR_SAMP: statistic('var_samp', 'exo_var_samp'),
  BIT_AND: bitAggregate('bit_and', '18446744073709551615'),
  BIT_OR: bitAggregate('bit_or', '0'),
  BIT_XOR: bitAggregate('bit_xor', '0'),
  ANY_VALUE: define(1, 1, (context, args, call) => {
    const x = asValue(context, arg(args, 0));
    // An ungrouped column over one keyed table (aggregator/first-row.ts) names its first row.
    const first =
      context.over === undefined && call.orderBy !== undefined && call.orderBy.length > 0;
    const name = context.dialect === 'duckdb' ? 'first' : 'exo_first';
    return {
      sql: first
        ? `${name}(${x.sql} ORDER BY ${translateOrderItems(context, call.orderBy ?? [])})`
        : context.dialect === 'duckdb'
          ? `any_value(${x.sql})${windowed(context)}`
          : `max(${x.sql})${windowed(context)}`,
      type: x.type,
    };
  }),
};

export const aggregateNames: ReadonlySet<string> = new Set(Object.keys(aggregateFunctions));
