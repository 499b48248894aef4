/**
 * The MySQL lexer: one pass over the text with a character-code switch, producing every token
 * up front (statements are short, and error messages need the offending token's offset).
 * Follows the MySQL 8.0 manual's "Schema Object Names", "String Literals", "Number Literals",
 * "Hexadecimal Literals", "Bit-Value Type Literals" and "Comments" sections. Versioned comments
 * `/*! … *\/` and `/*!40101 … *\/` are read as code, as mysqldump output needs.
 */
import { parseError } from './parse-error.js';

export const TokenType = {
  End: 0,
  /** Unquoted identifier or keyword; `upper` holds its upper-case spelling. */
  Word: 1,
  /** Backtick-quoted identifier; `upper` is empty so it never matches a keyword. */
  QuotedIdent: 2,
  /** A string literal ('…' or "…"); `text` is the decoded value. */
  String: 3,
  /** `N'…'`: a national string literal. */
  NationalString: 4,
  Integer: 5,
  Decimal: 6,
  Double: 7,
  /** `0x1F` or `X'1F'`: `text` holds the hex digits. */
  Hex: 8,
  /** `0b101` or `B'101'`: `text` holds the binary digits. */
  Bit: 9,
  /** `?`: `text` is empty; parameters are numbered by the parser. */
  Param: 10,
  /** `@name`: `text` is the name. */
  UserVar: 11,
  /** `@@name` or `@@scope.name`: `text` is what follows `@@`. */
  SystemVar: 12,
  /** Punctuation and operators: `text` and `upper` hold the operator. */
  Op: 13,
} as const;
export type TokenTypeValue = (typeof TokenType)[keyof typeof TokenType];

export interface Token {
  readonly type: TokenTypeValue;
  readonly text: string;
  readonly upper: string;
  /** Offset of the first character, and one past the last. */
  readonly pos: number;
  readonly end: number;
}

/** Identifier characters: letters, digits, `_`, `$`, and anything beyond ASCII. */
function isIdentChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 36 ||
    code >= 0x80
  );
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isHexDigit(code: number): boolean {
  return isDigit(code) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 11 || code === 12;
}

/** Operators, longest first within each leading character. */
const OPERATORS: Readonly<Record<string, readonly string[]>> = {
  '<': ['<=>', '<=', '<>', '<<', '<'],
  '>': ['>=', '>>', '>'],
  '!': ['!=', '!'],
  ':': [':=', ':'],
  '-': ['->>', '->', '-'],
  '|': ['||', '|'],
  '&': ['&&', '&'],
};

const STRING_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\x1a',
  // \% and \_ keep their backslash: LIKE patterns need it (MySQL manual, Table 11.1).
  '%': '\\%',
  _: '\\_',
};

export class Lexer {
  private readonly sql: string;
  private index = 0;
  private versionCommentDepth = 0;
  readonly tokens: Token[] = [];

  constructor(sql: string) {
    this.sql = sql;
  }

  /** Tokenizes the whole text; the last token is always End. */
  run(): Token[] {
    const sql = this.sql;
    const length = sql.length;
    for (;;) {
      this.skipSpaceAndComments();
      if (this.index >= length) break;
      this.readToken();
    }
    this.tokens.push({ type: TokenType.End, text: '', upper: '', pos: length, end: length });
    return this.tokens;
  }

  private push(type: TokenTypeValue, text: string, upper: string, pos: number): void {
    this.tokens.push({ type, text, upper, pos, end: this.index });
  }

  private skipSpaceAndComments(): void {
    const sql = this.sql;
    const length = sql.length;
    while (this.index < length) {
      const code = sql.charCodeAt(this.index);
      if (isSpace(code)) {
        this.index++;
      } else if (code === 35 /* # */) {
        this.skipToLineEnd();
      } else if (
        code === 45 /* - */ &&
        sql.charCodeAt(this.index + 1) === 45 &&
        (this.index + 2 >= length || sql.charCodeAt(this.index + 2) <= 32)
      ) {
        // "--" starts a comment only when followed by whitespace or a control character.
        this.skipToLineEnd();
      } else if (code === 47 /* / */ && sql.charCodeAt(this.index + 1) === 42 /* * */) {
        this.skipBlockComment();
      } else if (
        code === 42 /* * */ &&
        this.versionCommentDepth > 0 &&
        sql.charCodeAt(this.index + 1) === 47
      ) {
        this.versionCommentDepth--;
        this.index += 2;
      } else {
        return;
      }
    }
  }

  private skipToLineEnd(): void {
    const newline = this.sql.indexOf('\n', this.index);
    this.index = newline < 0 ? this.sql.length : newline + 1;
  }

  private skipBlockComment(): void {
    const sql = this.sql;
    const start = this.index;
    let index = start + 2;
    const bang = sql.charCodeAt(index) === 33; /* ! */
    const mariadb =
      sql.charCodeAt(index) === 77 /* M */ && sql.charCodeAt(index + 1) === 33; /* M! */
    if (bang || mariadb) {
      // An executable comment: skip the marker and optional version number, read the rest —
      // unless the version is newer than the one this server answers as (mariadb-dump starts
      // with `/*M!999999\- enable the sandbox mode */`, meant for no server).
      index += mariadb ? 2 : 1;
      const versionStart = index;
      while (isDigit(sql.charCodeAt(index))) index++;
      if (!versionApplies(sql.slice(versionStart, index), mariadb)) {
        const close = sql.indexOf('*/', index);
        if (close < 0) throw parseError(sql, start);
        this.index = close + 2;
        return;
      }
      this.versionCommentDepth++;
      this.index = index;
      return;
    }
    const close = sql.indexOf('*/', index);
    if (close < 0) throw parseError(sql, start);
    this.index = close + 2;
  }

  private readToken(): void {
    const sql = this.sql;
    const start = this.index;
    const code = sql.charCodeAt(start);
    if (code === 39 /* ' */ || code === 34 /* " */) {
      this.push(TokenType.String, this.readQuoted(code), '', start);
      return;
    }
    if (code === 96 /* ` */) {
      this.push(TokenType.QuotedIdent, this.readQuoted(96), '', start);
      return;
    }
    const next = sql.charCodeAt(start + 1);
    if (isDigit(code) || (code === 46 /* . */ && isDigit(next) && !this.followsIdentifier())) {
      this.readNumber();
      return;
    }
    if (isIdentChar(code)) {
      if (next === 39 && this.readPrefixedString(code)) return;
      this.readWord();
      return;
    }
    if (code === 64 /* @ */) {
      this.readVariable();
      return;
    }
    if (code === 63 /* ? */) {
      this.index++;
      this.push(TokenType.Param, '', '', start);
      return;
    }
    const candidates = OPERATORS[sql[start] ?? ''];
    let op = sql[start] ?? '';
    if (candidates !== undefined) {
      for (const candidate of candidates) {
        if (sql.startsWith(candidate, start)) {
          op = candidate;
          break;
        }
      }
    } else if ('=+*/%^~(),.;{}'.indexOf(op) < 0) {
      throw parseError(sql, start);
    }
    this.index += op.length;
    this.push(TokenType.Op, op, op, start);
  }

  /** True when the previous token is an identifier ending right here (`t.5` is t . 5). */
  private followsIdentifier(): boolean {
    const previous = this.tokens[this.tokens.length - 1];
    return (
      previous !== undefined &&
      previous.end === this.index &&
      (previous.type === TokenType.Word || previous.type === TokenType.QuotedIdent)
    );
  }

  /** `X'1F'`, `B'101'`, `N'text'`; returns false for any other letter before a quote. */
  private readPrefixedString(prefix: number): boolean {
    const start = this.index;
    const upper = prefix & ~32;
    if (upper !== 88 /* X */ && upper !== 66 /* B */ && upper !== 78 /* N */) return false;
    this.index++;
    const body = this.readQuoted(39);
    if (upper === 78) {
      this.push(TokenType.NationalString, body, '', start);
      return true;
    }
    const valid = upper === 88 ? /^[0-9a-fA-F]*$/ : /^[01]*$/;
    if (!valid.test(body) || (upper === 88 && body.length % 2 !== 0)) {
      throw parseError(this.sql, start);
    }
    this.push(upper === 88 ? TokenType.Hex : TokenType.Bit, body.toUpperCase(), '', start);
    return true;
  }

  private readWord(): void {
    const sql = this.sql;
    const start = this.index;
    let index = start + 1;
    while (index < sql.length && isIdentChar(sql.charCodeAt(index))) index++;
    this.index = index;
    const text = sql.slice(start, index);
    this.push(TokenType.Word, text, text.toUpperCase(), start);
  }

  /**
   * Reads a quoted string or identifier whose opening quote is at `index`. Doubled quotes stand
   * for one; in strings, backslash escapes apply (NO_BACKSLASH_ESCAPES is not supported).
   */
  private readQuoted(quote: number): string {
    const sql = this.sql;
    const start = this.index;
    let index = start + 1;
    let chunkStart = index;
    let out = '';
    for (;;) {
      if (index >= sql.length) throw parseError(sql, start);
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
        return out;
      }
      if (code === 92 /* \ */ && quote !== 96) {
        out += sql.slice(chunkStart, index);
        const escaped = sql[index + 1];
        if (escaped === undefined) throw parseError(sql, start);
        out += STRING_ESCAPES[escaped] ?? escaped;
        index += 2;
        chunkStart = index;
        continue;
      }
      index++;
    }
  }

  private readNumber(): void {
    const sql = this.sql;
    const start = this.index;
    let index = start;
    const second = sql.charCodeAt(start + 1);
    if (sql.charCodeAt(start) === 48 && (second === 120 || second === 98) /* 0x 0b */) {
      const hex = second === 120;
      let end = start + 2;
      while (hex ? isHexDigit(sql.charCodeAt(end)) : (sql.charCodeAt(end) & ~1) === 48) end++;
      if (end > start + 2 && !isIdentChar(sql.charCodeAt(end))) {
        this.index = end;
        const digits = sql.slice(start + 2, end).toUpperCase();
        // `upper` marks the 0x form: a number in numeric context, where X'…' stays a string.
        this.push(hex ? TokenType.Hex : TokenType.Bit, digits, hex ? '0X' : '', start);
        return;
      }
    }
    while (isDigit(sql.charCodeAt(index))) index++;
    let type: TokenTypeValue = TokenType.Integer;
    if (sql.charCodeAt(index) === 46 /* . */) {
      type = TokenType.Decimal;
      index++;
      while (isDigit(sql.charCodeAt(index))) index++;
    }
    const e = sql.charCodeAt(index);
    if (e === 101 || e === 69 /* e E */) {
      let digitAt = index + 1;
      const sign = sql.charCodeAt(digitAt);
      if (sign === 43 || sign === 45) digitAt++;
      if (isDigit(sql.charCodeAt(digitAt))) {
        type = TokenType.Double;
        index = digitAt;
        while (isDigit(sql.charCodeAt(index))) index++;
      }
    }
    if (type === TokenType.Integer && isIdentChar(sql.charCodeAt(index))) {
      // An identifier may begin with a digit ("1st_column") but is never all digits.
      this.readWord();
      return;
    }
    this.index = index;
    const text = sql.slice(start, index);
    this.push(type, text, text, start);
  }

  private readVariable(): void {
    const sql = this.sql;
    const start = this.index;
    const system = sql.charCodeAt(start + 1) === 64;
    this.index = start + (system ? 2 : 1);
    const code = sql.charCodeAt(this.index);
    let name: string;
    if (system) {
      // @@name, @@scope.name; either part may be backticked.
      name = this.readVariablePart(start, false);
      if (sql.charCodeAt(this.index) === 46 /* . */) {
        this.index++;
        name += '.' + this.readVariablePart(start, false);
      }
    } else if (code === 39 || code === 34 || code === 96) {
      name = this.readQuoted(code);
    } else {
      // User variable names may also contain "." (MySQL manual, "User-Defined Variables").
      name = this.readVariablePart(start, true);
    }
    this.push(system ? TokenType.SystemVar : TokenType.UserVar, name, '', start);
  }

  private readVariablePart(start: number, dots: boolean): string {
    const sql = this.sql;
    if (sql.charCodeAt(this.index) === 96) return this.readQuoted(96);
    let index = this.index;
    while (
      index < sql.length &&
      (isIdentChar(sql.charCodeAt(index)) || (dots && sql.charCodeAt(index) === 46))
    ) {
      index++;
    }
    if (index === this.index) throw parseError(sql, start);
    const part = sql.slice(this.index, index);
    this.index = index;
    return part;
  }
}

export function tokenize(sql: string): Token[] {
  return new Lexer(sql).run();
}

/**
 * Whether a versioned comment runs here: `/*!50110 …*\/` names a MySQL version (Mmmrr, this
 * server answers as 8.0.35), `/*M!100616 …*\/` a MariaDB one (MMmmrr; the MariaDB features
 * this server follows are those of 10.11). Six digits after `/*!` are read as MariaDB's form;
 * SingleStore's versions run too (below).
 */
function versionApplies(digits: string, mariadb: boolean): boolean {
  if (digits === '') return true;
  const version = Number(digits);
  if (mariadb || digits.length >= 6) return version <= 101199;
  return version <= 80035 || (version >= SINGLESTORE_FIRST && version <= SINGLESTORE_LAST);
}

/**
 * SingleStore's versions up to 9.6.18, whose comments hold clauses this server shares
 * (`/*!90618 , SHARD KEY (id) *\/`, as SHOW CREATE TABLE writes them): run here, skipped by
 * MariaDB (it skips 5-digit versions from 5.7 on) and by MySQL (newer than itself). SHOW CREATE
 * DATABASE's `/*!90620 PARTITIONS n *\/` stays a comment: a restored database takes this
 * cluster's default.
 */
const SINGLESTORE_FIRST = 90000;
const SINGLESTORE_LAST = 90618;
