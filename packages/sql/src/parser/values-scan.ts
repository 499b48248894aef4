/**
 * A fast path for `INSERT|REPLACE … VALUES (…), (…)` whose items are all plain literals: the
 * rows are read in one pass over the text, straight to the values the parser path would give
 * them (`aggregator/constants.ts` `simpleValue` of the literal nodes), without tokens or
 * expression nodes. Bulk inserts spend most of their parsing time on exactly these texts.
 *
 * It only ever accepts; it never reports an error. Anything it does not know for certain (a
 * hex or bit literal, an expression, adjacent strings, `ROW(…)`, ON DUPLICATE KEY UPDATE, a
 * row alias, an executable comment, a second statement, malformed text) makes it answer
 * undefined, and the caller parses the text as usual, so errors come from the parser alone.
 *
 * The part before VALUES is parsed by the parser itself (with an empty row after it), so the
 * table, column list and flags are exactly the parser's. Literals follow the lexer
 * (`lexer.ts`) and the MySQL 8.0 manual's "String Literals" and "Number Literals".
 */
import type { InsertStatement } from './ast.js';
import type { SqlValue } from '../values.js';
import { INTRODUCER_CHARSETS } from './keywords.js';
import { parseStatement } from './parse.js';

export interface LiteralInsert {
  /** The statement, with a `rows` source. */
  readonly statement: InsertStatement;
  /** Its text without surrounding comments and `;`, as `parseScript` gives it. */
  readonly text: string;
}

/** Where VALUES may start: after the table or column list, at most this far into the text. */
const PREFIX_CHARS_MAX = 4096;
const STATEMENT_START = /^\s*(?:INSERT|REPLACE)\s/i;
const VALUES_WORD = /[\s)`](VALUES?)(?=[\s(])/gi;

/** Backslash escapes in strings (the lexer's `STRING_ESCAPES`). */
const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\x1a',
  '%': '\\%',
  _: '\\_',
};

/** Thrown inside the scanner when the text must take the parser's path. */
class NotLiteral extends Error {}
const NOT_LITERAL = new NotLiteral();

/** The statement, or undefined when the text must be parsed as usual. */
export function scanLiteralInsert(sql: string): LiteralInsert | undefined {
  if (!STATEMENT_START.test(sql)) return undefined;
  VALUES_WORD.lastIndex = 0;
  const match = VALUES_WORD.exec(sql);
  if (match === null || match.index >= PREFIX_CHARS_MAX) return undefined;
  const valuesEnd = match.index + 1 + (match[1] as string).length;
  // The rows first: a text that does not end with them (ON DUPLICATE KEY UPDATE, RETURNING)
  // never pays for the prefix's parse.
  const scanner = new ValuesScanner(sql, valuesEnd);
  let rows: (SqlValue | undefined)[][];
  try {
    rows = scanner.rows();
  } catch (error) {
    if (error instanceof NotLiteral) return undefined;
    throw error;
  }
  const prefix = prefixStatement(sql.slice(0, valuesEnd));
  if (prefix === undefined) return undefined;
  return {
    statement: { ...prefix, source: { kind: 'rows', rows } },
    text: sql.slice(prefix.pos ?? 0, scanner.lastRowEnd),
  };
}

/** The parser's statement for the text up to VALUES, or undefined when that is not an INSERT. */
function prefixStatement(prefix: string): InsertStatement | undefined {
  let statement;
  try {
    statement = parseStatement(`${prefix} ()`);
  } catch {
    return undefined;
  }
  if (statement.kind !== 'insert') return undefined;
  const source = statement.source;
  if (source.kind !== 'values' || source.rows.length !== 1 || source.rows[0]?.length !== 0)
    return undefined;
  if (statement.rowAlias !== undefined || statement.onDuplicateKeyUpdate !== undefined)
    return undefined;
  return statement;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The lexer's identifier characters: letters, digits, `_`, `$`, and anything beyond ASCII. */
function isIdentChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    isDigit(code) ||
    code === 95 ||
    code === 36 ||
    code >= 0x80
  );
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

class ValuesScanner {
  /** One past the last row's `)`. */
  lastRowEnd = 0;

  constructor(
    private readonly sql: string,
    private index: number,
  ) {}

  rows(): (SqlValue | undefined)[][] {
    const sql = this.sql;
    const rows: (SqlValue | undefined)[][] = [];
    for (;;) {
      this.skipSpace();
      this.expect(40 /* ( */);
      const row: (SqlValue | undefined)[] = [];
      this.skipSpace();
      if (sql.charCodeAt(this.index) === 41 /* ) */) this.index++;
      else {
        for (;;) {
          row.push(this.value());
          this.skipSpace();
          const code = sql.charCodeAt(this.index++);
          if (code === 41) break;
          if (code !== 44 /* , */) throw NOT_LITERAL;
          this.skipSpace();
        }
      }
      rows.push(row);
      this.lastRowEnd = this.index;
      this.skipSpace();
      if (sql.charCodeAt(this.index) !== 44) break;
      this.index++;
    }
    if (sql.charCodeAt(this.index) === 59 /* ; */) {
      this.index++;
      this.skipSpace();
    }
    if (this.index !== sql.length) throw NOT_LITERAL;
    return rows;
  }

  private expect(code: number): void {
    if (this.sql.charCodeAt(this.index) !== code) throw NOT_LITERAL;
    this.index++;
  }

  /** Whitespace and comments, as the lexer skips them; executable comments are code. */
  private skipSpace(): void {
    const sql = this.sql;
    const length = sql.length;
    while (this.index < length) {
      const code = sql.charCodeAt(this.index);
      if (isSpace(code)) this.index++;
      else if (
        code === 35 /* # */ ||
        (code === 45 /* - */ &&
          sql.charCodeAt(this.index + 1) === 45 &&
          (this.index + 2 >= length || sql.charCodeAt(this.index + 2) <= 32))
      ) {
        const newline = sql.indexOf('\n', this.index);
        this.index = newline < 0 ? length : newline + 1;
      } else if (code === 47 /* / */ && sql.charCodeAt(this.index + 1) === 42 /* * */) {
        const third = sql.charCodeAt(this.index + 2);
        if (third === 33 /* ! */ || third === 77 /* M */) throw NOT_LITERAL;
        const close = sql.indexOf('*/', this.index + 2);
        if (close < 0) throw NOT_LITERAL;
        this.index = close + 2;
      } else return;
    }
  }

  /** One item of a row: its value, or undefined for DEFAULT. */
  private value(): SqlValue | undefined {
    const sql = this.sql;
    const code = sql.charCodeAt(this.index);
    if (code === 39 /* ' */ || code === 34 /* " */) return this.string();
    if (isDigit(code) || code === 46 /* . */) return this.number(false);
    if (code === 45 /* - */) {
      // `-5` is the unary minus of a literal, which the parser path negates directly.
      this.index++;
      return this.number(true);
    }
    if (!isIdentChar(code)) throw NOT_LITERAL;
    return this.word();
  }

  /** A quoted string; an adjacent string would be concatenated by the parser: not here. */
  private string(): string {
    const sql = this.sql;
    const quote = sql.charCodeAt(this.index);
    let index = this.index + 1;
    let chunkStart = index;
    let out = '';
    for (;;) {
      if (index >= sql.length) throw NOT_LITERAL;
      const code = sql.charCodeAt(index);
      if (code === quote) {
        if (sql.charCodeAt(index + 1) === quote) {
          out += sql.slice(chunkStart, index + 1);
          index += 2;
          chunkStart = index;
          continue;
        }
        out += sql.slice(chunkStart, index);
        this.index = index + 1;
        break;
      }
      if (code === 92 /* \ */) {
        out += sql.slice(chunkStart, index);
        const escaped = sql[index + 1];
        if (escaped === undefined) throw NOT_LITERAL;
        out += ESCAPES[escaped] ?? escaped;
        index += 2;
        chunkStart = index;
        continue;
      }
      index++;
    }
    this.skipSpace();
    const next = sql.charCodeAt(this.index);
    if (next === 39 || next === 34) throw NOT_LITERAL;
    return out;
  }

  /** A number literal (the lexer's `readNumber`), negated when a `-` came before it. */
  private number(negative: boolean): number | bigint | string {
    const sql = this.sql;
    const start = this.index;
    let index = start;
    const first = sql.charCodeAt(start);
    const second = sql.charCodeAt(start + 1);
    // 0x… and 0b… are hex and bit literals, evaluated by the engine.
    if (first === 48 && (second === 120 || second === 98)) throw NOT_LITERAL;
    if (first === 46 && !isDigit(second)) throw NOT_LITERAL;
    while (isDigit(sql.charCodeAt(index))) index++;
    let kind: 'int' | 'decimal' | 'double' = 'int';
    if (sql.charCodeAt(index) === 46) {
      kind = 'decimal';
      index++;
      while (isDigit(sql.charCodeAt(index))) index++;
    }
    const e = sql.charCodeAt(index);
    if (e === 101 || e === 69 /* e E */) {
      let digitAt = index + 1;
      const sign = sql.charCodeAt(digitAt);
      if (sign === 43 || sign === 45) digitAt++;
      if (isDigit(sql.charCodeAt(digitAt))) {
        kind = 'double';
        index = digitAt;
        while (isDigit(sql.charCodeAt(index))) index++;
      }
    }
    if (index === start || isIdentChar(sql.charCodeAt(index))) throw NOT_LITERAL;
    this.index = index;
    const text = sql.slice(start, index);
    if (kind === 'decimal') return negative ? `-${text}` : text;
    const number = Number(text);
    if (kind === 'double') return negative ? -number : number;
    const value = Number.isSafeInteger(number) ? number : BigInt(text);
    return negative ? -value : value;
  }

  /** NULL, TRUE, FALSE, DEFAULT, `N'…'`, `_charset'…'`, and DATE/TIME/TIMESTAMP '…'. */
  private word(): SqlValue | undefined {
    const sql = this.sql;
    const start = this.index;
    const first = sql.charCodeAt(start);
    if ((first === 78 || first === 110) /* N n */ && sql.charCodeAt(start + 1) === 39) {
      this.index++;
      return this.string();
    }
    // X'…' and B'…' are hex and bit literals.
    if (sql.charCodeAt(start + 1) === 39) throw NOT_LITERAL;
    let index = start + 1;
    while (isIdentChar(sql.charCodeAt(index))) index++;
    this.index = index;
    const upper = sql.slice(start, index).toUpperCase();
    switch (upper) {
      case 'NULL':
        return null;
      case 'TRUE':
        return 1;
      case 'FALSE':
        return 0;
      case 'DEFAULT':
        return undefined;
      case 'DATE':
      case 'TIME':
      case 'TIMESTAMP':
        return this.quotedAfterWord();
    }
    if (first === 95 /* _ */ && INTRODUCER_CHARSETS.has(upper.slice(1).toLowerCase()))
      return this.quotedAfterWord();
    throw NOT_LITERAL;
  }

  /** The string after a DATE keyword or a charset introducer (the parser keeps its text). */
  private quotedAfterWord(): string {
    this.skipSpace();
    const code = this.sql.charCodeAt(this.index);
    if (code !== 39 && code !== 34) throw NOT_LITERAL;
    return this.string();
  }
}
