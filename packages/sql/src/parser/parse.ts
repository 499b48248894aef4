/**
 * The parser's entry points: one statement, or a script of statements separated by `;`.
 * A statement's text may end with one `;`. Errors are `SqlError`s: ER_PARSE_ERROR (1064) in
 * MySQL's message shape, or ER_EMPTY_QUERY (1065) for text without any statement.
 */
import type { Statement } from './ast.js';
import { Cursor } from './cursor.js';
import { TokenType, tokenize, type Token } from './lexer.js';
import { emptyQueryError } from './parse-error.js';
import { parseOneStatement } from './parse-statement.js';

export function parseStatement(sql: string): Statement {
  const tokens = tokenize(sql);
  if (tokens.every((token) => token.type === TokenType.End || isSemicolon(token)))
    throw emptyQueryError();
  const c = new Cursor(sql, tokens);
  const statement = parseOneStatement(c);
  c.acceptOp(';');
  if (!c.atEnd()) throw c.error();
  return statement;
}

export interface ScriptStatement {
  readonly statement: Statement;
  /** The statement's source text, without its `;` and surrounding comments. */
  readonly text: string;
}

/**
 * Parses every statement of a script (mysqldump output, migrations). Empty statements are
 * skipped; a script without any statement gives an empty list.
 */
export function parseScript(sql: string): ScriptStatement[] {
  const tokens = tokenize(sql);
  const end = tokens[tokens.length - 1] as Token;
  const results: ScriptStatement[] = [];
  let start = 0;
  while (start < tokens.length - 1) {
    let stop = start;
    while (stop < tokens.length - 1 && !isSemicolon(tokens[stop] as Token)) stop++;
    if (stop > start) {
      const slice = tokens.slice(start, stop);
      // The statement's own End token sits where its `;` (or the script's end) is.
      const terminator = tokens[stop] as Token;
      slice.push({ ...end, pos: terminator.pos, end: terminator.pos });
      const c = new Cursor(sql, slice);
      const statement = parseOneStatement(c);
      if (!c.atEnd()) throw c.error();
      const first = slice[0] as Token;
      const last = slice[slice.length - 2] as Token;
      results.push({ statement, text: sql.slice(first.pos, last.end) });
    }
    start = stop + 1;
  }
  return results;
}

function isSemicolon(token: Token): boolean {
  return token.type === TokenType.Op && token.text === ';';
}
