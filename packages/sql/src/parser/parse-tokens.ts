/**
 * Parsing one statement from tokens the caller already has (a query text is lexed once to
 * find its shape for the aggregator's text plan cache, then parsed from the same tokens).
 * Behaves as `parseStatement` on the text the tokens came from.
 */
import type { Statement } from './ast.js';
import { Cursor } from './cursor.js';
import { TokenType, type Token } from './lexer.js';
import { emptyQueryError } from './parse-error.js';
import { parseOneStatement } from './parse-statement.js';

/** Parses `tokens` (from `tokenize(sql)`, ending with End) as one statement. */
export function parseTokens(sql: string, tokens: readonly Token[]): Statement {
  if (tokens.every((token) => token.type === TokenType.End || isSemicolon(token)))
    throw emptyQueryError();
  const c = new Cursor(sql, tokens);
  const statement = parseOneStatement(c);
  c.acceptOp(';');
  if (!c.atEnd()) throw c.error();
  return statement;
}

function isSemicolon(token: Token): boolean {
  return token.type === TokenType.Op && token.text === ';';
}
