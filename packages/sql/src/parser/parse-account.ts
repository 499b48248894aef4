/**
 * Accounts and privileges (MySQL 8.0 manual, "Account Management Statements", "Specifying
 * Account Names") and SingleStore's ADD LEAF / REMOVE LEAF cluster statements.
 */
import type { GrantTarget, Privilege, Statement, UserAuth, UserSpec } from './ast.js';
import type { Cursor } from './cursor.js';
import { TokenType } from './lexer.js';
import { parseParenthesizedNames } from './parse-table-ref.js';

/** `'u'@'h'`, `u@h`, `` `u`@`h` ``, `'u'` (host '%'), or CURRENT_USER[()]. */
export function parseUserSpec(c: Cursor): UserSpec {
  if (c.acceptWord('CURRENT_USER')) {
    if (c.acceptOp('(')) c.expectOp(')');
    return { user: '', host: '', current: true };
  }
  const user = parseAccountPart(c);
  const token = c.token;
  if (token.type === TokenType.UserVar) {
    c.advance();
    return { user, host: token.text };
  }
  return { user, host: '%' };
}

/** A user or host name: a string, or any word (reserved or not), or a backticked name. */
function parseAccountPart(c: Cursor): string {
  const token = c.token;
  if (
    token.type === TokenType.String ||
    token.type === TokenType.QuotedIdent ||
    token.type === TokenType.Word
  ) {
    c.advance();
    return token.text;
  }
  throw c.error();
}

function parseUserAuth(c: Cursor): UserAuth {
  const user = parseUserSpec(c);
  if (!c.acceptWord('IDENTIFIED')) return { user };
  if (c.acceptWord('BY')) {
    c.acceptWord('PASSWORD');
    return { user, password: c.string() };
  }
  c.expectWord('WITH');
  const plugin = c.identifierOrString();
  if (c.acceptWord('BY') || c.acceptWord('AS')) return { user, plugin, password: c.string() };
  return { user, plugin };
}

/** Skips the account options MySQL allows after the user list (REQUIRE, PASSWORD, ACCOUNT, …). */
function skipAccountOptions(c: Cursor): void {
  if (
    !c.isWord('REQUIRE') &&
    !c.isWord('PASSWORD') &&
    !c.isWord('ACCOUNT') &&
    !c.isWord('WITH') &&
    !c.isWord('DEFAULT') &&
    !c.isWord('COMMENT') &&
    !c.isWord('ATTRIBUTE')
  ) {
    return;
  }
  while (!c.atEnd() && !c.isOp(';')) c.advance();
}

/** After CREATE USER. */
export function parseCreateUser(c: Cursor, pos: number): Statement {
  const ifNotExists = c.acceptWords('IF', 'NOT', 'EXISTS');
  const users = [parseUserAuth(c)];
  while (c.acceptOp(',')) users.push(parseUserAuth(c));
  skipAccountOptions(c);
  return { kind: 'createUser', ifNotExists, users, pos };
}

/** After ALTER USER. */
export function parseAlterUser(c: Cursor, pos: number): Statement {
  const ifExists = c.acceptWords('IF', 'EXISTS');
  const users = [parseUserAuth(c)];
  while (c.acceptOp(',')) users.push(parseUserAuth(c));
  skipAccountOptions(c);
  return { kind: 'alterUser', ifExists, users, pos };
}

/** After DROP USER. */
export function parseDropUser(c: Cursor, pos: number): Statement {
  const ifExists = c.acceptWords('IF', 'EXISTS');
  const users = [parseUserSpec(c)];
  while (c.acceptOp(',')) users.push(parseUserSpec(c));
  return { kind: 'dropUser', ifExists, users, pos };
}

function parsePrivileges(c: Cursor): Privilege[] {
  const privileges: Privilege[] = [];
  do {
    const words: string[] = [];
    while (
      c.token.type === TokenType.Word &&
      !c.isWord('ON') &&
      !c.isWord('TO') &&
      !c.isWord('FROM')
    ) {
      words.push(c.advance().upper);
    }
    if (words.length === 0) throw c.error();
    let name = words.join(' ');
    if (name === 'ALL') name = 'ALL PRIVILEGES';
    if (c.isOp('(')) privileges.push({ name, columns: parseParenthesizedNames(c) });
    else privileges.push({ name });
  } while (c.acceptOp(','));
  return privileges;
}

/** `*`, `*.*`, `db.*`, `db.t` or `t`, after ON [TABLE]. */
function parseGrantTarget(c: Cursor): GrantTarget {
  c.acceptOneOf(['TABLE', 'FUNCTION', 'PROCEDURE']);
  const first = c.acceptOp('*') ? '*' : c.identifier();
  if (!c.acceptOp('.')) return first === '*' ? { table: '*' } : { table: first };
  const second = c.acceptOp('*') ? '*' : c.identifierAfterDot();
  return { database: first, table: second };
}

/** After GRANT. */
export function parseGrant(c: Cursor, pos: number): Statement {
  const privileges = parsePrivileges(c);
  c.expectWord('ON');
  const on = parseGrantTarget(c);
  c.expectWord('TO');
  const to = [parseUserAuth(c)];
  while (c.acceptOp(',')) to.push(parseUserAuth(c));
  if (c.acceptWord('REQUIRE')) {
    while (!c.atEnd() && !c.isOp(';') && !c.isWord('WITH')) c.advance();
  }
  let withGrantOption = false;
  if (c.acceptWord('WITH')) {
    while (!c.atEnd() && !c.isOp(';')) {
      if (c.acceptWords('GRANT', 'OPTION')) withGrantOption = true;
      else c.advance();
    }
  }
  return { kind: 'grant', privileges, on, to, withGrantOption, pos };
}

/** After REVOKE; `REVOKE ALL [PRIVILEGES], GRANT OPTION FROM u` applies to `*.*`. */
export function parseRevoke(c: Cursor, pos: number): Statement {
  const privileges = parsePrivileges(c);
  const on: GrantTarget = c.acceptWord('ON') ? parseGrantTarget(c) : { database: '*', table: '*' };
  c.expectWord('FROM');
  const from = [parseUserSpec(c)];
  while (c.acceptOp(',')) from.push(parseUserSpec(c));
  return { kind: 'revoke', privileges, on, from, pos };
}

/** A port after `:`. */
function parsePort(c: Cursor): number | undefined {
  if (!c.acceptOp(':')) return undefined;
  const port = c.integer();
  if (port > 65535) throw c.error();
  return port;
}

/** After ADD LEAF: `user[:'password']@'host'[:port]`. */
export function parseAddLeaf(c: Cursor, pos: number): Statement {
  const user = parseAccountPart(c);
  const password = c.acceptOp(':') ? c.string() : undefined;
  const hostToken = c.token;
  if (hostToken.type !== TokenType.UserVar) throw c.error();
  c.advance();
  const port = parsePort(c);
  const node = { kind: 'addLeaf', user, host: hostToken.text, pos } as const;
  const withPassword = password === undefined ? node : { ...node, password };
  if (c.acceptWords('INTO', 'GROUP')) c.integer();
  return port === undefined ? withPassword : { ...withPassword, port };
}

/** After REMOVE LEAF: `'host'[:port] [FORCE]`. */
export function parseRemoveLeaf(c: Cursor, pos: number): Statement {
  const host = parseAccountPart(c);
  const port = parsePort(c);
  const force = c.acceptWord('FORCE');
  const node = { kind: 'removeLeaf', host, pos } as const;
  const withPort = port === undefined ? node : { ...node, port };
  return force ? { ...withPort, force } : withPort;
}
