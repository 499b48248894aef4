/** SHOW statements (MySQL 8.0 manual, "SHOW Statements", plus SingleStore's LEAVES, AGGREGATORS, PARTITIONS, PIPELINES). */
import type { ShowStatement, ShowWhat, TableName } from './ast.js';
import type { Cursor } from './cursor.js';
import { parseUserSpec } from './parse-account.js';
import { parseExpr } from './parse-expr.js';
import { parseLimit } from './parse-select.js';
import { parseTableName } from './parse-table-ref.js';

type MutableShow = { -readonly [K in keyof ShowStatement]: ShowStatement[K] };

/** Single-word (or fixed-phrase) SHOW targets that take an optional LIKE/WHERE. */
const SIMPLE: readonly (readonly [string[], ShowWhat])[] = [
  [['DATABASES'], 'databases'],
  [['SCHEMAS'], 'databases'],
  [['PROCESSLIST'], 'processlist'],
  [['VARIABLES'], 'variables'],
  [['STATUS'], 'status'],
  [['COLLATION'], 'collation'],
  [['CHARACTER', 'SET'], 'charset'],
  [['CHARSET'], 'charset'],
  [['STORAGE', 'ENGINES'], 'engines'],
  [['ENGINES'], 'engines'],
  [['LEAVES'], 'leaves'],
  [['AGGREGATORS'], 'aggregators'],
  [['PLUGINS'], 'plugins'],
  [['MASTER', 'STATUS'], 'masterStatus'],
  [['BINARY', 'LOG', 'STATUS'], 'masterStatus'],
  [['SLAVE', 'STATUS'], 'slaveStatus'],
  [['REPLICA', 'STATUS'], 'slaveStatus'],
  [['BINARY', 'LOGS'], 'binaryLogs'],
  [['MASTER', 'LOGS'], 'binaryLogs'],
  [['PROCEDURE', 'STATUS'], 'procedureStatus'],
  [['FUNCTION', 'STATUS'], 'functionStatus'],
  [['PIPELINES'], 'pipelines'],
  [['PRIVILEGES'], 'privileges'],
];

/** Targets that also take `[FROM|IN db]`. */
const WITH_DATABASE: readonly (readonly [string[], ShowWhat])[] = [
  [['TABLES'], 'tables'],
  [['TABLE', 'STATUS'], 'tableStatus'],
  [['TRIGGERS'], 'triggers'],
  [['EVENTS'], 'events'],
  [['OPEN', 'TABLES'], 'openTables'],
];

/** After SHOW. */
export function parseShow(c: Cursor, pos: number): ShowStatement {
  const node: MutableShow = { kind: 'show', what: 'databases', pos };
  if (c.acceptWord('CREATE')) return parseShowCreate(c, node);
  if (c.acceptWord('GRANTS')) {
    node.what = 'grants';
    if (c.acceptWord('FOR')) node.user = parseUserSpec(c);
    return node;
  }
  if (c.acceptWord('COUNT')) {
    c.expectOp('(');
    c.expectOp('*');
    c.expectOp(')');
    node.what = parseWarningsWord(c);
    node.count = true;
    return node;
  }
  if (c.isWord('WARNINGS') || c.isWord('ERRORS')) {
    node.what = parseWarningsWord(c);
    if (c.acceptWord('LIMIT')) node.limit = parseLimit(c);
    return node;
  }
  if (c.acceptWord('PARTITIONS')) {
    node.what = 'partitions';
    if (c.acceptWord('ON')) node.database = c.identifier();
    return node;
  }
  // SHOW [EXTENDED] [FULL] COLUMNS|TABLES|PROCESSLIST: EXTENDED is accepted and ignored.
  c.acceptWord('EXTENDED');
  if (c.acceptWord('FULL')) node.full = true;
  if (c.acceptWord('GLOBAL')) node.scope = 'global';
  else if (c.acceptWord('SESSION') || c.acceptWord('LOCAL')) node.scope = 'session';
  if (c.acceptWord('COLUMNS') || c.acceptWord('FIELDS')) {
    node.what = 'columns';
    node.table = parseFromTable(c);
  } else if (c.acceptWord('INDEX') || c.acceptWord('INDEXES') || c.acceptWord('KEYS')) {
    node.what = 'index';
    node.table = parseFromTable(c);
  } else {
    const database = WITH_DATABASE.find(([words]) => c.acceptWords(...words));
    if (database !== undefined) {
      node.what = database[1];
      if (c.acceptWord('FROM') || c.acceptWord('IN')) node.database = c.identifier();
    } else {
      const simple = SIMPLE.find(([words]) => c.acceptWords(...words));
      if (simple === undefined) throw c.error();
      node.what = simple[1];
    }
  }
  parseLikeOrWhere(c, node);
  return node;
}

function parseWarningsWord(c: Cursor): ShowWhat {
  if (c.acceptWord('WARNINGS')) return 'warnings';
  c.expectWord('ERRORS');
  return 'errors';
}

/** `FROM|IN t [FROM|IN db]`. */
function parseFromTable(c: Cursor): TableName {
  if (!c.acceptWord('FROM')) c.expectWord('IN');
  const table = parseTableName(c);
  if (c.acceptWord('FROM') || c.acceptWord('IN'))
    return { database: c.identifier(), name: table.name };
  return table;
}

function parseLikeOrWhere(c: Cursor, node: MutableShow): void {
  if (c.acceptWord('LIKE')) node.like = c.string();
  else if (c.acceptWord('WHERE')) node.where = parseExpr(c);
}

function parseShowCreate(c: Cursor, node: MutableShow): ShowStatement {
  if (c.acceptWord('TABLE')) {
    node.what = 'createTable';
    node.table = parseTableName(c);
  } else if (c.acceptWord('VIEW')) {
    node.what = 'createView';
    node.table = parseTableName(c);
  } else if (c.acceptWord('DATABASE') || c.acceptWord('SCHEMA')) {
    node.what = 'createDatabase';
    if (c.acceptWords('IF', 'NOT', 'EXISTS')) node.ifNotExists = true;
    node.database = c.identifier();
  } else if (c.acceptWord('USER')) {
    node.what = 'createUser';
    node.user = parseUserSpec(c);
  } else {
    throw c.error();
  }
  return node;
}
