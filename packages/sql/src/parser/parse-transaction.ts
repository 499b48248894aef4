/**
 * Transaction statements (MySQL 8.0 manual, "START TRANSACTION, COMMIT, and ROLLBACK",
 * "SAVEPOINT, ROLLBACK TO SAVEPOINT, and RELEASE SAVEPOINT"). Anything else is a syntax error.
 */
import type { BeginStatement, CommitStatement, RollbackStatement, Statement } from './ast.js';
import type { Cursor } from './cursor.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function parseTransaction(c: Cursor): Statement {
  const pos = c.token.pos;
  if (c.acceptWord('BEGIN')) {
    c.acceptWord('WORK');
    return { kind: 'begin', pos };
  }
  if (c.acceptWords('START', 'TRANSACTION')) {
    const node: Mutable<BeginStatement> = { kind: 'begin', pos };
    if (c.atEnd() || c.isOp(';')) return node;
    do {
      if (c.acceptWords('READ', 'ONLY')) node.accessMode = 'READ ONLY';
      else if (c.acceptWords('READ', 'WRITE')) node.accessMode = 'READ WRITE';
      else if (c.acceptWords('WITH', 'CONSISTENT', 'SNAPSHOT')) node.consistentSnapshot = true;
      else throw c.error();
    } while (c.acceptOp(','));
    return node;
  }
  if (c.acceptWord('COMMIT')) {
    c.acceptWord('WORK');
    const node: Mutable<CommitStatement> = { kind: 'commit', pos };
    parseChainAndRelease(c, node);
    return node;
  }
  if (c.acceptWord('ROLLBACK')) {
    c.acceptWord('WORK');
    const node: Mutable<RollbackStatement> = { kind: 'rollback', pos };
    if (c.acceptWord('TO')) {
      c.acceptWord('SAVEPOINT');
      node.savepoint = c.identifier();
      return node;
    }
    parseChainAndRelease(c, node);
    return node;
  }
  if (c.acceptWord('SAVEPOINT')) return { kind: 'savepoint', name: c.identifier(), pos };
  if (c.acceptWords('RELEASE', 'SAVEPOINT'))
    return { kind: 'releaseSavepoint', name: c.identifier(), pos };
  throw c.error();
}

function parseChainAndRelease(c: Cursor, node: { chain?: boolean; release?: boolean }): void {
  if (c.acceptWords('AND', 'NO', 'CHAIN')) node.chain = false;
  else if (c.acceptWords('AND', 'CHAIN')) node.chain = true;
  if (c.acceptWords('NO', 'RELEASE')) node.release = false;
  else if (c.acceptWord('RELEASE')) node.release = true;
}
