/**
 * Expressions by precedence climbing, lowest first, following the MySQL 8.0 manual's
 * "Operator Precedence" table and its grammar (expr → bool_pri → predicate → bit_expr →
 * simple_expr): `:=`; OR, ||; XOR; AND, &&; NOT; comparisons and IS; BETWEEN, IN, LIKE, REGEXP,
 * MEMBER OF; |; &; <<, >>; -, +; *, /, DIV, %, MOD; ^; unary -, ~, !; BINARY, COLLATE.
 */
import type { BinaryOp, Expr } from './ast.js';
import type { Cursor } from './cursor.js';
import { TokenType } from './lexer.js';
import { parsePrimary, parseSubqueryInParens } from './parse-primary.js';

export function parseExpr(c: Cursor): Expr {
  c.enter();
  const pos = c.token.pos;
  const left = parseOr(c);
  let result = left;
  if (c.isOp(':=')) {
    if (left.kind !== 'variable' || left.system) throw c.error();
    c.advance();
    result = { kind: 'assign', target: left, value: parseExpr(c), pos };
  }
  c.leave();
  return result;
}

/** Comma-separated expressions. */
export function parseExprList(c: Cursor): Expr[] {
  const list = [parseExpr(c)];
  while (c.acceptOp(',')) list.push(parseExpr(c));
  return list;
}

/** Chains longer than this become balanced trees so that deep chains cannot exhaust stacks. */
const CHAIN_LEFT_DEEP_MAX = 32;

/**
 * AND and OR are associative, so a chain's shape carries no meaning: operands of a
 * parenthesized same-operator subexpression are spliced in, and long chains are balanced.
 */
function buildChain(op: 'AND' | 'OR', operands: Expr[], pos: number): Expr {
  const flat: Expr[] = [];
  for (const operand of operands) collectChain(op, operand, flat);
  if (flat.length <= CHAIN_LEFT_DEEP_MAX) {
    let tree = flat[0] as Expr;
    for (let index = 1; index < flat.length; index++) {
      tree = { kind: 'binary', op, left: tree, right: flat[index] as Expr, pos };
    }
    return tree;
  }
  return balance(op, flat, 0, flat.length, pos);
}

function collectChain(op: string, expr: Expr, out: Expr[]): void {
  if (expr.kind === 'binary' && expr.op === op) {
    collectChain(op, expr.left, out);
    collectChain(op, expr.right, out);
  } else {
    out.push(expr);
  }
}

function balance(op: 'AND' | 'OR', flat: Expr[], from: number, to: number, pos: number): Expr {
  if (to - from === 1) return flat[from] as Expr;
  const middle = (from + to) >>> 1;
  const left = balance(op, flat, from, middle, pos);
  const right = balance(op, flat, middle, to, pos);
  return { kind: 'binary', op, left, right, pos };
}

function parseOr(c: Cursor): Expr {
  const pos = c.token.pos;
  const first = parseXor(c);
  if (!c.isWord('OR') && !c.isOp('||')) return first;
  const operands = [first];
  while (c.acceptWord('OR') || c.acceptOp('||')) operands.push(parseXor(c));
  return buildChain('OR', operands, pos);
}

function parseXor(c: Cursor): Expr {
  const pos = c.token.pos;
  let left = parseAnd(c);
  const height = c.height;
  while (c.acceptWord('XOR')) {
    c.grow();
    left = { kind: 'binary', op: 'XOR', left, right: parseAnd(c), pos };
  }
  c.height = height;
  return left;
}

function parseAnd(c: Cursor): Expr {
  const pos = c.token.pos;
  const first = parseNot(c);
  if (!c.isWord('AND') && !c.isOp('&&')) return first;
  const operands = [first];
  while (c.acceptWord('AND') || c.acceptOp('&&')) operands.push(parseNot(c));
  return buildChain('AND', operands, pos);
}

function parseNot(c: Cursor): Expr {
  if (!c.isWord('NOT')) return parseComparison(c);
  const pos = c.advance().pos;
  c.enter();
  const operand = parseNot(c);
  c.leave();
  return { kind: 'unary', op: 'NOT', operand, pos };
}

const COMPARISONS: Readonly<Record<string, BinaryOp>> = {
  '=': '=',
  '<=>': '<=>',
  '<>': '<>',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

function parseComparison(c: Cursor): Expr {
  const pos = c.token.pos;
  let left = parsePredicate(c);
  const height = c.height;
  for (;;) {
    const token = c.token;
    if (token.type === TokenType.Op) {
      const op = COMPARISONS[token.text];
      if (op === undefined) break;
      c.advance();
      c.grow();
      const quantifier = c.acceptOneOf(['ANY', 'SOME', 'ALL']);
      if (quantifier !== undefined) {
        const qpos = c.token.pos;
        const query = parseSubqueryInParens(c);
        const right = {
          kind: 'quantified',
          quantifier: quantifier as 'ANY' | 'SOME' | 'ALL',
          query,
          pos: qpos,
        } as const;
        left = { kind: 'binary', op, left, right, pos };
      } else {
        left = { kind: 'binary', op, left, right: parsePredicate(c), pos };
      }
    } else if (token.type === TokenType.Word && token.upper === 'IS') {
      c.advance();
      c.grow();
      const not = c.acceptWord('NOT');
      if (c.acceptWord('NULL') || c.acceptWord('UNKNOWN')) {
        left = { kind: 'isNull', not, expr: left, pos };
      } else if (c.acceptWord('TRUE')) {
        left = { kind: 'isBool', not, expr: left, value: true, pos };
      } else if (c.acceptWord('FALSE')) {
        left = { kind: 'isBool', not, expr: left, value: false, pos };
      } else {
        throw c.error();
      }
    } else {
      break;
    }
  }
  c.height = height;
  return left;
}

function parsePredicate(c: Cursor): Expr {
  const pos = c.token.pos;
  const expr = parseBitOr(c);
  let not = false;
  if (c.isWord('NOT')) {
    const next = c.peek(1);
    if (next.type !== TokenType.Word) return expr;
    if (!['IN', 'BETWEEN', 'LIKE', 'REGEXP', 'RLIKE'].includes(next.upper)) return expr;
    c.advance();
    not = true;
  }
  const token = c.token;
  if (token.type !== TokenType.Word) return expr;
  switch (token.upper) {
    case 'IN': {
      c.advance();
      return parseInTail(c, expr, not, pos);
    }
    case 'BETWEEN': {
      c.advance();
      c.enter();
      const low = parseBitOr(c);
      c.expectWord('AND');
      const high = parsePredicate(c);
      c.leave();
      return { kind: 'between', not, expr, low, high, pos };
    }
    case 'LIKE': {
      c.advance();
      const pattern = parseBitOr(c);
      if (c.acceptWord('ESCAPE')) {
        return { kind: 'like', not, expr, pattern, escape: parseBitOr(c), pos };
      }
      return { kind: 'like', not, expr, pattern, pos };
    }
    case 'REGEXP':
    case 'RLIKE': {
      c.advance();
      return { kind: 'regexp', not, expr, pattern: parseBitOr(c), pos };
    }
    case 'MEMBER': {
      if (not) throw c.error();
      c.advance();
      c.acceptWord('OF');
      c.expectOp('(');
      const json = parseExpr(c);
      c.expectOp(')');
      return { kind: 'memberOf', value: expr, json, pos };
    }
    case 'SOUNDS': {
      if (not) throw c.error();
      c.advance();
      c.expectWord('LIKE');
      const right = parseBitOr(c);
      const args = [expr, right];
      return {
        kind: 'binary',
        op: '=',
        left: { kind: 'call', name: 'SOUNDEX', args: [args[0] as Expr], pos },
        right: { kind: 'call', name: 'SOUNDEX', args: [args[1] as Expr], pos },
        pos,
      };
    }
    default:
      return expr;
  }
}

function parseInTail(c: Cursor, expr: Expr, not: boolean, pos: number): Expr {
  if (!c.isOp('(')) throw c.error();
  if (c.isWordAt(1, 'SELECT') || c.isWordAt(1, 'WITH')) {
    return { kind: 'in', not, expr, query: parseSubqueryInParens(c), pos };
  }
  c.advance();
  const list = parseExprList(c);
  c.expectOp(')');
  return { kind: 'in', not, expr, list, pos };
}

/** One left-associative binary level: `ops` maps operator tokens to canonical operators. */
function binaryLevel(
  c: Cursor,
  ops: Readonly<Record<string, BinaryOp>>,
  next: (c: Cursor) => Expr,
): Expr {
  const pos = c.token.pos;
  let left = next(c);
  const height = c.height;
  for (;;) {
    const token = c.token;
    const key =
      token.type === TokenType.Op ? token.text : token.type === TokenType.Word ? token.upper : '';
    const op = ops[key];
    if (op === undefined || !Object.hasOwn(ops, key)) break;
    c.advance();
    c.grow();
    left = { kind: 'binary', op, left, right: next(c), pos };
  }
  c.height = height;
  return left;
}

const BIT_OR = { '|': '|' } as const;
const BIT_AND = { '&': '&' } as const;
const SHIFT = { '<<': '<<', '>>': '>>' } as const;
const ADDITIVE = { '+': '+', '-': '-' } as const;
const MULTIPLICATIVE = { '*': '*', '/': '/', DIV: 'DIV', '%': '%', MOD: '%' } as const;
const BIT_XOR = { '^': '^' } as const;

export function parseBitOr(c: Cursor): Expr {
  return binaryLevel(c, BIT_OR, parseBitAnd);
}
function parseBitAnd(c: Cursor): Expr {
  return binaryLevel(c, BIT_AND, parseShift);
}
function parseShift(c: Cursor): Expr {
  return binaryLevel(c, SHIFT, parseAdditive);
}
function parseAdditive(c: Cursor): Expr {
  return binaryLevel(c, ADDITIVE, parseMultiplicative);
}
function parseMultiplicative(c: Cursor): Expr {
  return binaryLevel(c, MULTIPLICATIVE, parseBitXor);
}
function parseBitXor(c: Cursor): Expr {
  return binaryLevel(c, BIT_XOR, parseUnary);
}

/** Prefix operators: -, +, ~, ! and BINARY, then COLLATE and the JSON arrows as suffixes. */
export function parseUnary(c: Cursor): Expr {
  const token = c.token;
  let op: '-' | '+' | '~' | 'NOT' | 'BINARY' | undefined;
  if (token.type === TokenType.Op) {
    if (token.text === '-' || token.text === '+' || token.text === '~') op = token.text;
    else if (token.text === '!') op = 'NOT';
  } else if (token.type === TokenType.Word && token.upper === 'BINARY') {
    op = 'BINARY';
  }
  if (op !== undefined) {
    c.advance();
    c.enter();
    const operand = parseUnary(c);
    c.leave();
    return { kind: 'unary', op, operand, pos: token.pos };
  }
  return parseSuffixes(c, parsePrimary(c));
}

function parseSuffixes(c: Cursor, primary: Expr): Expr {
  let expr = primary;
  const height = c.height;
  for (;;) {
    if (c.acceptWord('COLLATE')) {
      c.grow();
      expr = { kind: 'collate', expr, collation: c.identifierOrString(), pos: primary.pos ?? 0 };
    } else if (c.isOp('->') || c.isOp('->>')) {
      const unquote = c.advance().text === '->>';
      c.grow();
      const path = parsePrimary(c);
      expr = { kind: 'jsonExtract', expr, path, unquote, pos: primary.pos ?? 0 };
    } else {
      break;
    }
  }
  c.height = height;
  return expr;
}
