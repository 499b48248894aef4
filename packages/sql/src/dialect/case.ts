/** CASE and the CASE-like functions share MySQL's result-type aggregation. */
import { DUCK_ZERO, zeroDateConstant } from '../zero-date.js';
import type { CaseExpr } from '../parser/ast-expr.js';
import type { Context } from './context.js';
import { asCondition, asValue, toNumber, toText } from './coerce.js';
import { compare } from './compare.js';
import { translate } from './expr.js';
import {
  aggregateType,
  isDateTime,
  isNull,
  isNumeric,
  isString,
  isTemporal,
} from './type-rules.js';
import type { MyType, Typed } from './types.js';

/** Converts a branch value to the aggregated type so every engine accepts the mix. */
export function coerceTo(context: Context, input: Typed, target: MyType): Typed {
  const value = asValue(context, input);
  if (isNull(value.type)) return value;
  if (target.type === 'blob' && value.type.type !== 'blob') {
    // Text joins binary strings as its UTF-8 bytes (DuckDB casts only ASCII text to BLOB).
    const text = toText(context, value).sql;
    return {
      sql: context.dialect === 'duckdb' ? `encode(${text})` : `CAST(${text} AS BLOB)`,
      type: target,
    };
  }
  if (isString(target) && !isString(value.type)) return toText(context, value);
  if (isNumeric(target) && !isNumeric(value.type)) return toNumber(context, value);
  if (isDateTime(target) && value.type.type === 'date') {
    return {
      sql:
        context.dialect === 'duckdb'
          ? `CAST(${value.sql} AS TIMESTAMP)`
          : `(${value.sql} || ' 00:00:00')`,
      type: target,
    };
  }
  if (isTemporal(target) && context.dialect === 'duckdb' && !isTemporal(value.type)) {
    // The zero date is stored as '-infinity' (zero-date.ts).
    if (target.type !== 'time' && isZeroConstant(value))
      return {
        sql: `${target.type === 'date' ? 'DATE' : 'TIMESTAMP'} '${DUCK_ZERO}'`,
        type: target,
      };
    return { sql: `TRY_CAST(${value.sql} AS TIMESTAMP)`, type: target };
  }
  return value;
}

function isZeroConstant(value: Typed): boolean {
  const literal = value.constant?.value;
  return typeof literal === 'string' && zeroDateConstant(literal) !== undefined;
}

/** Branches converted to their aggregated type. */
export function unify(context: Context, values: readonly Typed[]): { type: MyType; sql: string[] } {
  const type = aggregateType(values.map((v) => asValue(context, v).type));
  return { type, sql: values.map((v) => coerceTo(context, v, type).sql) };
}

export function translateCase(context: Context, expr: CaseExpr): Typed {
  const operand = expr.operand === undefined ? undefined : translate(context, expr.operand);
  const conditions = expr.whens.map((w) => {
    const when = translate(context, w.when);
    return operand === undefined
      ? asCondition(context, when)
      : asCondition(context, compare(context, '=', operand, when));
  });
  const results = expr.whens.map((w) => translate(context, w.then));
  const otherwise = expr.else === undefined ? undefined : translate(context, expr.else);
  const { type, sql } = unify(context, otherwise === undefined ? results : [...results, otherwise]);
  const parts = conditions.map((condition, i) => `WHEN ${condition} THEN ${sql[i] ?? 'NULL'}`);
  const elseSql = otherwise === undefined ? '' : ` ELSE ${sql[sql.length - 1] ?? 'NULL'}`;
  return {
    sql: `(CASE ${parts.join(' ')}${elseSql} END)`,
    type: otherwise === undefined ? { ...type, nullable: true } : type,
  };
}
