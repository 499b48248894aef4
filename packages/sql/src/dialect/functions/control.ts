/** IF, IFNULL, NULLIF, COALESCE, GREATEST, LEAST, ISNULL (MySQL reference, "Flow Control Functions"). */
import { asCondition, asValue } from '../coerce.js';
import { compare, compareMode, prepareOperand } from '../compare.js';
import { unify } from '../case.js';
import type { Context } from '../context.js';
import {
  boolType,
  dateType,
  datetimeType,
  doubleType,
  isNull,
  isNumeric,
  isString,
  isTemporal,
  timeTypeOf,
} from '../type-rules.js';
import type { Typed } from '../types.js';
import { fractionDigitsOf } from './temporal.js';
import { arg, define, type FunctionTable } from './handler.js';

export const controlFunctions: FunctionTable = {
  IF: define(3, 3, (context, args) => {
    const condition = asCondition(context, arg(args, 0));
    const { type, sql } = unify(context, [arg(args, 1), arg(args, 2)]);
    return {
      sql: `(CASE WHEN ${condition} THEN ${sql[0] ?? 'NULL'} ELSE ${sql[1] ?? 'NULL'} END)`,
      type,
    };
  }),
  IFNULL: define(2, 2, (context, args) => {
    const { type, sql } = unify(context, [arg(args, 0), arg(args, 1)]);
    return { sql: `coalesce(${sql.join(', ')})`, type };
  }),
  COALESCE: define(1, 1000, (context, args) => {
    const { type, sql } = unify(context, args);
    return { sql: `coalesce(${sql.join(', ')})`, type };
  }),
  NULLIF: define(2, 2, (context, args) => {
    const first = asValue(context, arg(args, 0));
    const equal = compare(context, '=', first, arg(args, 1));
    return {
      sql: `(CASE WHEN ${equal.sql} THEN NULL ELSE ${first.sql} END)`,
      type: { ...first.type, nullable: true },
    };
  }),
  ISNULL: define(1, 1, (context, args) => ({
    sql: `(${asValue(context, arg(args, 0)).sql} IS NULL)`,
    type: boolType,
    bool: true,
  })),
  GREATEST: extreme('greatest'),
  LEAST: extreme('least'),
};

/** GREATEST/LEAST are NULL when any argument is NULL (MySQL), unlike the engines' versions. */
function extreme(name: 'greatest' | 'least'): FunctionTable[string] {
  return define(2, 1000, (context, args) => {
    const unified = unify(context, args).type;
    // MySQL types a numeric GREATEST/LEAST with a NULL argument as DOUBLE.
    const mode = compareMode(args);
    // Numbers mixed with strings compare, and come back, as DOUBLE (MariaDB: GREATEST('a', 2) is 2).
    const type =
      (args.some((a) => isNull(a.type)) && isNumeric(unified)) || mode === 'number'
        ? { ...doubleType }
        : unified;
    const values = args.map((a) =>
      mode === 'string' ? asValue(context, a).sql : prepareOperand(context, a, mode, args[0]),
    );
    const anyNull = values.map((v) => `${v} IS NULL`).join(' OR ');
    if (mode === 'datetime' || mode === 'time')
      return temporalExtreme(context, name, args, mode, values);
    // A DATE with date strings compares as dates or datetimes.
    const present = args.filter((a) => !isNull(a.type));
    if (
      present.some((a) => isTemporal(a.type)) &&
      present.every((a) => (isTemporal(a.type) && a.type.type !== 'time') || isString(a.type))
    ) {
      const stamps = args.map((a) => prepareOperand(context, a, 'datetime', args[0]));
      return temporalExtreme(context, name, args, 'datetime', stamps);
    }
    if (mode === 'string' && context.dialect === 'duckdb') {
      // DuckDB's greatest/least ignore collations: fold with collated comparisons instead,
      // keeping the first of values equal under the case-insensitive collation (as MySQL).
      const op = name === 'greatest' ? '>=' : '<=';
      const fold = `list_reduce([${values.join(', ')}], (acc, x) -> CASE WHEN (acc COLLATE NOCASE) ${op} (x COLLATE NOCASE) THEN acc ELSE x END)`;
      return { sql: `(CASE WHEN ${anyNull} THEN NULL ELSE ${fold} END)`, type };
    }
    const fn = context.dialect === 'duckdb' ? name : name === 'greatest' ? 'max' : 'min';
    // Binary strings compare as their hex digits (compare.ts): the extreme is read back.
    if (mode === 'bytes')
      return {
        sql: `(CASE WHEN ${anyNull} THEN NULL ELSE unhex(${fn}(${values.join(', ')})) END)`,
        type,
      };
    const inner = mode === 'string' ? values.map((v) => `${v} COLLATE NOCASE`) : values;
    return { sql: `(CASE WHEN ${anyNull} THEN NULL ELSE ${fn}(${inner.join(', ')}) END)`, type };
  });
}

/**
 * GREATEST/LEAST of dates, datetimes or times (with text or numbers read as such) is of the
 * compared kind, as in MariaDB: a DATE when every temporal argument is a DATE, else a DATETIME,
 * or a TIME, with the most fraction digits of the arguments.
 */
function temporalExtreme(
  context: Context,
  name: 'greatest' | 'least',
  args: readonly Typed[],
  mode: 'datetime' | 'time',
  values: readonly string[],
): Typed {
  const duck = context.dialect === 'duckdb';
  const fn = duck ? name : name === 'greatest' ? 'max' : 'min';
  const anyNull = values.map((v) => `${v} IS NULL`).join(' OR ');
  const extreme = `(CASE WHEN ${anyNull} THEN NULL ELSE ${fn}(${values.join(', ')}) END)`;
  const present = args.filter((a) => !isNull(a.type));
  // The result's fraction digits: the most of the arguments' (a DATE brings none).
  const scale = Math.min(6, Math.max(0, ...present.map(fractionDigitsOf)));
  if (mode === 'time')
    return {
      sql: duck ? extreme : `exo_micros_time(${extreme}, ${scale})`,
      type: timeTypeOf(scale),
    };
  const temporal = present.filter((a) => isTemporal(a.type));
  if (temporal.every((a) => a.type.type === 'date'))
    return { sql: duck ? `CAST(${extreme} AS DATE)` : `substr(${extreme}, 1, 10)`, type: dateType };
  return { sql: extreme, type: datetimeType(scale) };
}
