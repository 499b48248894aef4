/**
 * Pieces of CREATE TABLE and ALTER TABLE (MySQL 8.0 manual, "CREATE TABLE Statement"): column
 * definitions, key parts, index options, foreign keys and table options.
 */
import type {
  CheckDef,
  ColumnDef,
  Expr,
  ForeignKeyDef,
  ForeignKeyReference,
  IndexColumn,
  IndexDef,
  ReferenceAction,
} from './ast.js';
import type { Cursor } from './cursor.js';
import { TokenType } from './lexer.js';
import { parseDataType } from './parse-data-type.js';
import { parseExpr, parseUnary } from './parse-expr.js';
import { parseParenthesizedNames, parseTableName } from './parse-table-ref.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const SERIAL_ATTRIBUTES = { notNull: true, autoIncrement: true, unique: true } as const;

/** `name type [attributes]`. */
export function parseColumnDef(c: Cursor): ColumnDef {
  const name = c.identifier();
  // SERIAL is BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE; SERIAL DEFAULT VALUE, the same
  // attributes on an integer column.
  const serial = c.acceptWord('SERIAL');
  const column: Mutable<ColumnDef> = serial
    ? { name, type: { name: 'BIGINT', unsigned: true }, ...SERIAL_ATTRIBUTES }
    : { name, type: parseDataType(c, false) };
  for (;;) {
    if (c.acceptWords('SERIAL', 'DEFAULT', 'VALUE')) Object.assign(column, SERIAL_ATTRIBUTES);
    else if (c.acceptWords('NOT', 'NULL')) column.notNull = true;
    else if (c.acceptWord('NULL')) column.null = true;
    else if (c.acceptWord('DEFAULT')) column.default = parseDefaultValue(c);
    else if (c.acceptWords('ON', 'UPDATE')) column.onUpdate = parseDefaultValue(c);
    else if (c.acceptWord('AUTO_INCREMENT')) column.autoIncrement = true;
    else if (c.acceptWords('PRIMARY', 'KEY') || c.acceptWord('KEY')) column.primaryKey = true;
    else if (c.acceptWord('UNIQUE')) {
      c.acceptWord('KEY');
      column.unique = true;
    } else if (c.acceptWord('COMMENT')) column.comment = c.string();
    else if (c.acceptWord('COLLATE')) {
      column.type = { ...column.type, collation: c.identifierOrString().toLowerCase() };
    } else if (c.acceptWords('CHARACTER', 'SET') || c.acceptWord('CHARSET')) {
      column.type = { ...column.type, charset: c.identifierOrString().toLowerCase() };
    } else if (c.isWord('GENERATED') || c.isWord('AS')) {
      if (c.acceptWord('GENERATED')) c.expectWord('ALWAYS');
      c.expectWord('AS');
      c.expectOp('(');
      const expr = parseExpr(c);
      c.expectOp(')');
      const stored = c.acceptWord('STORED') || c.acceptWord('PERSISTED');
      if (!stored) c.acceptWord('VIRTUAL');
      column.generated = { expr, stored };
    } else if (c.isWord('CHECK') || (c.isWord('CONSTRAINT') && c.isWordAt(2, 'CHECK'))) {
      const name = c.acceptWord('CONSTRAINT') ? c.identifier() : undefined;
      c.expectWord('CHECK');
      const check = parseCheckBody(c);
      column.check = name === undefined ? check : { name, ...check };
    } else if (c.acceptWord('REFERENCES')) {
      // MariaDB 10.5+ keeps a column-level REFERENCES as a foreign key (MySQL ignores it).
      column.references = parseReferencesTail(c);
    } else if (c.acceptWords('SERIES', 'TIMESTAMP')) {
      // SingleStore's SERIES TIMESTAMP marks a time-series column; accepted.
    } else if (c.acceptWord('COLUMN_FORMAT') || c.acceptWord('STORAGE')) {
      c.identifier();
    } else if (c.acceptWord('VISIBLE') || c.acceptWord('INVISIBLE')) {
      // Visibility is accepted and ignored.
    } else break;
  }
  return column;
}

/** DEFAULT / ON UPDATE values: a literal, a signed literal, a niladic call, or `(expr)`. */
function parseDefaultValue(c: Cursor): Expr {
  if (c.acceptOp('(')) {
    const expr = parseExpr(c);
    c.expectOp(')');
    return expr;
  }
  return parseUnary(c);
}

/** `(expr) [[NOT] ENFORCED]` after CHECK. */
export function parseCheckBody(c: Cursor): CheckDef {
  c.expectOp('(');
  const expr = parseExpr(c);
  c.expectOp(')');
  if (c.acceptWords('NOT', 'ENFORCED')) return { expr, enforced: false };
  c.acceptWord('ENFORCED');
  return { expr };
}

/** `(col [(length)] [ASC|DESC], …)`; `allowEmpty` for SingleStore's keyless `SHARD KEY ()`. */
export function parseKeyParts(c: Cursor, allowEmpty = false): IndexColumn[] {
  c.expectOp('(');
  const columns: IndexColumn[] = [];
  if (allowEmpty && c.acceptOp(')')) return columns;
  do {
    const name = c.identifier();
    let column: Mutable<IndexColumn> = { name };
    if (c.acceptOp('(')) {
      column = { name, length: c.integer() };
      c.expectOp(')');
    }
    if (c.acceptWord('DESC')) column.desc = true;
    else c.acceptWord('ASC');
    columns.push(column);
  } while (c.acceptOp(','));
  c.expectOp(')');
  return columns;
}

const USING_WORDS = ['HASH', 'BTREE', 'RTREE', 'CLUSTERED', 'COLUMNSTORE'];

function parseUsing(c: Cursor): string {
  const words: string[] = [];
  for (
    let word = c.acceptOneOf(USING_WORDS);
    word !== undefined;
    word = c.acceptOneOf(USING_WORDS)
  ) {
    words.push(word);
  }
  if (words.length === 0) throw c.error();
  return words.join(' ');
}

/**
 * `[name] [USING x] (key parts) [USING x] [COMMENT 's'] [KEY_BLOCK_SIZE …]` after the
 * KEY/INDEX/UNIQUE/PRIMARY KEY keywords.
 */
export function parseIndexBody(c: Cursor, options: { allowEmpty?: boolean } = {}): IndexDef {
  const index: Mutable<IndexDef> = { columns: [] };
  if (c.isIdentifier()) index.name = c.identifier();
  if (c.acceptWord('USING')) index.using = parseUsing(c);
  index.columns = parseKeyParts(c, options.allowEmpty === true);
  for (;;) {
    if (c.acceptWord('USING')) index.using = parseUsing(c);
    else if (c.acceptWord('COMMENT')) index.comment = c.string();
    else if (c.acceptWord('KEY_BLOCK_SIZE')) {
      c.acceptOp('=');
      c.integer();
    } else if (!c.acceptWord('VISIBLE') && !c.acceptWord('INVISIBLE')) break;
  }
  return index;
}

const REFERENCE_ACTIONS: readonly (readonly [string[], ReferenceAction])[] = [
  [['RESTRICT'], 'RESTRICT'],
  [['CASCADE'], 'CASCADE'],
  [['SET', 'NULL'], 'SET NULL'],
  [['SET', 'DEFAULT'], 'SET DEFAULT'],
  [['NO', 'ACTION'], 'NO ACTION'],
];

function parseReferenceAction(c: Cursor): ReferenceAction {
  for (const [words, action] of REFERENCE_ACTIONS) if (c.acceptWords(...words)) return action;
  throw c.error();
}

function parseReferencesTail(c: Cursor): ForeignKeyReference {
  const refTable = parseTableName(c);
  const refColumns = parseParenthesizedNames(c);
  const result: Mutable<ForeignKeyReference> = { refTable, refColumns };
  if (c.acceptWord('MATCH')) c.acceptOneOf(['FULL', 'PARTIAL', 'SIMPLE']);
  for (;;) {
    if (c.acceptWords('ON', 'DELETE')) result.onDelete = parseReferenceAction(c);
    else if (c.acceptWords('ON', 'UPDATE')) result.onUpdate = parseReferenceAction(c);
    else break;
  }
  return result;
}

/** After FOREIGN KEY: `[index name] (cols) REFERENCES t (cols) [ON DELETE …] [ON UPDATE …]`. */
export function parseForeignKeyBody(c: Cursor, constraintName: string | undefined): ForeignKeyDef {
  let name = constraintName;
  if (c.isIdentifier()) {
    const indexName = c.identifier();
    name ??= indexName;
  }
  const columns = parseParenthesizedNames(c);
  c.expectWord('REFERENCES');
  const tail = parseReferencesTail(c);
  return name === undefined ? { columns, ...tail } : { name, columns, ...tail };
}

const CANONICAL_OPTIONS: Readonly<Record<string, string>> = {
  CHARACTER: 'CHARSET',
  CHARSET: 'CHARSET',
  COLLATE: 'COLLATE',
};

/**
 * One table option, or undefined when none follows: `[DEFAULT] CHARSET [=] x`,
 * `[DEFAULT] COLLATE [=] x`, `ENGINE [=] x`, `AUTO_INCREMENT [=] n`, `COMMENT [=] 's'`, … .
 */
export function parseTableOption(c: Cursor): { name: string; value: string } | undefined {
  const start = c.index;
  c.acceptWord('DEFAULT');
  const token = c.token;
  if (token.type !== TokenType.Word) {
    c.index = start;
    return undefined;
  }
  let name = CANONICAL_OPTIONS[token.upper];
  if (name === 'CHARSET' && token.upper === 'CHARACTER') {
    if (!c.isWordAt(1, 'SET')) throw c.error();
    c.advance();
  }
  if (name === undefined) {
    if (c.index !== start || !isOptionName(token.upper)) {
      c.index = start;
      return undefined;
    }
    name = token.upper;
  }
  c.advance();
  c.acceptOp('=');
  const value = c.token;
  if (
    value.type === TokenType.String ||
    value.type === TokenType.Word ||
    value.type === TokenType.QuotedIdent ||
    value.type === TokenType.Integer ||
    value.type === TokenType.Decimal
  ) {
    c.advance();
    return { name, value: value.text };
  }
  throw c.error();
}

function isOptionName(upper: string): boolean {
  return (
    upper === 'ENGINE' ||
    upper === 'AUTO_INCREMENT' ||
    upper === 'COMMENT' ||
    upper === 'ROW_FORMAT' ||
    upper === 'KEY_BLOCK_SIZE' ||
    upper === 'AVG_ROW_LENGTH' ||
    upper === 'MAX_ROWS' ||
    upper === 'MIN_ROWS' ||
    upper === 'PACK_KEYS' ||
    upper === 'CHECKSUM' ||
    upper === 'DELAY_KEY_WRITE' ||
    upper === 'STATS_PERSISTENT' ||
    upper === 'STATS_AUTO_RECALC' ||
    upper === 'STATS_SAMPLE_PAGES' ||
    upper === 'COMPRESSION' ||
    upper === 'ENCRYPTION' ||
    upper === 'TABLESPACE' ||
    upper === 'INSERT_METHOD' ||
    upper === 'AUTOSTATS_ENABLED' ||
    upper === 'ALGORITHM' ||
    upper === 'LOCK'
  );
}
