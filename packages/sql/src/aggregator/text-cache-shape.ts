/**
 * The shape of a query text: the text with its integer and string literals replaced by a
 * marker naming the literal's kind, and the literals themselves. Texts of one shape lex to the
 * same tokens apart from those literals, so they parse to the same statement with different
 * constants. Whitespace and comments stay in the shape: MySQL names a result column after the
 * exact text of its expression.
 */
import { TokenType, type Token } from '../parser/lexer.js';
import { integerLiteral } from '../parser/parse-primary.js';

/** Longest text that is given a shape; longer ones are parsed every time. */
export const SHAPE_TEXT_CHARS_MAX = 8192;
/** Most literals a shape may replace. */
export const SHAPE_LITERALS_MAX = 256;

/** Integer literals keep the type class the dialect gives them (`dialect/literals.ts`). */
export type LiteralKind = 'int' | 'bigint' | 'unsigned' | 'string';

export interface ShapeLiteral {
  readonly token: Token;
  readonly kind: LiteralKind;
  /** The value the parser gives the literal (number or bigint, or the decoded string). */
  readonly value: number | bigint | string;
}

export interface TextShape {
  /** The text with every literal replaced by NUL and a kind letter (texts with NUL have none). */
  readonly text: string;
  readonly literals: readonly ShapeLiteral[];
  /** The statement's text without surrounding comments, as `parseScript` gives it. */
  readonly statementText: string;
}

const KIND_LETTERS: Readonly<Record<LiteralKind, string>> = {
  int: 'i',
  bigint: 'b',
  unsigned: 'u',
  string: 's',
};

/**
 * The shape of one statement's tokens, or undefined when the text must take the ordinary
 * path: several statements, `?`, variables (their values are read at execution), a NUL
 * character (it marks literals), or past the limits.
 */
export function textShape(sql: string, tokens: readonly Token[]): TextShape | undefined {
  if (sql.length > SHAPE_TEXT_CHARS_MAX || sql.includes('\0') || tokens.length < 2)
    return undefined;
  const literals: ShapeLiteral[] = [];
  let text = '';
  let copied = 0;
  for (const token of tokens) {
    switch (token.type) {
      case TokenType.Param:
      case TokenType.UserVar:
      case TokenType.SystemVar:
        return undefined;
      case TokenType.Op:
        if (token.text === ';') return undefined;
        continue;
      case TokenType.Integer:
      case TokenType.String:
        break;
      default:
        continue;
    }
    if (literals.length >= SHAPE_LITERALS_MAX) return undefined;
    const literal = shapeLiteral(token);
    literals.push(literal);
    text += `${sql.slice(copied, token.pos)}\0${KIND_LETTERS[literal.kind]}`;
    copied = token.end;
  }
  text += sql.slice(copied);
  const first = tokens[0] as Token;
  const last = tokens[tokens.length - 2] as Token;
  return { text, literals, statementText: sql.slice(first.pos, last.end) };
}

function shapeLiteral(token: Token): ShapeLiteral {
  if (token.type === TokenType.String) return { token, kind: 'string', value: token.text };
  const value = integerLiteral(token).value as number | bigint;
  // The same rule as `translateLiteral`: beyond INT is BIGINT, beyond 19 digits unsigned.
  const big = typeof value === 'bigint' || Math.abs(value) > 2_147_483_647;
  const kind: LiteralKind = !big ? 'int' : token.text.length > 19 ? 'unsigned' : 'bigint';
  return { token, kind, value };
}

/** The source text of each literal at `ordinals`, to tell texts of one shape apart. */
export function verbatimText(sql: string, shape: TextShape, ordinals: readonly number[]): string {
  let text = '';
  for (const ordinal of ordinals) {
    const token = shape.literals[ordinal]?.token;
    if (token !== undefined) text += `\0${sql.slice(token.pos, token.end)}`;
  }
  return text;
}
