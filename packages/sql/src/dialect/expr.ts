/** Translates one expression node into engine SQL with its MySQL type. */
import { columnRead } from './time-zone.js';
import { expandRowComparison, expandRowIn } from './row-compare.js';
import type { Expr } from '../parser/ast-expr.js';
import { inListItems } from '../parser/walk.js';
import { sqlError } from '../errors.js';
import {
  depthMax,
  metaType,
  notSupported,
  quoteIdentifier,
  resolveColumn,
  type Context,
} from './context.js';
import { asCondition, asValue, noCase, toText } from './coerce.js';
import { paramMarker, typedParamSql } from './params.js';
import {
  binaryText,
  binaryCollation,
  compare,
  compareMode,
  paddedColumn,
  paddedTest,
  prepareOperand,
  besideColumn,
  widenFloats,
} from './compare.js';
import { translateCase } from './case.js';
import { translateCast } from './cast.js';
import { translateCall, translateWindowCall } from './functions/registry.js';
import { translateExtract } from './functions/date-parts.js';
import { translateTrim } from './functions/strings.js';
import { translateJsonPath } from './functions/json.js';
import { translateMemberOf } from './functions/member-of.js';
import { translateLiteral } from './literals.js';
import { arithmetic, bitNot, bitwise, logical, negate, not } from './operators.js';
import { translateSubquery } from './subquery.js';
import { boolType, isCollatedText, isNumeric, isString, nullType } from './type-rules.js';
import type { Typed } from './types.js';

const comparisons = new Set(['=', '<=>', '<>', '<', '<=', '>', '>=']);
const arithmetics = new Set(['+', '-', '*', '/', 'DIV', '%']);
const bitwiseOps = new Set(['|', '&', '<<', '>>', '^']);

export function translate(context: Context, expr: Expr): Typed {
  if (context.depth > depthMax) throw sqlError('NOT_SUPPORTED', 'Expression nesting is too deep');
  const inner = { ...context, depth: context.depth + 1 };
  return translateNode(inner, expr);
}

/** A translated value (booleans as 0/1). */
export function translateValue(context: Context, expr: Expr): Typed {
  return asValue(context, translate(context, expr));
}

/** A translated condition (engine boolean where the engine has one). */
export function translateCondition(context: Context, expr: Expr): string {
  return asCondition(context, translate(context, expr));
}

function translateNode(context: Context, expr: Expr): Typed {
  switch (expr.kind) {
    case 'literal':
      return translateLiteral(context, expr);
    case 'param': {
      const bound = context.options.paramTypes?.[expr.index];
      if (bound === undefined) return { sql: paramMarker(expr.index), type: nullType };
      return { sql: typedParamSql(expr.index, bound, context.dialect), type: bound };
    }
    case 'column': {
      const alias =
        expr.table === undefined
          ? context.scope.aliases?.get(expr.column.toLowerCase())
          : undefined;
      if (
        alias !== undefined &&
        (context.scope.aliasesFirst?.has(expr.column.toLowerCase()) === true ||
          !hasColumn(context, expr.column))
      )
        return alias;
      const found = resolveColumn(context.scope, expr.table, expr.column);
      const sql = `${quoteIdentifier(found.table.name)}.${quoteIdentifier(found.column.name)}`;
      return {
        // A legacy DuckDB TIME column reads as the INTERVAL every other TIME value is; a
        // TIMESTAMP in the session's time zone, unless the value as stored is asked for.
        sql:
          found.column.legacyTime === true && context.dialect === 'duckdb'
            ? `to_microseconds(epoch_us(${sql}))`
            : expr.stored === true
              ? sql
              : columnRead(context, sql, found.column),
        type: metaType(found.column),
      };
    }
    case 'star':
      throw sqlError('PARSE', "'*' is allowed only in a select list or COUNT(*)");
    case 'unary':
      return translateUnary(context, expr.op, translate(context, expr.operand));
    case 'binary': {
      const rows = expandRowComparison(expr);
      return rows === undefined ? translateBinary(context, expr) : translate(context, rows);
    }
    case 'between': {
      const values = widenFloats(context, [
        translate(context, expr.expr),
        translate(context, expr.low),
        translate(context, expr.high),
      ]);
      const mode = compareMode(values);
      const [x, low, high] = values.map((v) => prepareOperand(context, v, mode, values[0]));
      const sql = `(${x} ${expr.not ? 'NOT ' : ''}BETWEEN ${low} AND ${high})`;
      return { sql, type: boolType, bool: true };
    }
    case 'in':
      return translateIn(context, expr);
    case 'like': {
      const source = translate(context, expr.expr);
      const target = translate(context, expr.pattern);
      const value = toText(context, source);
      const pattern = toText(context, target);
      const escape =
        expr.escape === undefined ? "'\\'" : toText(context, translate(context, expr.escape)).sql;
      // A binary operand matches case-sensitively (SQLite's LIKE folds ASCII case regardless).
      const binary = source.binary === true || target.binary === true;
      if (binary && context.dialect === 'sqlite') {
        const test = `exo_like_binary(${value.sql}, ${pattern.sql}, ${escape})`;
        return { sql: expr.not ? `(NOT ${test})` : test, type: boolType, bool: true };
      }
      const literal =
        expr.pattern.kind === 'literal' && typeof expr.pattern.value === 'string'
          ? expr.pattern.value
          : undefined;
      // DuckDB's ILIKE lowers both sides (utf8proc, one code point for one) unless both are
      // ASCII, so `lower(x) LIKE lower(p)` is the same test, and DuckDB runs it as a substring
      // search when p is a literal (ILIKE: 3 times slower).
      const folded = context.dialect === 'duckdb' && !binary && literal !== undefined;
      const op = context.dialect === 'duckdb' && !binary && !folded ? 'ILIKE' : 'LIKE';
      // Text columns carry COLLATE NOCASE, which would wrap the lowered value in lower() again
      // and keep DuckDB's LIKE off its constant-pattern matcher (2-3 times slower);
      // decode(encode(x)) is the same text without the collation.
      const subject = binary
        ? binaryCollation(context, value.sql)
        : folded
          ? `lower(${isString(source.type) ? `decode(encode(${value.sql}))` : value.sql})`
          : value.sql;
      const matched = folded ? `lower(${pattern.sql})` : pattern.sql;
      // A literal pattern without a backslash means the same without the default escape, and
      // DuckDB optimizes only a LIKE without ESCAPE.
      const escaped = expr.escape !== undefined || literal === undefined || literal.includes('\\');
      return {
        sql: `(${subject} ${expr.not ? 'NOT ' : ''}${op} ${matched}${escaped ? ` ESCAPE ${escape}` : ''})`,
        type: boolType,
        bool: true,
      };
    }
    case 'regexp': {
      const value = toText(context, translate(context, expr.expr));
      const pattern = toText(context, translate(context, expr.pattern));
      const test =
        context.dialect === 'duckdb'
          ? `regexp_matches(${value.sql}, ${pattern.sql}, 'i')`
          : `exo_regexp(${value.sql}, ${pattern.sql})`;
      return { sql: expr.not ? `(NOT ${test})` : test, type: boolType, bool: true };
    }
    case 'isNull':
      return {
        sql: `(${translateValue(context, expr.expr).sql} IS ${expr.not ? 'NOT ' : ''}NULL)`,
        type: { ...boolType, nullable: false },
        bool: true,
      };
    case 'isBool': {
      const condition =
        context.dialect === 'sqlite'
          ? `(NOT NOT ${translateCondition(context, expr.expr)})`
          : translateCondition(context, expr.expr);
      const sql = `(${condition} IS ${expr.not ? 'NOT ' : ''}${expr.value ? 'TRUE' : 'FALSE'})`;
      return { sql, type: { ...boolType, nullable: false }, bool: true };
    }
    case 'case':
      return translateCase(context, expr);
    case 'cast':
      return translateCast(context, translate(context, expr.expr), expr.type);
    case 'convertUsing':
      return toText(context, translate(context, expr.expr));
    case 'call':
      return translateCall(context, expr);
    case 'windowCall':
      return translateWindowCall(context, expr);
    case 'interval':
      throw sqlError('PARSE', 'INTERVAL is allowed only with a date or time value');
    case 'extract':
      return translateExtract(context, expr.unit, translate(context, expr.expr));
    case 'trim':
      return translateTrim(context, expr);
    case 'exists':
    case 'subquery':
      return translateSubquery(context, expr);
    case 'quantified':
      throw sqlError('PARSE', 'ANY/SOME/ALL needs a comparison');
    case 'row':
      return {
        sql: `(${expr.items.map((item) => translateValue(context, item).sql).join(', ')})`,
        type: nullType,
      };
    case 'variable':
    case 'assign':
    case 'default':
      return notSupported(
        `${expr.kind === 'variable' ? 'A variable' : expr.kind === 'assign' ? 'Assignment' : 'DEFAULT'} inside a pushed-down expression`,
      );
    case 'collate': {
      const value = translate(context, expr.expr);
      const binary = /_bin$|^binary$/i.test(expr.collation);
      if (!binary) return { ...value, sql: noCase(value.sql) };
      return {
        ...value,
        sql: binaryCollation(context, value.sql),
        binary: true,
      };
    }
    case 'jsonExtract':
      return translateJsonPath(
        context,
        translate(context, expr.expr),
        translate(context, expr.path),
        expr.unquote,
      );
    case 'memberOf':
      return translateMemberOf(
        context,
        translate(context, expr.value),
        translate(context, expr.json),
      );
  }
}

function hasColumn(context: Context, column: string): boolean {
  try {
    resolveColumn(context.scope, undefined, column);
    return true;
  } catch {
    return false;
  }
}

function translateUnary(context: Context, op: string, operand: Typed): Typed {
  switch (op) {
    case '-':
      return negate(context, operand);
    case '+':
      return asValue(context, operand);
    case '~':
      return bitNot(context, operand);
    case 'NOT':
      return not(context, operand);
    default:
      // BINARY x: a binary string, which compares, sorts and groups by its bytes.
      return binaryText(context, operand);
  }
}

function translateBinary(context: Context, expr: Extract<Expr, { kind: 'binary' }>): Typed {
  const op = expr.op;
  if (comparisons.has(op) && expr.right.kind === 'quantified') {
    const left = translateValue(context, expr.left);
    const sub = translateSubquery(context, { kind: 'subquery', query: expr.right.query });
    const quantifier = expr.right.quantifier === 'ALL' ? 'ALL' : 'ANY';
    return { sql: `(${left.sql} ${op} ${quantifier} ${sub.sql})`, type: boolType, bool: true };
  }
  if (
    (op === '+' || op === '-') &&
    (expr.right.kind === 'interval' || expr.left.kind === 'interval')
  ) {
    return translateCall(context, {
      kind: 'call',
      name: op === '+' ? 'DATE_ADD' : 'DATE_SUB',
      args: expr.right.kind === 'interval' ? [expr.left, expr.right] : [expr.right, expr.left],
    });
  }
  const left = translate(context, expr.left);
  const right = translate(context, expr.right);
  if (comparisons.has(op)) return compare(context, op, left, right);
  if (arithmetics.has(op)) return arithmetic(context, op, left, right);
  if (bitwiseOps.has(op)) return bitwise(context, op, left, right);
  return logical(context, op, left, right);
}

/**
 * DuckDB binds each literal of an IN list as an expression: 2,128 keys took 11 ms to plan per
 * partition statement (more than the filtered scan of a partition's lineitem), the same keys
 * as one array constant 2 ms, and the test runs as the same hash join.
 */
const KEY_ARRAY_MIN = 64;
const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;

/** Integer keys as `(k1, k2, …)`, or on DuckDB past a few dozen as one array constant. */
function keyList(context: Context, keys: readonly (number | bigint)[]): string {
  if (context.dialect !== 'duckdb' || keys.length < KEY_ARRAY_MIN) return `(${keys.join(', ')})`;
  const wide = keys.some(
    (key) => typeof key === 'bigint' && (key < BIGINT_MIN || key > BIGINT_MAX),
  );
  return `(SELECT unnest(CAST('[${keys.join(',')}]' AS ${wide ? 'HUGEINT' : 'BIGINT'}[])))`;
}

function translateIn(context: Context, expr: Extract<Expr, { kind: 'in' }>): Typed {
  const rows = expandRowIn(expr);
  if (rows !== undefined) return translate(context, rows);
  const given = translate(context, expr.expr);
  const not = expr.not ? 'NOT ' : '';
  if (expr.query !== undefined) {
    const sub = translateSubquery(context, { kind: 'subquery', query: expr.query });
    const left = isCollatedText(given.type)
      ? noCase(asValue(context, given).sql)
      : asValue(context, given).sql;
    return { sql: `(${left} ${not}IN ${sub.sql})`, type: boolType, bool: true };
  }
  // Integer keys against a number compare natively, each written as translateLiteral writes it.
  if (expr.keys !== undefined && isNumeric(given.type)) {
    const left = prepareOperand(context, given, 'native', given);
    return { sql: `(${left} ${not}IN ${keyList(context, expr.keys)})`, type: boolType, bool: true };
  }
  const [value, ...items] = widenFloats(context, [
    given,
    ...(inListItems(expr) ?? []).map((item) => translate(context, item)),
  ]) as [Typed, ...Typed[]];
  const mode = compareMode([value, ...items]);
  if (items.some((item) => compareMode([value, item]) !== mode)) {
    // A list of mixed types compares each item with the value by that pair's rules (MariaDB's
    // Item_func_in with a comparator per type): 5 IN (DATE '2024-01-01', 5) is 1, not NULL.
    const tests = items.map((item) => compare(context, '=', value, item).sql);
    const any = `(${tests.join(' OR ')})`;
    return { sql: not === '' ? any : `(NOT ${any})`, type: boolType, bool: true };
  }
  const left = prepareOperand(context, value, mode, value);
  const list = items.map((item) => besideColumn(prepareOperand(context, item, mode, value), value));
  const column = mode === 'string' ? paddedColumn(context, value, items) : undefined;
  if (column !== undefined) {
    const found = paddedTest(column, (operand) => `(${operand} IN (${list.join(', ')}))`);
    return { sql: not === '' ? found : `(NOT ${found})`, type: boolType, bool: true };
  }
  return { sql: `(${left} ${not}IN (${list.join(', ')}))`, type: boolType, bool: true };
}
