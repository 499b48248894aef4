/**
 * Data types of column definitions and CAST (MySQL 8.0 manual, "Data Types" and the CAST()
 * type list), reduced to canonical names.
 */
import type { DataType } from './ast.js';
import type { Cursor } from './cursor.js';
import { TokenType } from './lexer.js';

const ALIASES: Readonly<Record<string, string>> = {
  INTEGER: 'INT',
  INT4: 'INT',
  INT1: 'TINYINT',
  INT2: 'SMALLINT',
  INT3: 'MEDIUMINT',
  MIDDLEINT: 'MEDIUMINT',
  INT8: 'BIGINT',
  NUMERIC: 'DECIMAL',
  DEC: 'DECIMAL',
  FIXED: 'DECIMAL',
  BOOLEAN: 'BOOL',
  REAL: 'DOUBLE',
  FLOAT8: 'DOUBLE',
  FLOAT4: 'FLOAT',
  CHARACTER: 'CHAR',
  NCHAR: 'CHAR',
  NVARCHAR: 'VARCHAR',
  VARCHARACTER: 'VARCHAR',
};

const INTEGERS = new Set(['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'BIGINT']);
const NUMERICS = new Set(['DECIMAL', 'DOUBLE', 'FLOAT']);
const STRINGS = new Set([
  'CHAR',
  'VARCHAR',
  'TINYTEXT',
  'TEXT',
  'MEDIUMTEXT',
  'LONGTEXT',
  'ENUM',
  'SET',
]);
const LENGTH_ONLY = new Set([
  'BIT',
  'BINARY',
  'VARBINARY',
  'TINYBLOB',
  'BLOB',
  'MEDIUMBLOB',
  'LONGBLOB',
  'YEAR',
]);
const TEMPORALS = new Set(['DATETIME', 'TIMESTAMP', 'TIME']);
const PLAIN = new Set(['DATE', 'JSON', 'BOOL', 'GEOMETRY', 'POINT', 'LINESTRING', 'POLYGON']);
/** Types valid only in CAST. */
const CAST_ONLY = new Set(['SIGNED', 'UNSIGNED']);

interface MutableType {
  name: string;
  length?: number;
  precision?: number;
  scale?: number;
  unsigned?: boolean;
  zerofill?: boolean;
  charset?: string;
  collation?: string;
  values?: readonly string[];
}

/** Parses a type; `cast` admits SIGNED/UNSIGNED and refuses nothing else extra. */
export function parseDataType(c: Cursor, cast: boolean): DataType {
  const token = c.token;
  if (token.type !== TokenType.Word) throw c.error();
  c.advance();
  let name = ALIASES[token.upper] ?? token.upper;
  if (name === 'NATIONAL') {
    name = ALIASES[c.token.upper] ?? c.token.upper;
    if (name !== 'CHAR' && name !== 'VARCHAR') throw c.error();
    c.advance();
  }
  if (token.upper === 'NCHAR' || token.upper === 'NVARCHAR') {
    // NATIONAL types are utf8 (MySQL manual, "The CHAR and VARCHAR Types").
  }
  if (name === 'DOUBLE') c.acceptWord('PRECISION');
  if (name === 'CHAR' && c.acceptWord('VARYING')) name = 'VARCHAR';
  if (name === 'LONG') {
    // LONG and LONG VARCHAR are MEDIUMTEXT; LONG VARBINARY is MEDIUMBLOB.
    name = c.acceptWord('VARBINARY') ? 'MEDIUMBLOB' : 'MEDIUMTEXT';
    c.acceptWord('VARCHAR');
  }
  const type: MutableType = { name };
  if (cast && CAST_ONLY.has(name)) {
    if (!c.acceptWord('INTEGER')) c.acceptWord('INT');
    return type;
  }
  if (INTEGERS.has(name) || LENGTH_ONLY.has(name)) {
    if (c.acceptOp('(')) {
      type.length = c.integer();
      c.expectOp(')');
    }
  } else if (NUMERICS.has(name)) {
    if (c.acceptOp('(')) {
      const first = c.integer();
      if (c.acceptOp(',')) {
        type.precision = first;
        type.scale = c.integer();
      } else if (name === 'FLOAT') {
        type.length = first;
      } else if (name === 'DOUBLE') {
        // DOUBLE takes (M,D) or nothing (MariaDB's grammar: `DOUBLE(10)` is a syntax error).
        throw c.error();
      } else {
        type.precision = first;
      }
      c.expectOp(')');
    }
  } else if (name === 'ENUM' || name === 'SET') {
    c.expectOp('(');
    const values = [c.string()];
    while (c.acceptOp(',')) values.push(c.string());
    c.expectOp(')');
    type.values = values;
  } else if (STRINGS.has(name)) {
    if (c.acceptOp('(')) {
      type.length = c.integer();
      c.expectOp(')');
    } else if (name === 'VARCHAR' && !cast) {
      throw c.error();
    }
  } else if (TEMPORALS.has(name)) {
    if (c.acceptOp('(')) {
      type.scale = c.integer();
      c.expectOp(')');
    }
  } else if (!PLAIN.has(name)) {
    throw c.error(token);
  }
  if (INTEGERS.has(name) || NUMERICS.has(name)) {
    for (;;) {
      if (c.acceptWord('UNSIGNED')) type.unsigned = true;
      else if (c.acceptWord('SIGNED')) continue;
      else if (c.acceptWord('ZEROFILL')) type.zerofill = true;
      else break;
    }
  }
  if (STRINGS.has(name)) parseCharsetAndCollation(c, type, token.upper);
  return type;
}

function parseCharsetAndCollation(c: Cursor, type: MutableType, written: string): void {
  if (written === 'NCHAR' || written === 'NVARCHAR' || written === 'NATIONAL')
    type.charset = 'utf8';
  for (;;) {
    if (c.acceptWord('BINARY')) continue;
    if (c.acceptWords('CHARACTER', 'SET') || c.acceptWord('CHARSET')) {
      type.charset = c.identifierOrString().toLowerCase();
    } else if (c.acceptWord('ASCII')) {
      type.charset = 'latin1';
    } else if (c.acceptWord('UNICODE')) {
      type.charset = 'ucs2';
    } else if (c.acceptWord('COLLATE')) {
      type.collation = c.identifierOrString().toLowerCase();
    } else {
      return;
    }
  }
}
