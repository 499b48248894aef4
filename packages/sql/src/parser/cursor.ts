/**
 * The token cursor every parsing function shares: lookahead, keyword and operator matching,
 * identifiers, and the limits that keep hostile input from exhausting the stack.
 */
import type { SqlError } from '../errors.js';
import type { Expr } from './ast.js';
import { NOT_ALIASES, RESERVED } from './keywords.js';
import { TokenType, type Token } from './lexer.js';
import { parseError } from './parse-error.js';

/** Deepest nesting of parentheses, subqueries and prefix operators. */
export const NESTING_MAX = 200;
/** Tallest expression tree, counting chains of left-associative operators. */
export const HEIGHT_MAX = 1000;

export class Cursor {
  readonly sql: string;
  readonly tokens: readonly Token[];
  index = 0;
  /** Number of `?` placeholders seen so far. */
  paramCount = 0;
  private nesting = 0;
  height = 0;
  /** Parenthesized expressions already parsed, by token index (see parseParenthesized). */
  readonly remembered = new Map<number, { expr: Expr; end: number; paramCount: number }>();
  private readonly last: number;

  constructor(sql: string, tokens: readonly Token[]) {
    this.sql = sql;
    this.tokens = tokens;
    this.last = tokens.length - 1;
  }

  get token(): Token {
    return this.tokens[this.index] as Token;
  }

  peek(offset: number): Token {
    const at = this.index + offset;
    return this.tokens[at < this.last ? at : this.last] as Token;
  }

  advance(): Token {
    const token = this.token;
    if (this.index < this.last) this.index++;
    return token;
  }

  atEnd(): boolean {
    return this.token.type === TokenType.End;
  }

  /** A syntax error at `token` (the current one by default). */
  error(token: Token = this.token): SqlError {
    return parseError(this.sql, token.pos);
  }

  isWord(upper: string): boolean {
    const token = this.token;
    return token.type === TokenType.Word && token.upper === upper;
  }

  isWordAt(offset: number, upper: string): boolean {
    const token = this.peek(offset);
    return token.type === TokenType.Word && token.upper === upper;
  }

  acceptWord(upper: string): boolean {
    if (!this.isWord(upper)) return false;
    this.advance();
    return true;
  }

  /** Accepts a sequence of keywords only when all of them follow. */
  acceptWords(...uppers: string[]): boolean {
    for (let offset = 0; offset < uppers.length; offset++) {
      if (!this.isWordAt(offset, uppers[offset] as string)) return false;
    }
    this.index += uppers.length;
    return true;
  }

  expectWord(upper: string): void {
    if (!this.acceptWord(upper)) throw this.error();
  }

  /** Accepts one of the keywords and returns it, or returns undefined. */
  acceptOneOf(uppers: readonly string[]): string | undefined {
    const token = this.token;
    if (token.type !== TokenType.Word || !uppers.includes(token.upper)) return undefined;
    this.advance();
    return token.upper;
  }

  isOp(op: string): boolean {
    const token = this.token;
    return token.type === TokenType.Op && token.text === op;
  }

  isOpAt(offset: number, op: string): boolean {
    const token = this.peek(offset);
    return token.type === TokenType.Op && token.text === op;
  }

  acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.advance();
    return true;
  }

  expectOp(op: string): void {
    if (!this.acceptOp(op)) throw this.error();
  }

  /** True when the current token can be an identifier (unreserved word or backticked). */
  isIdentifier(offset = 0): boolean {
    const token = this.peek(offset);
    return (
      token.type === TokenType.QuotedIdent ||
      (token.type === TokenType.Word && !RESERVED.has(token.upper))
    );
  }

  /** True when the current token can be an alias written without AS. */
  isImplicitAlias(): boolean {
    return this.isIdentifier() && !NOT_ALIASES.has(this.token.upper);
  }

  identifier(): string {
    if (!this.isIdentifier()) throw this.error();
    return this.advance().text;
  }

  /** After a `.` in a qualified name any word is an identifier, reserved or not. */
  identifierAfterDot(): string {
    const token = this.token;
    if (token.type !== TokenType.QuotedIdent && token.type !== TokenType.Word) throw this.error();
    return this.advance().text;
  }

  /** An identifier, or a string literal where MySQL accepts either (aliases, charset names). */
  identifierOrString(): string {
    if (this.token.type === TokenType.String) return this.advance().text;
    return this.identifier();
  }

  /** One string literal, with adjacent literals concatenated ('a' 'b' is 'ab'). */
  string(): string {
    if (this.token.type !== TokenType.String && this.token.type !== TokenType.NationalString) {
      throw this.error();
    }
    let text = this.advance().text;
    while (this.token.type === TokenType.String) text += this.advance().text;
    return text;
  }

  isString(): boolean {
    return this.token.type === TokenType.String;
  }

  /** A non-negative integer literal that fits a JavaScript number. */
  integer(): number {
    const token = this.token;
    if (token.type !== TokenType.Integer) throw this.error();
    const value = Number(token.text);
    if (!Number.isSafeInteger(value)) throw this.error();
    this.advance();
    return value;
  }

  /** Enters one level of nesting; every `enter` is paired with `leave` on success. */
  enter(): void {
    this.nesting++;
    this.height++;
    if (this.nesting > NESTING_MAX || this.height > HEIGHT_MAX) throw this.error();
  }

  leave(): void {
    this.nesting--;
    this.height--;
  }

  /** Counts one more link of an operator chain towards the tree height. */
  grow(): void {
    if (++this.height > HEIGHT_MAX) throw this.error();
  }
}
