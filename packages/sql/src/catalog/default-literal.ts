/**
 * String defaults as the catalog keeps them: SQL text printed by the parser's formatter, with
 * backslash escapes (`'it\'s'`, `'a\\b'`). This reads them back with the lexer's own rules, and
 * prints them as MariaDB's SHOW CREATE TABLE does (a quote doubled, a backslash escaped).
 */
import { tokenize, TokenType } from '../parser/lexer.js';

/** The value of a stored string default; undefined when the default is not a string literal. */
export function stringDefault(sql: string): string | undefined {
  if (!sql.startsWith("'")) return undefined;
  const tokens = tokenize(sql);
  const [first, second] = tokens;
  return first?.type === TokenType.String && second?.type === TokenType.End
    ? first.text
    : undefined;
}

/** MariaDB's escapes in SHOW CREATE TABLE (append_unescaped): quotes doubled, controls named. */
const SHOWN_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "''",
  '\0': '\\0',
  '\n': '\\n',
  '\r': '\\r',
  '\x1a': '\\Z',
};

/** A string default as MariaDB's SHOW CREATE TABLE prints it: `'it''s'`, `'a\\b'`. */
export function shownStringDefault(value: string): string {
  let shown = '';
  for (const char of value) shown += SHOWN_ESCAPES[char] ?? char;
  return `'${shown}'`;
}
