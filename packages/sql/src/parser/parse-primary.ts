/**
 * Primary expressions (the manual's simple_expr): literals, placeholders, variables, column
 * references, parenthesized expressions and rows, subqueries, CASE, EXISTS, INTERVAL, and calls.
 */
import type { Expr, LiteralExpr, Query, VariableExpr } from './ast.js';
import type { Cursor } from './cursor.js';
import {
  INTERVAL_UNITS,
  INTRODUCER_CHARSETS,
  NILADIC_FUNCTIONS,
  RESERVED,
  RESERVED_FUNCTIONS,
} from './keywords.js';
import { TokenType, type Token } from './lexer.js';
import { parseExpr, parseExprList } from './parse-expr.js';
import { parseCall } from './parse-call.js';
import { parseQuery, parseQueryRest } from './parse-select.js';

export function parsePrimary(c: Cursor): Expr {
  const token = c.token;
  switch (token.type) {
    case TokenType.Integer:
      c.advance();
      return integerLiteral(token);
    case TokenType.Decimal:
      c.advance();
      return {
        kind: 'literal',
        type: 'decimal',
        value: token.text,
        raw: token.text,
        pos: token.pos,
      };
    case TokenType.Double:
      c.advance();
      return {
        kind: 'literal',
        type: 'double',
        value: Number(token.text),
        raw: token.text,
        pos: token.pos,
      };
    case TokenType.String:
      return { kind: 'literal', type: 'string', value: c.string(), pos: token.pos };
    case TokenType.NationalString:
      return {
        kind: 'literal',
        type: 'string',
        value: c.string(),
        charset: 'utf8',
        pos: token.pos,
      };
    case TokenType.Hex:
      c.advance();
      return {
        kind: 'literal',
        type: 'hex',
        value: token.text,
        ...(token.upper === '0X' ? { raw: `0x${token.text}` } : {}),
        pos: token.pos,
      };
    case TokenType.Bit:
      c.advance();
      return { kind: 'literal', type: 'bit', value: token.text, pos: token.pos };
    case TokenType.Param:
      c.advance();
      return { kind: 'param', index: c.paramCount++, pos: token.pos };
    case TokenType.UserVar:
      c.advance();
      return { kind: 'variable', name: token.text, system: false, pos: token.pos };
    case TokenType.SystemVar:
      c.advance();
      return systemVariable(token);
    case TokenType.Op:
      if (token.text === '(') return parseParenthesized(c);
      throw c.error();
    case TokenType.Word:
      return parseWord(c, token);
    case TokenType.QuotedIdent:
      return parseNameOrCall(c);
    case TokenType.End:
      throw c.error();
  }
}

export function integerLiteral(token: Token): LiteralExpr {
  const number = Number(token.text);
  const value = Number.isSafeInteger(number) ? number : BigInt(token.text);
  return { kind: 'literal', type: 'int', value, raw: token.text, pos: token.pos };
}

const SCOPES = ['global', 'session', 'local', 'persist', 'persist_only'] as const;

export function systemVariable(token: Token): VariableExpr {
  const text = token.text;
  const dot = text.indexOf('.');
  if (dot > 0) {
    const scope = text.slice(0, dot).toLowerCase();
    const known = SCOPES.find((candidate) => candidate === scope);
    if (known !== undefined) {
      return {
        kind: 'variable',
        name: text.slice(dot + 1).toLowerCase(),
        system: true,
        scope: known,
        pos: token.pos,
      };
    }
  }
  return { kind: 'variable', name: text.toLowerCase(), system: true, pos: token.pos };
}

/**
 * `( … )`: a subquery, a row constructor, or a parenthesized expression. `((SELECT 1) + 2)` and
 * `((SELECT 1) UNION (SELECT 2))` start alike: the inner parenthesis is parsed once, and when it
 * turns out to begin an expression it is remembered so that re-reading the expression reuses it
 * (each parenthesis is parsed once, so nesting stays linear).
 */
function parseParenthesized(c: Cursor): Expr {
  const start = c.index;
  const remembered = c.remembered.get(start);
  if (remembered !== undefined) {
    c.index = remembered.end;
    c.paramCount = remembered.paramCount;
    return remembered.expr;
  }
  const pos = c.token.pos;
  if (c.isWordAt(1, 'SELECT') || c.isWordAt(1, 'WITH')) {
    return { kind: 'subquery', query: parseSubqueryInParens(c), pos };
  }
  c.advance();
  if (startsQuery(c)) {
    c.enter();
    const innerStart = c.index;
    const innerParams = c.paramCount;
    const inner = parseParenthesized(c);
    if (inner.kind === 'subquery' && continuesQuery(c)) {
      const query = parseQueryRest(c, inner.query);
      c.expectOp(')');
      c.leave();
      return { kind: 'subquery', query, pos };
    }
    c.remembered.set(innerStart, { expr: inner, end: c.index, paramCount: c.paramCount });
    c.index = innerStart;
    c.paramCount = innerParams;
    c.leave();
  }
  // Each parenthesis costs one nesting level, taken by parseExpr.
  const items = parseExprList(c);
  c.expectOp(')');
  if (items.length === 1) return items[0] as Expr;
  return { kind: 'row', items, pos };
}

/** After a parenthesized query: what continues it as a query rather than an expression. */
function continuesQuery(c: Cursor): boolean {
  const token = c.token;
  if (token.type !== TokenType.Word) return false;
  const upper = token.upper;
  return (
    upper === 'UNION' ||
    upper === 'INTERSECT' ||
    upper === 'EXCEPT' ||
    upper === 'ORDER' ||
    upper === 'LIMIT'
  );
}

/** True at `(` followed, after any further `(`, by SELECT or WITH. */
function startsQuery(c: Cursor): boolean {
  let offset = 0;
  while (c.isOpAt(offset, '(')) offset++;
  return offset > 0 && (c.isWordAt(offset, 'SELECT') || c.isWordAt(offset, 'WITH'));
}

/** `( query )` for IN, EXISTS, ANY/ALL and scalar subqueries. */
export function parseSubqueryInParens(c: Cursor): Query {
  c.expectOp('(');
  const query = parseQuery(c);
  c.expectOp(')');
  return query;
}

function parseWord(c: Cursor, token: Token): Expr {
  const upper = token.upper;
  const next = c.peek(1);
  const call = next.type === TokenType.Op && next.text === '(';
  switch (upper) {
    case 'NULL':
      c.advance();
      return { kind: 'literal', type: 'null', value: null, pos: token.pos };
    case 'TRUE':
    case 'FALSE':
      c.advance();
      return { kind: 'literal', type: 'bool', value: upper === 'TRUE', pos: token.pos };
    case 'DEFAULT':
      c.advance();
      if (call) {
        c.advance();
        const column = parseNameOrCall(c);
        if (column.kind !== 'column') throw c.error();
        c.expectOp(')');
        return { kind: 'default', column, pos: token.pos };
      }
      return { kind: 'default', pos: token.pos };
    case 'EXISTS':
      c.advance();
      return { kind: 'exists', query: parseSubqueryInParens(c), pos: token.pos };
    case 'CASE':
      return parseCase(c);
    case 'ROW':
      if (!call) break;
      c.advance();
      c.advance();
      return { kind: 'row', items: closeList(c), pos: token.pos };
    case 'INTERVAL':
      return parseInterval(c);
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      if (next.type === TokenType.String) {
        c.advance();
        const value = c.string();
        const type = upper === 'DATE' ? 'date' : upper === 'TIME' ? 'time' : 'timestamp';
        return { kind: 'literal', type, value, pos: token.pos };
      }
      break;
    default:
      if (
        upper.charCodeAt(0) === 95 /* _ */ &&
        (next.type === TokenType.String ||
          next.type === TokenType.Hex ||
          next.type === TokenType.Bit)
      ) {
        const charset = token.text.slice(1).toLowerCase();
        if (INTRODUCER_CHARSETS.has(charset)) {
          c.advance();
          const literal = parsePrimary(c) as LiteralExpr;
          return { ...literal, charset, pos: token.pos };
        }
      }
  }
  if (RESERVED.has(upper)) {
    if (call && RESERVED_FUNCTIONS.has(upper)) return parseCall(c);
    if (NILADIC_FUNCTIONS.has(upper)) {
      c.advance();
      return { kind: 'call', name: upper, args: [], pos: token.pos };
    }
    throw c.error();
  }
  return parseNameOrCall(c);
}

/** `a`, `t.a`, `db.t.a`, `t.*`, `db.t.*`, `f(…)` or `db.f(…)`. */
function parseNameOrCall(c: Cursor): Expr {
  const pos = c.token.pos;
  if (c.isOpAt(1, '(')) return parseCall(c);
  const first = c.identifier();
  if (!c.isOp('.')) return { kind: 'column', column: first, pos };
  c.advance();
  if (c.acceptOp('*')) return { kind: 'star', table: first, pos };
  if (c.isOpAt(1, '(')) return parseCall(c, first);
  const second = c.identifierAfterDot();
  if (!c.isOp('.')) return { kind: 'column', table: first, column: second, pos };
  c.advance();
  if (c.acceptOp('*')) return { kind: 'star', database: first, table: second, pos };
  return { kind: 'column', database: first, table: second, column: c.identifierAfterDot(), pos };
}

/** The rest of a comma list after its `(`, through the `)`. */
function closeList(c: Cursor): Expr[] {
  c.enter();
  const items = parseExprList(c);
  c.expectOp(')');
  c.leave();
  return items;
}

function parseCase(c: Cursor): Expr {
  const pos = c.advance().pos;
  c.enter();
  const operand = c.isWord('WHEN') ? undefined : parseExpr(c);
  const whens: { when: Expr; then: Expr }[] = [];
  while (c.acceptWord('WHEN')) {
    const when = parseExpr(c);
    c.expectWord('THEN');
    whens.push({ when, then: parseExpr(c) });
  }
  if (whens.length === 0) throw c.error();
  const otherwise = c.acceptWord('ELSE') ? parseExpr(c) : undefined;
  c.expectWord('END');
  c.leave();
  const node = { kind: 'case', whens, pos } as const;
  if (operand !== undefined && otherwise !== undefined) {
    return { ...node, operand, else: otherwise };
  }
  if (operand !== undefined) return { ...node, operand };
  if (otherwise !== undefined) return { ...node, else: otherwise };
  return node;
}

/** The unit word of an INTERVAL, EXTRACT, TIMESTAMPADD or TIMESTAMPDIFF. */
export function parseIntervalUnit(c: Cursor): string {
  const token = c.token;
  if (token.type !== TokenType.Word || !INTERVAL_UNITS.has(token.upper)) throw c.error();
  c.advance();
  return token.upper;
}

/** `INTERVAL expr unit`, or the INTERVAL(n, n1, n2, …) function. */
function parseInterval(c: Cursor): Expr {
  const pos = c.advance().pos;
  c.enter();
  let value: Expr;
  if (c.isOp('(')) {
    c.advance();
    const items = parseExprList(c);
    c.expectOp(')');
    if (!isIntervalUnit(c.token)) {
      c.leave();
      return { kind: 'call', name: 'INTERVAL', args: items, pos };
    }
    value = items.length === 1 ? (items[0] as Expr) : { kind: 'row', items, pos };
  } else {
    value = parseExpr(c);
  }
  const unit = parseIntervalUnit(c);
  c.leave();
  return { kind: 'interval', value, unit, pos };
}

function isIntervalUnit(token: Token): boolean {
  return token.type === TokenType.Word && INTERVAL_UNITS.has(token.upper);
}
