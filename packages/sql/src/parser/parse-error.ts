/**
 * Syntax errors in MySQL's exact shape (ER_PARSE_ERROR 1064): the text from the offending
 * token on, at most 80 characters (the server's `%-.80s`), and the token's line number.
 */
import { sqlError, type SqlError } from '../errors.js';

const NEAR_CHARACTERS_MAX = 80;

export function parseError(sql: string, pos: number): SqlError {
  let line = 1;
  for (
    let index = sql.indexOf('\n');
    index >= 0 && index < pos;
    index = sql.indexOf('\n', index + 1)
  ) {
    line++;
  }
  let near = sql.slice(pos, pos + NEAR_CHARACTERS_MAX * 2);
  // Count characters as the server does, not UTF-16 units.
  const characters = Array.from(near);
  if (characters.length > NEAR_CHARACTERS_MAX)
    near = characters.slice(0, NEAR_CHARACTERS_MAX).join('');
  return sqlError(
    'PARSE',
    `You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '${near}' at line ${line}`,
  );
}

export function emptyQueryError(): SqlError {
  return sqlError('EMPTY_QUERY', 'Query was empty');
}
