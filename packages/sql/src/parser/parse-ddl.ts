/**
 * CREATE/DROP DATABASE, CREATE TABLE (with SingleStore's ROWSTORE, REFERENCE, SHARD KEY and
 * SORT KEY), DROP/TRUNCATE/RENAME TABLE and CREATE/DROP INDEX (views: parse-view.ts).
 */
import type {
  CheckDef,
  ColumnDef,
  CreateDatabaseStatement,
  CreateTableStatement,
  ForeignKeyDef,
  IndexDef,
  Statement,
  TableName,
} from './ast.js';
import type { Cursor } from './cursor.js';
import {
  parseCheckBody,
  parseColumnDef,
  parseForeignKeyBody,
  parseIndexBody,
  parseKeyParts,
  parseTableOption,
} from './parse-column-def.js';
import { parseQuery } from './parse-select.js';
import { parseTableName } from './parse-table-ref.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function parseIfNotExists(c: Cursor): boolean {
  return c.acceptWords('IF', 'NOT', 'EXISTS');
}

export function parseIfExists(c: Cursor): boolean {
  return c.acceptWords('IF', 'EXISTS');
}

/** After CREATE DATABASE|SCHEMA. */
export function parseCreateDatabase(c: Cursor, pos: number): CreateDatabaseStatement {
  const ifNotExists = parseIfNotExists(c);
  const node: Mutable<CreateDatabaseStatement> = {
    kind: 'createDatabase',
    name: c.identifier(),
    ifNotExists,
    pos,
  };
  for (;;) {
    if (c.acceptWord('PARTITIONS')) {
      c.acceptOp('=');
      node.partitions = c.integer();
      continue;
    }
    const option = parseTableOption(c);
    if (option === undefined) break;
    if (option.name === 'CHARSET') node.charset = option.value.toLowerCase();
    else if (option.name === 'COLLATE') node.collation = option.value.toLowerCase();
    else throw c.error();
  }
  return node;
}

export function parseDropDatabase(c: Cursor, pos: number): Statement {
  const ifExists = parseIfExists(c);
  return { kind: 'dropDatabase', name: c.identifier(), ifExists, pos };
}

interface TableParts {
  columns: ColumnDef[];
  primaryKey?: IndexDef;
  uniqueKeys: IndexDef[];
  indexes: IndexDef[];
  shardKey?: string[];
  sortKey?: IndexDef['columns'];
  foreignKeys: ForeignKeyDef[];
  checks: CheckDef[];
}

/** After `CREATE [ROWSTORE|COLUMNSTORE] [REFERENCE] [TEMPORARY] TABLE`. */
export function parseCreateTable(
  c: Cursor,
  head: {
    pos: number;
    rowstore: boolean;
    columnstore: boolean;
    reference: boolean;
    temporary: boolean;
  },
): CreateTableStatement {
  const ifNotExists = parseIfNotExists(c);
  const name = parseTableName(c);
  const node: Mutable<CreateTableStatement> = {
    kind: 'createTable',
    ...name,
    ifNotExists,
    rowstore: head.rowstore,
    reference: head.reference,
    columns: [],
    uniqueKeys: [],
    indexes: [],
    options: {},
    pos: head.pos,
  };
  if (head.columnstore) node.columnstore = true;
  if (head.temporary) node.temporary = true;
  if (c.acceptWord('LIKE') || (c.isOp('(') && c.isWordAt(1, 'LIKE'))) {
    const parenthesized = c.acceptOp('(') && c.acceptWord('LIKE');
    node.like = parseTableName(c);
    if (parenthesized) c.expectOp(')');
    return node;
  }
  if (c.isOp('(') && !c.isWordAt(1, 'SELECT') && !c.isWordAt(1, 'WITH') && !c.isOpAt(1, '(')) {
    const parts = parseTableElements(c);
    node.columns = parts.columns;
    node.uniqueKeys = parts.uniqueKeys;
    node.indexes = parts.indexes;
    if (parts.primaryKey !== undefined) node.primaryKey = parts.primaryKey;
    if (parts.shardKey !== undefined) node.shardKey = parts.shardKey;
    if (parts.sortKey !== undefined) node.sortKey = parts.sortKey;
    if (parts.foreignKeys.length > 0) node.foreignKeys = parts.foreignKeys;
    if (parts.checks.length > 0) node.checks = parts.checks;
  }
  const options: Record<string, string> = {};
  for (let option = parseTableOption(c); option !== undefined; option = parseTableOption(c)) {
    options[option.name] = option.value;
    c.acceptOp(',');
  }
  node.options = options;
  c.acceptOneOf(['IGNORE', 'REPLACE']);
  if (c.acceptWord('AS') || c.isWord('SELECT') || c.isWord('WITH') || c.isOp('(')) {
    node.asSelect = parseQuery(c);
  }
  return node;
}

function parseTableElements(c: Cursor): TableParts {
  const parts: TableParts = {
    columns: [],
    uniqueKeys: [],
    indexes: [],
    foreignKeys: [],
    checks: [],
  };
  c.expectOp('(');
  do parseTableElement(c, parts);
  while (c.acceptOp(','));
  c.expectOp(')');
  return parts;
}

function parseTableElement(c: Cursor, parts: TableParts): void {
  let constraint: string | undefined;
  if (c.acceptWord('CONSTRAINT')) {
    if (c.isIdentifier()) constraint = c.identifier();
  }
  if (c.acceptWords('PRIMARY', 'KEY')) {
    parts.primaryKey = parseIndexBody(c);
  } else if (c.acceptWord('UNIQUE')) {
    if (!c.acceptWord('KEY')) c.acceptWord('INDEX');
    const index = parseIndexBody(c);
    parts.uniqueKeys.push(
      constraint !== undefined && index.name === undefined ? { ...index, name: constraint } : index,
    );
  } else if (c.acceptWords('FOREIGN', 'KEY')) {
    parts.foreignKeys.push(parseForeignKeyBody(c, constraint));
  } else if (c.acceptWord('CHECK')) {
    const check = parseCheckBody(c);
    parts.checks.push(constraint === undefined ? check : { name: constraint, ...check });
  } else if (constraint !== undefined) {
    throw c.error();
  } else if (c.acceptWord('KEY') || c.acceptWord('INDEX')) {
    parts.indexes.push(parseIndexBody(c));
  } else if (c.acceptWord('FULLTEXT') || c.acceptWord('SPATIAL')) {
    if (!c.acceptWord('KEY')) c.acceptWord('INDEX');
    parts.indexes.push({ ...parseIndexBody(c), fulltext: true });
  } else if (c.isWord('SHARD') && c.isWordAt(1, 'KEY')) {
    c.index += 2;
    parts.shardKey = parseIndexBody(c, { allowEmpty: true }).columns.map((column) => column.name);
  } else if (c.isWord('SORT') && c.isWordAt(1, 'KEY')) {
    c.index += 2;
    parts.sortKey = parseIndexBody(c, { allowEmpty: true }).columns;
  } else {
    parts.columns.push(parseColumnDef(c));
  }
}

export function parseDropTable(c: Cursor, pos: number, temporary: boolean): Statement {
  const ifExists = parseIfExists(c);
  const tables = parseTableNames(c);
  c.acceptOneOf(['RESTRICT', 'CASCADE']);
  return { kind: 'dropTable', temporary, ifExists, tables, pos };
}

export function parseTableNames(c: Cursor): TableName[] {
  const tables = [parseTableName(c)];
  while (c.acceptOp(',')) tables.push(parseTableName(c));
  return tables;
}

/** After `CREATE [UNIQUE|FULLTEXT] INDEX`. */
export function parseCreateIndex(
  c: Cursor,
  pos: number,
  kind: 'unique' | 'fulltext' | 'plain',
): Statement {
  const name = c.identifier();
  let using: string | undefined;
  if (c.acceptWord('USING')) using = c.identifier().toUpperCase();
  c.expectWord('ON');
  const table = parseTableName(c);
  const index = parseIndexBody(c);
  using = index.using ?? using;
  const node = {
    kind: 'createIndex',
    name,
    table,
    unique: kind === 'unique',
    columns: index.columns,
    pos,
  } as const;
  const withUsing = using === undefined ? node : { ...node, using };
  return kind === 'fulltext' ? { ...withUsing, fulltext: true } : withUsing;
}

export function parseDropIndex(c: Cursor, pos: number): Statement {
  const name = c.isWord('PRIMARY') ? c.advance().upper : c.identifier();
  c.expectWord('ON');
  return { kind: 'dropIndex', name, table: parseTableName(c), pos };
}

export function parseRenameTable(c: Cursor, pos: number): Statement {
  const renames: { from: TableName; to: TableName }[] = [];
  do {
    const from = parseTableName(c);
    c.expectWord('TO');
    renames.push({ from, to: parseTableName(c) });
  } while (c.acceptOp(','));
  return { kind: 'renameTable', renames, pos };
}

export { parseKeyParts };
