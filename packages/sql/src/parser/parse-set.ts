/**
 * SET statements (MySQL 8.0 manual, "SET Syntax for Variable Assignment", "SET NAMES",
 * "SET CHARACTER SET", "SET TRANSACTION", "SET PASSWORD").
 */
import type {
  Expr,
  IsolationLevel,
  SetTransactionStatement,
  Statement,
  VariableExpr,
} from './ast.js';
import type { Cursor } from './cursor.js';
import { TokenType } from './lexer.js';
import { parseUserSpec } from './parse-account.js';
import { parseExpr } from './parse-expr.js';
import { systemVariable } from './parse-primary.js';

type Scope = NonNullable<VariableExpr['scope']>;
const SCOPE_WORDS: Readonly<Record<string, Scope>> = {
  GLOBAL: 'global',
  SESSION: 'session',
  LOCAL: 'local',
  PERSIST: 'persist',
  PERSIST_ONLY: 'persist_only',
};

/** After SET. */
export function parseSet(c: Cursor, pos: number): Statement {
  if (c.acceptWord('NAMES')) {
    const charset = c.acceptWord('DEFAULT') ? 'DEFAULT' : c.identifierOrString().toLowerCase();
    if (c.acceptWord('COLLATE')) {
      return { kind: 'setNames', charset, collation: c.identifierOrString().toLowerCase(), pos };
    }
    return { kind: 'setNames', charset, pos };
  }
  if (c.acceptWords('CHARACTER', 'SET') || c.acceptWord('CHARSET')) {
    const charset = c.acceptWord('DEFAULT') ? 'DEFAULT' : c.identifierOrString().toLowerCase();
    return { kind: 'setCharset', charset, pos };
  }
  if (
    c.isWord('TRANSACTION') ||
    (SCOPE_WORDS[c.token.upper] !== undefined && c.isWordAt(1, 'TRANSACTION'))
  ) {
    return parseSetTransaction(c, pos);
  }
  if (c.acceptWord('PASSWORD')) {
    const user = c.acceptWord('FOR') ? parseUserSpec(c) : undefined;
    c.expectOp('=');
    let password: string;
    if (c.acceptWord('PASSWORD')) {
      c.expectOp('(');
      password = c.string();
      c.expectOp(')');
    } else {
      password = c.string();
    }
    return user === undefined
      ? { kind: 'setPassword', password, pos }
      : { kind: 'setPassword', user, password, pos };
  }
  const assignments: { target: VariableExpr; value: Expr }[] = [];
  let scope: Scope | undefined;
  do {
    const token = c.token;
    let target: VariableExpr;
    if (token.type === TokenType.UserVar) {
      c.advance();
      target = { kind: 'variable', name: token.text, system: false, pos: token.pos };
    } else if (token.type === TokenType.SystemVar) {
      c.advance();
      target = systemVariable(token);
    } else {
      const written = token.type === TokenType.Word ? SCOPE_WORDS[token.upper] : undefined;
      if (written !== undefined && (c.isIdentifier(1) || c.peek(1).type === TokenType.Word)) {
        c.advance();
        scope = written;
      }
      const nameToken = c.token;
      let name = c.identifier();
      // Structured names such as `default.key_buffer_size` keep their prefix; a scope prefix
      // (`session.time_zone`) reads as it does after @@.
      if (c.acceptOp('.')) name = `${name}.${c.identifierAfterDot()}`;
      target = systemVariable({ ...nameToken, text: name });
      if (scope !== undefined && target.scope === undefined) target = { ...target, scope };
    }
    if (!c.acceptOp('=')) c.expectOp(':=');
    assignments.push({ target, value: parseSetValue(c) });
  } while (c.acceptOp(','));
  return { kind: 'set', assignments, pos };
}

const SET_WORDS = new Set(['ON', 'ALL', 'BINARY', 'SYSTEM']);

/** A value, where the reserved words ON and ALL stand for themselves (`SET autocommit = ON`). */
function parseSetValue(c: Cursor): Expr {
  const token = c.token;
  if (token.type === TokenType.Word && SET_WORDS.has(token.upper)) {
    const next = c.peek(1);
    if (
      next.type === TokenType.End ||
      (next.type === TokenType.Op && (next.text === ',' || next.text === ';'))
    ) {
      c.advance();
      return { kind: 'column', column: token.upper, pos: token.pos };
    }
  }
  return parseExpr(c);
}

const ISOLATION_LEVELS: readonly (readonly [string[], IsolationLevel])[] = [
  [['READ', 'UNCOMMITTED'], 'READ UNCOMMITTED'],
  [['READ', 'COMMITTED'], 'READ COMMITTED'],
  [['REPEATABLE', 'READ'], 'REPEATABLE READ'],
  [['SERIALIZABLE'], 'SERIALIZABLE'],
];

function parseSetTransaction(c: Cursor, pos: number): SetTransactionStatement {
  const written = SCOPE_WORDS[c.token.upper];
  if (written !== undefined) c.advance();
  c.expectWord('TRANSACTION');
  const node: { -readonly [K in keyof SetTransactionStatement]: SetTransactionStatement[K] } = {
    kind: 'setTransaction',
    pos,
  };
  if (written === 'global' || written === 'session') node.scope = written;
  else if (written !== undefined) throw c.error();
  do {
    if (c.acceptWords('ISOLATION', 'LEVEL')) {
      const level = ISOLATION_LEVELS.find(([words]) => c.acceptWords(...words));
      if (level === undefined) throw c.error();
      node.isolationLevel = level[1];
    } else if (c.acceptWords('READ', 'ONLY')) {
      node.accessMode = 'READ ONLY';
    } else if (c.acceptWords('READ', 'WRITE')) {
      node.accessMode = 'READ WRITE';
    } else {
      throw c.error();
    }
  } while (c.acceptOp(','));
  return node;
}
