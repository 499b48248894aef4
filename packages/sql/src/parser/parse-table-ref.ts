/**
 * Table references of FROM, UPDATE and DELETE (MySQL 8.0 manual, "JOIN Clause", "Derived
 * Tables", "Index Hints"): tables, derived tables, joins of every kind, parenthesized joins.
 */
import type { IndexHint, TableName, TableRef, TableRefJoin, TableRefTable } from './ast.js';
import type { Cursor } from './cursor.js';
import { parseExpr } from './parse-expr.js';
import { parseQuery } from './parse-select.js';

/** `[db.]name`. */
export function parseTableName(c: Cursor): TableName {
  const first = c.identifier();
  if (!c.acceptOp('.')) return { name: first };
  return { database: first, name: c.identifierAfterDot() };
}

/** `(a, b, c)`: a parenthesized list of identifiers. */
export function parseParenthesizedNames(c: Cursor): string[] {
  c.expectOp('(');
  const names = [c.identifier()];
  while (c.acceptOp(',')) names.push(c.identifier());
  c.expectOp(')');
  return names;
}

/** The comma-separated list of table references. */
export function parseTableList(c: Cursor): TableRef[] {
  const refs = [parseTableRef(c)];
  while (c.acceptOp(',')) refs.push(parseTableRef(c));
  return refs;
}

/** One table reference: a factor followed by any joins. */
export function parseTableRef(c: Cursor): TableRef {
  let left = parseTableFactor(c);
  const height = c.height;
  for (;;) {
    const pos = c.token.pos;
    let type: TableRefJoin['type'];
    let natural = false;
    if (c.acceptWord('JOIN') || c.acceptWords('INNER', 'JOIN')) type = 'inner';
    else if (c.acceptWords('CROSS', 'JOIN')) type = 'cross';
    else if (c.acceptWord('STRAIGHT_JOIN')) type = 'straight';
    else if (c.isWord('LEFT') || c.isWord('RIGHT')) {
      type = c.advance().upper === 'LEFT' ? 'left' : 'right';
      c.acceptWord('OUTER');
      c.expectWord('JOIN');
    } else if (c.acceptWord('NATURAL')) {
      natural = true;
      type = 'inner';
      if (c.isWord('LEFT') || c.isWord('RIGHT')) {
        type = c.advance().upper === 'LEFT' ? 'left' : 'right';
        c.acceptWord('OUTER');
      } else {
        c.acceptWord('INNER');
      }
      c.expectWord('JOIN');
    } else {
      break;
    }
    c.grow();
    const right = parseTableFactor(c);
    const join: { -readonly [K in keyof TableRefJoin]: TableRefJoin[K] } = {
      kind: 'join',
      type,
      left,
      right,
      pos,
    };
    if (natural) join.natural = true;
    else if (c.acceptWord('ON')) join.on = parseExpr(c);
    else if (c.acceptWord('USING')) join.using = parseParenthesizedNames(c);
    else if (type === 'left' || type === 'right') throw c.error();
    left = join;
  }
  c.height = height;
  return left;
}

function parseTableFactor(c: Cursor): TableRef {
  const pos = c.token.pos;
  // LATERAL is not reserved: it starts a lateral derived table only before `(`.
  const lateral = c.isWord('LATERAL') && c.isOpAt(1, '(') && c.acceptWord('LATERAL');
  if (c.isOp('(')) {
    let offset = 1;
    while (c.isOpAt(offset, '(')) offset++;
    if (
      lateral ||
      c.isWordAt(offset, 'SELECT') ||
      c.isWordAt(offset, 'WITH') ||
      c.isWordAt(offset, 'VALUES') ||
      c.isWordAt(offset, 'TABLE')
    ) {
      c.advance();
      c.enter();
      const query = parseQuery(c);
      c.leave();
      c.expectOp(')');
      c.acceptWord('AS');
      const alias = c.identifier();
      const node = { kind: 'derived', query, alias, pos } as const;
      const columnAliases = c.isOp('(') ? parseParenthesizedNames(c) : undefined;
      const withColumns = columnAliases === undefined ? node : { ...node, columnAliases };
      return lateral ? { ...withColumns, lateral } : withColumns;
    }
    c.advance();
    c.enter();
    let inner = parseTableRef(c);
    // `(a, b)` is a cross join of a and b.
    while (c.acceptOp(',')) {
      inner = { kind: 'join', type: 'cross', left: inner, right: parseTableRef(c), pos };
    }
    c.leave();
    c.expectOp(')');
    return inner;
  }
  if (lateral) throw c.error();
  return parseTable(c);
}

function parseTable(c: Cursor): TableRefTable {
  const pos = c.token.pos;
  const name = parseTableName(c);
  const table: { -readonly [K in keyof TableRefTable]: TableRefTable[K] } = {
    kind: 'table',
    ...name,
    pos,
  };
  if (c.acceptWord('PARTITION')) parseParenthesizedNames(c);
  if (c.acceptWord('AS')) table.alias = c.identifier();
  else if (c.isImplicitAlias()) table.alias = c.identifier();
  const hints: IndexHint[] = [];
  for (;;) {
    const hint =
      c.isWordAt(1, 'INDEX') || c.isWordAt(1, 'KEY')
        ? c.acceptOneOf(['USE', 'FORCE', 'IGNORE'])
        : undefined;
    if (hint === undefined) break;
    c.advance();
    let forClause: IndexHint['for'];
    if (c.acceptWord('FOR')) {
      if (c.acceptWord('JOIN')) forClause = 'join';
      else if (c.acceptWords('ORDER', 'BY')) forClause = 'order by';
      else if (c.acceptWords('GROUP', 'BY')) forClause = 'group by';
      else throw c.error();
    }
    c.expectOp('(');
    const indexes: string[] = [];
    if (!c.isOp(')')) {
      do indexes.push(c.acceptWord('PRIMARY') ? 'PRIMARY' : c.identifier());
      while (c.acceptOp(','));
    }
    c.expectOp(')');
    const type = hint.toLowerCase() as IndexHint['type'];
    hints.push(forClause === undefined ? { type, indexes } : { type, for: forClause, indexes });
  }
  if (hints.length > 0) table.indexHints = hints;
  return table;
}
