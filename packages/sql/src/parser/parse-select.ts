/**
 * Queries (MySQL 8.0 manual, "SELECT Statement", "Set Operations", "WITH"): query expressions
 * with UNION/EXCEPT over INTERSECT terms, parenthesized operands, and trailing ORDER BY/LIMIT.
 */
import type {
  Expr,
  Limit,
  NamedWindow,
  OrderItem,
  Query,
  SelectInto,
  SelectItem,
  SelectStatement,
  SetOperationStatement,
  VariableExpr,
} from './ast.js';
import type { Cursor } from './cursor.js';
import { TokenType } from './lexer.js';
import { parseOrderList, parseWindowSpecBody } from './parse-call.js';
import { parseExpr } from './parse-expr.js';
import { integerLiteral } from './parse-primary.js';
import { parseTableList, parseParenthesizedNames } from './parse-table-ref.js';
import { parseTableQuery, parseValuesQuery } from './parse-values.js';

interface Operand {
  readonly query: Query;
  readonly parenthesized: boolean;
}

/** A full query: `[WITH …] query_expression`. */
export function parseQuery(c: Cursor): Query {
  c.enter();
  const query = c.isWord('WITH') ? parseWith(c) : parseQueryExpression(c, undefined);
  c.leave();
  return query;
}

/** Continues a query expression whose first operand, a parenthesized query, is already parsed. */
export function parseQueryRest(c: Cursor, first: Query): Query {
  return parseQueryExpression(c, { query: first, parenthesized: true });
}

function parseWith(c: Cursor): Query {
  const pos = c.advance().pos;
  const recursive = c.acceptWord('RECURSIVE');
  const ctes = [];
  do {
    const name = c.identifier();
    const columns = c.isOp('(') ? parseParenthesizedNames(c) : undefined;
    c.expectWord('AS');
    c.expectOp('(');
    const query = parseQuery(c);
    c.expectOp(')');
    ctes.push(columns === undefined ? { name, query } : { name, columns, query });
  } while (c.acceptOp(','));
  return { kind: 'with', recursive, ctes, query: parseQueryExpression(c, undefined), pos };
}

function parseQueryExpression(c: Cursor, first: Operand | undefined): Query {
  let left = parseQueryTerm(c, first);
  for (;;) {
    const op = c.isWord('UNION') ? 'union' : c.isWord('EXCEPT') ? 'except' : undefined;
    if (op === undefined) break;
    c.advance();
    const all = parseQuantifier(c);
    left = combine(c, { op, all, left }, parseQueryTerm(c, undefined));
  }
  return finish(c, left);
}

function parseQueryTerm(c: Cursor, first: Operand | undefined): Operand {
  let left = first ?? parseQueryPrimary(c);
  while (c.isWord('INTERSECT')) {
    c.advance();
    const all = parseQuantifier(c);
    left = combine(c, { op: 'intersect', all, left }, parseQueryPrimary(c));
  }
  return left;
}

function parseQueryPrimary(c: Cursor): Operand {
  if (c.isOp('(')) {
    c.advance();
    const query = parseQuery(c);
    c.expectOp(')');
    return { query, parenthesized: true };
  }
  // A table value constructor or TABLE takes its own ORDER BY/LIMIT, as a parenthesized query.
  if (c.isWord('VALUES')) return { query: parseValuesQuery(c), parenthesized: true };
  if (c.isWord('TABLE')) return { query: parseTableQuery(c), parenthesized: true };
  if (!c.isWord('SELECT')) throw c.error();
  return { query: parseSelect(c), parenthesized: false };
}

/** `ALL` or `DISTINCT` (the default) after a set operator. */
function parseQuantifier(c: Cursor): boolean {
  if (c.acceptWord('ALL')) return true;
  c.acceptWord('DISTINCT');
  return false;
}

/** Builds `left op right`; a bare right SELECT's ORDER BY/LIMIT belong to the whole result. */
function combine(
  c: Cursor,
  head: { op: 'union' | 'intersect' | 'except'; all: boolean; left: Operand },
  right: Operand,
): Operand {
  const left = head.left;
  if (!left.parenthesized && hasTail(left.query)) throw c.error();
  return {
    query: buildSetOperation(head.op, head.all, left.query, right),
    parenthesized: false,
  };
}

function hasTail(query: Query): boolean {
  if (query.kind === 'with') return false;
  return query.orderBy.length > 0 || query.limit !== undefined;
}

function buildSetOperation(
  op: 'union' | 'intersect' | 'except',
  all: boolean,
  left: Query,
  rightOperand: Operand,
): SetOperationStatement {
  let right = rightOperand.query;
  let orderBy: readonly OrderItem[] = [];
  let limit: Limit | undefined;
  if (!rightOperand.parenthesized && right.kind === 'select' && hasTail(right)) {
    orderBy = right.orderBy;
    limit = right.limit;
    const { orderBy: _orderBy, limit: _limit, ...rest } = right;
    void _orderBy;
    void _limit;
    right = { ...rest, orderBy: [] };
  }
  const node = { kind: 'setOperation', op, all, left, right, orderBy, pos: left.pos ?? 0 } as const;
  return limit === undefined ? node : { ...node, limit };
}

/** Trailing ORDER BY/LIMIT after a parenthesized operand or a set operation. */
function finish(c: Cursor, operand: Operand): Query {
  const query = operand.query;
  if (!c.isWord('ORDER') && !c.isWord('LIMIT')) return query;
  if (!operand.parenthesized && query.kind === 'select') return query;
  if (hasTail(query)) throw c.error();
  const orderBy = c.acceptWords('ORDER', 'BY') ? parseOrderList(c) : [];
  const limit = c.acceptWord('LIMIT') ? parseLimit(c) : undefined;
  if (query.kind === 'with') throw c.error();
  return limit === undefined ? { ...query, orderBy } : { ...query, orderBy, limit };
}

const SELECT_OPTIONS = new Set([
  'HIGH_PRIORITY',
  'STRAIGHT_JOIN',
  'SQL_SMALL_RESULT',
  'SQL_BIG_RESULT',
  'SQL_BUFFER_RESULT',
  'SQL_NO_CACHE',
  'SQL_CACHE',
  'SQL_CALC_FOUND_ROWS',
]);

type MutableSelect = { -readonly [K in keyof SelectStatement]: SelectStatement[K] };

export function parseSelect(c: Cursor): SelectStatement {
  const pos = c.advance().pos;
  let distinct = false;
  const options: string[] = [];
  for (;;) {
    const token = c.token;
    if (token.type !== TokenType.Word) break;
    if (token.upper === 'DISTINCT' || token.upper === 'DISTINCTROW') distinct = true;
    else if (SELECT_OPTIONS.has(token.upper)) options.push(token.upper);
    else if (token.upper !== 'ALL') break;
    c.advance();
  }
  const select: MutableSelect = {
    kind: 'select',
    distinct,
    columns: parseSelectItems(c),
    groupBy: [],
    withRollup: false,
    windows: [],
    orderBy: [],
    pos,
  };
  if (options.length > 0) select.options = options;
  if (c.isWord('INTO')) select.into = parseInto(c);
  if (c.acceptWord('FROM')) {
    if (!c.acceptWord('DUAL')) select.from = parseTableList(c);
  }
  if (c.acceptWord('WHERE')) select.where = parseExpr(c);
  if (c.acceptWord('GROUP')) {
    c.expectWord('BY');
    const keys = parseOrderList(c);
    select.groupBy = keys.map((item) => item.expr);
    // MariaDB's `GROUP BY a DESC` sorts the groups that way (MySQL 8 removed it).
    if (keys.some((item) => item.desc)) select.groupByDesc = keys.map((item) => item.desc);
    select.withRollup = c.acceptWords('WITH', 'ROLLUP');
  }
  if (c.acceptWord('HAVING')) select.having = parseExpr(c);
  if (c.acceptWord('WINDOW')) select.windows = parseWindows(c);
  if (c.acceptWord('ORDER')) {
    c.expectWord('BY');
    select.orderBy = parseOrderList(c);
  }
  if (c.acceptWord('LIMIT')) select.limit = parseLimit(c);
  if (c.isWord('INTO') && select.into === undefined) select.into = parseInto(c);
  if (c.acceptWords('FOR', 'UPDATE')) {
    select.lock = 'update';
    parseLockOptions(c);
  } else if (c.acceptWords('FOR', 'SHARE')) {
    select.lock = 'share';
    parseLockOptions(c);
  } else if (c.acceptWords('LOCK', 'IN', 'SHARE', 'MODE')) {
    select.lock = 'share';
    parseLockWait(c);
  }
  if (c.isWord('INTO') && select.into === undefined) select.into = parseInto(c);
  return select;
}

function parseLockOptions(c: Cursor): void {
  if (c.acceptWord('OF')) {
    do c.identifier();
    while (c.acceptOp(','));
  }
  if (!parseLockWait(c)) c.acceptWords('SKIP', 'LOCKED');
}

/** MariaDB's NOWAIT and WAIT n after a locking clause (accepted, as the clause is). */
function parseLockWait(c: Cursor): boolean {
  if (c.acceptWord('NOWAIT')) return true;
  if (!c.acceptWord('WAIT')) return false;
  c.integer();
  return true;
}

export function parseSelectItems(c: Cursor): SelectItem[] {
  const items: SelectItem[] = [];
  do {
    if (c.isOp('*')) {
      items.push({ expr: { kind: 'star', pos: c.advance().pos } });
      continue;
    }
    const start = c.token.pos;
    const expr = parseExpr(c);
    const end = c.tokens[c.index - 1]?.end ?? start;
    const alias = parseAlias(c);
    items.push(alias === undefined ? { expr, text: c.sql.slice(start, end) } : { expr, alias });
  } while (c.acceptOp(','));
  return items;
}

/** `[AS] alias` after a select item: an identifier or a string. */
function parseAlias(c: Cursor): string | undefined {
  if (c.acceptWord('AS')) return c.identifierOrString();
  if (c.isImplicitAlias() || c.isString()) return c.identifierOrString();
  return undefined;
}

function parseWindows(c: Cursor): NamedWindow[] {
  const windows: NamedWindow[] = [];
  do {
    const name = c.identifier();
    c.expectWord('AS');
    c.expectOp('(');
    windows.push({ name, spec: parseWindowSpecBody(c) });
    c.expectOp(')');
  } while (c.acceptOp(','));
  return windows;
}

function parseLimitValue(c: Cursor): Expr {
  const token = c.token;
  if (token.type === TokenType.Integer) {
    c.advance();
    return integerLiteral(token);
  }
  if (token.type === TokenType.Param) {
    c.advance();
    return { kind: 'param', index: c.paramCount++, pos: token.pos };
  }
  if (token.type === TokenType.UserVar) {
    c.advance();
    return { kind: 'variable', name: token.text, system: false, pos: token.pos };
  }
  throw c.error();
}

/** After LIMIT: `n`, `offset, n` or `n OFFSET offset`. */
export function parseLimit(c: Cursor): Limit {
  const first = parseLimitValue(c);
  if (c.acceptOp(',')) return { count: parseLimitValue(c), offset: first };
  if (c.acceptWord('OFFSET')) return { count: first, offset: parseLimitValue(c) };
  return { count: first };
}

function parseInto(c: Cursor): SelectInto {
  c.expectWord('INTO');
  if (c.acceptWord('OUTFILE')) {
    const file = c.string();
    while (!c.atEnd() && !c.isOp(';') && !c.isOp(')') && !c.isWord('FROM') && !c.isWord('FOR')) {
      c.advance();
    }
    return { kind: 'outfile', file };
  }
  if (c.acceptWord('DUMPFILE')) return { kind: 'dumpfile', file: c.string() };
  const variables: VariableExpr[] = [];
  do {
    const token = c.token;
    if (token.type !== TokenType.UserVar) throw c.error();
    c.advance();
    variables.push({ kind: 'variable', name: token.text, system: false, pos: token.pos });
  } while (c.acceptOp(','));
  return { kind: 'variables', variables };
}
