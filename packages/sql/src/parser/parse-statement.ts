/** One statement, chosen by its first keywords. */
import type { Statement, TableName } from './ast.js';
import type { Cursor } from './cursor.js';
import { TokenType } from './lexer.js';
import {
  parseAddLeaf,
  parseAlterUser,
  parseCreateUser,
  parseDropUser,
  parseGrant,
  parseRemoveLeaf,
  parseRevoke,
} from './parse-account.js';
import { parseAlterTable } from './parse-alter.js';
import {
  parseCreateDatabase,
  parseCreateIndex,
  parseCreateTable,
  parseDropDatabase,
  parseDropIndex,
  parseDropTable,
  parseRenameTable,
  parseTableNames,
} from './parse-ddl.js';
import { parseDelete, parseInsert, parseLoadData, parseUpdate } from './parse-dml.js';
import { parseExpr, parseExprList } from './parse-expr.js';
import { parseQuery } from './parse-select.js';
import { parseSet } from './parse-set.js';
import { parseShow } from './parse-show.js';
import { parseTableName } from './parse-table-ref.js';
import { parseTransaction } from './parse-transaction.js';
import { atViewOptions, parseCreateView, parseDropView, parseViewOptions } from './parse-view.js';

export function parseOneStatement(c: Cursor): Statement {
  const token = c.token;
  if (token.type === TokenType.Op && token.text === '(') return parseQuery(c);
  if (token.type !== TokenType.Word) throw c.error();
  const pos = token.pos;
  switch (token.upper) {
    case 'SELECT':
    case 'WITH':
    case 'VALUES':
    case 'TABLE':
      return parseQuery(c);
    case 'INSERT':
    case 'REPLACE':
      return parseInsert(c);
    case 'UPDATE':
      return parseUpdate(c);
    case 'DELETE':
      return parseDelete(c);
    case 'LOAD':
      return parseLoadData(c);
    case 'CREATE':
      c.advance();
      return parseCreate(c, pos);
    case 'DROP':
      c.advance();
      return parseDrop(c, pos);
    case 'ALTER':
      c.advance();
      return parseAlter(c, pos);
    case 'TRUNCATE':
      c.advance();
      c.acceptWord('TABLE');
      return { kind: 'truncateTable', table: parseTableName(c), pos };
    case 'RENAME':
      c.advance();
      if (!c.acceptWord('TABLE')) c.expectWord('TABLES');
      return parseRenameTable(c, pos);
    case 'USE':
      c.advance();
      return { kind: 'use', database: c.identifier(), pos };
    case 'SET':
      c.advance();
      return parseSet(c, pos);
    case 'SHOW':
      c.advance();
      return parseShow(c, pos);
    case 'DESCRIBE':
    case 'DESC':
    case 'EXPLAIN':
      c.advance();
      return parseExplain(c, pos);
    case 'KILL': {
      c.advance();
      const target = c.acceptWord('QUERY') ? 'query' : 'connection';
      if (target === 'connection') c.acceptWord('CONNECTION');
      return { kind: 'kill', target, id: parseExpr(c), pos };
    }
    case 'GRANT':
      c.advance();
      return parseGrant(c, pos);
    case 'REVOKE':
      c.advance();
      return parseRevoke(c, pos);
    case 'ADD':
      c.advance();
      c.expectWord('LEAF');
      return parseAddLeaf(c, pos);
    case 'REMOVE':
      c.advance();
      c.expectWord('LEAF');
      return parseRemoveLeaf(c, pos);
    case 'REBALANCE': {
      c.advance();
      c.expectWord('PARTITIONS');
      // Without ON, every database is rebalanced.
      const database = c.acceptWord('ON') ? c.identifier() : undefined;
      c.acceptWord('FORCE');
      return database === undefined
        ? { kind: 'rebalancePartitions', pos }
        : { kind: 'rebalancePartitions', database, pos };
    }
    case 'FLUSH':
      c.advance();
      return parseFlush(c, pos);
    case 'DO':
      c.advance();
      return { kind: 'do', exprs: parseExprList(c), pos };
    case 'PREPARE': {
      c.advance();
      const name = c.identifier();
      c.expectWord('FROM');
      return { kind: 'prepare', name, source: parseExpr(c), pos };
    }
    case 'EXECUTE': {
      c.advance();
      const name = c.identifier();
      const using = c.acceptWord('USING') ? parseExprList(c) : [];
      return { kind: 'execute', name, using, pos };
    }
    case 'DEALLOCATE':
      c.advance();
      c.expectWord('PREPARE');
      return { kind: 'deallocatePrepare', name: c.identifier(), pos };
    case 'LOCK':
      c.advance();
      return parseLockTables(c, pos);
    case 'UNLOCK':
      c.advance();
      if (!c.acceptWord('TABLES')) c.expectWord('TABLE');
      return { kind: 'unlockTables', pos };
    case 'ANALYZE':
    case 'OPTIMIZE':
    case 'CHECK':
    case 'REPAIR': {
      c.advance();
      c.acceptOneOf(['NO_WRITE_TO_BINLOG', 'LOCAL']);
      if (!c.acceptWord('TABLE')) c.expectWord('TABLES');
      const tables = parseTableNames(c);
      while (!c.atEnd() && !c.isOp(';')) c.advance();
      const kind = `${token.upper.toLowerCase()}Table` as
        'analyzeTable' | 'optimizeTable' | 'checkTable' | 'repairTable';
      return { kind, tables, pos };
    }
    default:
      return parseTransaction(c);
  }
}

function parseCreate(c: Cursor, pos: number): Statement {
  if (c.acceptWord('DATABASE') || c.acceptWord('SCHEMA')) return parseCreateDatabase(c, pos);
  if (c.acceptWord('USER')) return parseCreateUser(c, pos);
  const orReplace = c.acceptWords('OR', 'REPLACE');
  if (orReplace || atViewOptions(c)) {
    const options = parseViewOptions(c);
    c.expectWord('VIEW');
    return parseCreateView(c, { ...options, pos, orReplace });
  }
  if (c.acceptWord('UNIQUE')) {
    c.expectWord('INDEX');
    return parseCreateIndex(c, pos, 'unique');
  }
  if (c.acceptWord('FULLTEXT')) {
    c.expectWord('INDEX');
    return parseCreateIndex(c, pos, 'fulltext');
  }
  if (c.acceptWord('INDEX')) return parseCreateIndex(c, pos, 'plain');
  return parseCreateTable(c, { pos, ...parseTableKind(c) });
}

/**
 * `[ROWSTORE|COLUMNSTORE] [REFERENCE] [[GLOBAL] TEMPORARY] TABLE`, the words in any order
 * (SingleStore writes `ROWSTORE TEMPORARY`, MariaDB users `TEMPORARY` first).
 */
function parseTableKind(c: Cursor): {
  rowstore: boolean;
  columnstore: boolean;
  reference: boolean;
  temporary: boolean;
} {
  const kind = { rowstore: false, columnstore: false, reference: false, temporary: false };
  for (;;) {
    const storage = !kind.rowstore && !kind.columnstore;
    if (storage && c.acceptWord('ROWSTORE')) kind.rowstore = true;
    else if (storage && c.acceptWord('COLUMNSTORE')) kind.columnstore = true;
    else if (!kind.reference && c.acceptWord('REFERENCE')) kind.reference = true;
    else if (!kind.temporary && (c.acceptWord('TEMPORARY') || c.acceptWords('GLOBAL', 'TEMPORARY')))
      kind.temporary = true;
    else break;
  }
  c.expectWord('TABLE');
  return kind;
}

function parseDrop(c: Cursor, pos: number): Statement {
  if (c.acceptWord('DATABASE') || c.acceptWord('SCHEMA')) return parseDropDatabase(c, pos);
  if (c.acceptWord('USER')) return parseDropUser(c, pos);
  if (c.acceptWord('VIEW')) return parseDropView(c, pos);
  if (c.acceptWord('INDEX')) return parseDropIndex(c, pos);
  if (c.acceptWord('PREPARE')) return { kind: 'deallocatePrepare', name: c.identifier(), pos };
  const temporary = c.acceptWord('TEMPORARY');
  if (!c.acceptWord('TABLE')) c.expectWord('TABLES');
  return parseDropTable(c, pos, temporary);
}

function parseAlter(c: Cursor, pos: number): Statement {
  if (c.acceptWord('USER')) return parseAlterUser(c, pos);
  if (atViewOptions(c)) {
    const options = parseViewOptions(c);
    c.expectWord('VIEW');
    return parseCreateView(c, { ...options, pos, orReplace: false, alter: true });
  }
  c.acceptWord('ONLINE');
  c.acceptWord('IGNORE');
  c.expectWord('TABLE');
  return parseAlterTable(c, pos);
}

const EXPLAINABLE = new Set([
  'SELECT',
  'WITH',
  'INSERT',
  'REPLACE',
  'UPDATE',
  'DELETE',
  'TABLE',
  'VALUES',
  'REBALANCE',
]);

/** DESCRIBE/DESC/EXPLAIN: a table description, or the plan of a statement. */
function parseExplain(c: Cursor, pos: number): Statement {
  let format: string | undefined;
  let analyze = false;
  let extended = false;
  for (;;) {
    if (c.acceptWord('FORMAT')) {
      c.expectOp('=');
      format = c.identifierOrString().toUpperCase();
    } else if (c.acceptWord('ANALYZE')) analyze = true;
    else if (c.acceptWord('EXTENDED') || c.acceptWord('PARTITIONS')) extended = true;
    else break;
  }
  const token = c.token;
  if (
    (token.type === TokenType.Word && EXPLAINABLE.has(token.upper)) ||
    c.isOp('(') ||
    format !== undefined ||
    analyze ||
    extended
  ) {
    const statement = parseOneStatement(c);
    const node = { kind: 'explain', statement, pos } as const;
    const withFormat = format === undefined ? node : { ...node, format };
    const withAnalyze = analyze ? { ...withFormat, analyze } : withFormat;
    return extended ? { ...withAnalyze, extended } : withAnalyze;
  }
  const table = parseTableName(c);
  if (c.isIdentifier() || c.isString())
    return { kind: 'describe', table, column: c.identifierOrString(), pos };
  return { kind: 'describe', table, pos };
}

function parseFlush(c: Cursor, pos: number): Statement {
  c.acceptOneOf(['NO_WRITE_TO_BINLOG', 'LOCAL']);
  const options: string[] = [];
  let tables: TableName[] | undefined;
  do {
    const token = c.token;
    if (token.type !== TokenType.Word) throw c.error();
    c.advance();
    if ((token.upper === 'TABLES' || token.upper === 'TABLE') && c.isIdentifier()) {
      options.push('TABLES');
      tables = parseTableNames(c);
    } else if (c.isWord('LOGS') || c.isWord('STATUS') || c.isWord('CACHE')) {
      options.push(`${token.upper} ${c.advance().upper}`);
    } else {
      options.push(token.upper === 'TABLE' ? 'TABLES' : token.upper);
    }
    if (c.acceptWords('WITH', 'READ', 'LOCK')) options.push('WITH READ LOCK');
    else if (c.acceptWords('FOR', 'EXPORT')) options.push('FOR EXPORT');
  } while (c.acceptOp(','));
  return tables === undefined
    ? { kind: 'flush', options, pos }
    : { kind: 'flush', options, tables, pos };
}

function parseLockTables(c: Cursor, pos: number): Statement {
  if (!c.acceptWord('TABLES')) c.expectWord('TABLE');
  const tables = [];
  do {
    const table = parseTableName(c);
    let alias: string | undefined;
    if (c.acceptWord('AS')) alias = c.identifier();
    else if (c.isIdentifier() && !c.isWord('LOW_PRIORITY')) alias = c.identifier();
    let lock: 'READ' | 'READ LOCAL' | 'WRITE' | 'LOW_PRIORITY WRITE';
    if (c.acceptWord('READ')) lock = c.acceptWord('LOCAL') ? 'READ LOCAL' : 'READ';
    else if (c.acceptWord('WRITE')) lock = 'WRITE';
    else {
      c.expectWord('LOW_PRIORITY');
      c.expectWord('WRITE');
      lock = 'LOW_PRIORITY WRITE';
    }
    tables.push(alias === undefined ? { table, lock } : { table, alias, lock });
  } while (c.acceptOp(','));
  return { kind: 'lockTables', tables, pos };
}
