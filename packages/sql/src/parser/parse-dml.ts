/**
 * INSERT/REPLACE, UPDATE, DELETE and LOAD DATA (MySQL 8.0 manual, "Data Manipulation Statements").
 */
import type {
  Assignment,
  ColumnRefExpr,
  DeleteStatement,
  Expr,
  InsertSource,
  InsertStatement,
  LoadDataStatement,
  TableName,
  UpdateStatement,
  VariableExpr,
} from './ast.js';
import type { Cursor } from './cursor.js';
import { TokenType, type TokenTypeValue } from './lexer.js';
import { parseOrderList } from './parse-call.js';
import { parseExpr } from './parse-expr.js';
import { parsePrimary } from './parse-primary.js';
import { parseLimit, parseQuery, parseSelectItems } from './parse-select.js';
import { parseParenthesizedNames, parseTableList, parseTableName } from './parse-table-ref.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A column reference on the left of `=` in SET lists: `a`, `t.a` or `db.t.a`. */
function parseColumnTarget(c: Cursor): ColumnRefExpr {
  const pos = c.token.pos;
  const first = c.identifier();
  if (!c.acceptOp('.')) return { kind: 'column', column: first, pos };
  const second = c.identifierAfterDot();
  if (!c.acceptOp('.')) return { kind: 'column', table: first, column: second, pos };
  return { kind: 'column', database: first, table: second, column: c.identifierAfterDot(), pos };
}

export function parseAssignments(c: Cursor): Assignment[] {
  const assignments: Assignment[] = [];
  do {
    const column = parseColumnTarget(c);
    if (!c.acceptOp('=')) c.expectOp(':=');
    assignments.push({ column, value: parseExpr(c) });
  } while (c.acceptOp(','));
  return assignments;
}

/** INSERT or REPLACE, at its first keyword. */
export function parseInsert(c: Cursor): InsertStatement {
  const start = c.advance();
  const replace = start.upper === 'REPLACE';
  const priority = c.acceptOneOf(['LOW_PRIORITY', 'DELAYED', 'HIGH_PRIORITY']) as
    InsertStatement['priority'] | undefined;
  const ignore = !replace && c.acceptWord('IGNORE');
  c.acceptWord('INTO');
  const table = parseTableName(c);
  if (c.acceptWord('PARTITION')) parseParenthesizedNames(c);
  const insert: Mutable<InsertStatement> = {
    kind: 'insert',
    replace,
    ignore,
    table,
    source: { kind: 'values', rows: [] },
    pos: start.pos,
  };
  if (priority !== undefined) insert.priority = priority;
  if (c.isOp('(') && !c.isWordAt(1, 'SELECT') && !c.isWordAt(1, 'WITH') && !c.isOpAt(1, '(')) {
    c.advance();
    const columns: string[] = [];
    if (!c.isOp(')')) {
      do columns.push(parseColumnTarget(c).column);
      while (c.acceptOp(','));
    }
    c.expectOp(')');
    insert.columns = columns;
  }
  insert.source = parseInsertSource(c);
  if (insert.source.kind === 'values' && c.acceptWord('AS')) {
    insert.rowAlias = c.identifier();
    if (c.isOp('(')) insert.rowAliasColumns = parseParenthesizedNames(c);
  }
  if (c.acceptWords('ON', 'DUPLICATE', 'KEY', 'UPDATE')) {
    insert.onDuplicateKeyUpdate = parseAssignments(c);
  }
  if (c.acceptWord('RETURNING')) insert.returning = parseSelectItems(c);
  return insert;
}

function parseInsertSource(c: Cursor): InsertSource {
  if (c.acceptWord('VALUES') || c.acceptWord('VALUE')) {
    const rows: Expr[][] = [];
    do {
      c.acceptWord('ROW');
      c.expectOp('(');
      const row: Expr[] = [];
      if (!c.isOp(')')) {
        do row.push(parseRowValue(c));
        while (c.acceptOp(','));
      }
      c.expectOp(')');
      rows.push(row);
    } while (c.acceptOp(','));
    return { kind: 'values', rows };
  }
  if (c.acceptWord('SET')) return { kind: 'set', assignments: parseAssignments(c) };
  if (c.isWord('SELECT') || c.isWord('WITH') || c.isOp('(')) {
    return { kind: 'query', query: parseQuery(c) };
  }
  throw c.error();
}

/** Token types of a literal that parses on its own (parse-primary.ts), without operators. */
const PLAIN_LITERALS = new Set<TokenTypeValue>([
  TokenType.Integer,
  TokenType.Decimal,
  TokenType.Double,
  TokenType.String,
]);

/**
 * One value of a VALUES row. Bulk INSERTs are mostly literals, each followed by `,` or `)`:
 * those go straight to the literal (the same node the whole expression grammar would build,
 * since no operator, COLLATE or JSON path follows), skipping the precedence levels.
 */
function parseRowValue(c: Cursor): Expr {
  if (PLAIN_LITERALS.has(c.token.type) && (c.isOpAt(1, ',') || c.isOpAt(1, ')')))
    return parsePrimary(c);
  return parseExpr(c);
}

export function parseUpdate(c: Cursor): UpdateStatement {
  const pos = c.advance().pos;
  const lowPriority = c.acceptWord('LOW_PRIORITY');
  const ignore = c.acceptWord('IGNORE');
  const tables = parseTableList(c);
  c.expectWord('SET');
  const update: Mutable<UpdateStatement> = {
    kind: 'update',
    ignore,
    tables,
    set: parseAssignments(c),
    orderBy: [],
    pos,
  };
  if (lowPriority) update.lowPriority = true;
  if (c.acceptWord('WHERE')) update.where = parseExpr(c);
  if (c.acceptWords('ORDER', 'BY')) update.orderBy = parseOrderList(c);
  if (c.acceptWord('LIMIT')) update.limit = parseLimit(c);
  return update;
}

/** `t` or `t.*` in a multi-table DELETE's target list. */
function parseDeleteTarget(c: Cursor): TableName {
  const first = c.identifier();
  if (!c.acceptOp('.')) return { name: first };
  if (c.acceptOp('*')) return { name: first };
  const name = c.identifierAfterDot();
  if (c.acceptOp('.')) c.expectOp('*');
  return { database: first, name };
}

export function parseDelete(c: Cursor): DeleteStatement {
  const pos = c.advance().pos;
  const flags: { lowPriority?: true; quick?: true } = {};
  let ignore = false;
  for (;;) {
    if (c.acceptWord('LOW_PRIORITY')) flags.lowPriority = true;
    else if (c.acceptWord('QUICK')) flags.quick = true;
    else if (c.acceptWord('IGNORE')) ignore = true;
    else break;
  }
  const node: Mutable<DeleteStatement> = {
    kind: 'delete',
    ignore,
    from: [],
    orderBy: [],
    pos,
    ...flags,
  };
  if (c.acceptWord('FROM')) {
    const first = parseTableList(c);
    if (c.acceptWord('USING')) {
      node.targets = first.map((ref) => {
        if (ref.kind !== 'table') throw c.error();
        return ref.database === undefined
          ? { name: ref.name }
          : { database: ref.database, name: ref.name };
      });
      node.using = true;
      node.from = parseTableList(c);
    } else {
      node.from = first;
    }
  } else {
    const targets = [parseDeleteTarget(c)];
    while (c.acceptOp(',')) targets.push(parseDeleteTarget(c));
    c.expectWord('FROM');
    node.targets = targets;
    node.from = parseTableList(c);
  }
  if (c.acceptWord('WHERE')) node.where = parseExpr(c);
  // The multi-table forms take no ORDER BY or LIMIT: a syntax error there, as in MariaDB.
  if (node.targets !== undefined && (c.isWord('ORDER') || c.isWord('LIMIT'))) throw c.error();
  if (c.acceptWords('ORDER', 'BY')) node.orderBy = parseOrderList(c);
  if (c.acceptWord('LIMIT')) node.limit = parseLimit(c);
  // RETURNING is for the single-table form only (a syntax error after the others, as MariaDB).
  if (node.targets === undefined && c.acceptWord('RETURNING')) node.returning = parseSelectItems(c);
  return node;
}

/** At LOAD: `LOAD DATA [LOCAL] INFILE 'f' [REPLACE|IGNORE] INTO TABLE t …`. */
export function parseLoadData(c: Cursor): LoadDataStatement {
  const pos = c.advance().pos;
  c.expectWord('DATA');
  c.acceptOneOf(['LOW_PRIORITY', 'CONCURRENT']);
  const local = c.acceptWord('LOCAL');
  c.expectWord('INFILE');
  const node: Mutable<LoadDataStatement> = {
    kind: 'loadData',
    local,
    file: c.string(),
    table: { name: '' },
    set: [],
    pos,
  };
  const duplicates = c.acceptOneOf(['REPLACE', 'IGNORE']);
  if (duplicates !== undefined) node.duplicates = duplicates === 'REPLACE' ? 'replace' : 'ignore';
  c.expectWord('INTO');
  c.expectWord('TABLE');
  node.table = parseTableName(c);
  if (c.acceptWords('CHARACTER', 'SET') || c.acceptWord('CHARSET')) {
    node.charset = c.identifierOrString().toLowerCase();
  }
  if (c.acceptWord('FIELDS') || c.acceptWord('COLUMNS')) {
    const fields: Mutable<NonNullable<LoadDataStatement['fields']>> = {};
    for (;;) {
      if (c.acceptWords('TERMINATED', 'BY')) fields.terminatedBy = c.string();
      else if (c.acceptWords('OPTIONALLY', 'ENCLOSED', 'BY')) {
        fields.enclosedBy = c.string();
        fields.optionallyEnclosed = true;
      } else if (c.acceptWords('ENCLOSED', 'BY')) fields.enclosedBy = c.string();
      else if (c.acceptWords('ESCAPED', 'BY')) fields.escapedBy = c.string();
      else break;
    }
    node.fields = fields;
  }
  if (c.acceptWord('LINES')) {
    const lines: Mutable<NonNullable<LoadDataStatement['lines']>> = {};
    for (;;) {
      if (c.acceptWords('STARTING', 'BY')) lines.startingBy = c.string();
      else if (c.acceptWords('TERMINATED', 'BY')) lines.terminatedBy = c.string();
      else break;
    }
    node.lines = lines;
  }
  if (c.acceptWord('IGNORE')) {
    node.ignoreLines = c.integer();
    if (!c.acceptWord('LINES')) c.expectWord('ROWS');
  }
  if (c.acceptOp('(')) {
    const columns: (ColumnRefExpr | VariableExpr)[] = [];
    if (!c.isOp(')')) {
      do {
        const token = c.token;
        if (token.type === TokenType.UserVar) {
          c.advance();
          columns.push({ kind: 'variable', name: token.text, system: false, pos: token.pos });
        } else {
          columns.push(parseColumnTarget(c));
        }
      } while (c.acceptOp(','));
    }
    c.expectOp(')');
    node.columns = columns;
  }
  if (c.acceptWord('SET')) node.set = parseAssignments(c);
  return node;
}
