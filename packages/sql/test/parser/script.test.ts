import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  collectTables,
  formatExpr,
  mapExpr,
  parseScript,
  parseStatement,
  splitStatements,
  walkExpr,
} from '../../src/parser/index.js';
import type { Expr } from '../../src/parser/index.js';
import { MYSQLDUMP_SCRIPT } from './corpus.js';

describe('scripts', () => {
  it('parses mysqldump output, executable comments included', () => {
    const statements = parseScript(MYSQLDUMP_SCRIPT);
    const kinds = statements.map(({ statement }) => statement.kind);
    assert.equal(kinds.filter((kind) => kind === 'createTable').length, 1);
    assert.equal(kinds.filter((kind) => kind === 'insert').length, 1);
    assert.equal(kinds.filter((kind) => kind === 'createView').length, 2);
    assert.deepEqual(
      kinds.filter(
        (kind) => kind === 'lockTables' || kind === 'unlockTables' || kind === 'alterTable',
      ),
      ['lockTables', 'alterTable', 'alterTable', 'unlockTables'],
    );
    const insert = statements.find(({ statement }) => statement.kind === 'insert');
    assert.ok(insert?.statement.kind === 'insert' && insert.statement.source.kind === 'values');
    assert.equal(insert.statement.source.rows.length, 2);
    assert.ok(insert.text.startsWith('INSERT INTO `users` VALUES'));
    const create = statements.find(({ statement }) => statement.kind === 'createTable');
    assert.ok(create?.statement.kind === 'createTable');
    assert.equal(create.statement.columns.length, 6);
    assert.deepEqual(create.statement.options, {
      ENGINE: 'InnoDB',
      AUTO_INCREMENT: '3',
      CHARSET: 'utf8mb4',
      COLLATE: 'utf8mb4_unicode_ci',
    });
  });

  it('splits statements without breaking quotes or comments', () => {
    const script =
      'SELECT \';\' AS a; -- c;\nSELECT `x;y` FROM t /* ; */;\n\n/* only a comment */;\nSELECT "a\\";" ;/*!40101 SET a=1 */;';
    assert.deepEqual(splitStatements(script), [
      "SELECT ';' AS a",
      '-- c;\nSELECT `x;y` FROM t /* ; */',
      'SELECT "a\\";"',
      '/*!40101 SET a=1 */',
    ]);
    assert.deepEqual(splitStatements("SELECT 'unterminated; still"), [
      "SELECT 'unterminated; still",
    ]);
    assert.deepEqual(parseScript('  ;; -- nothing\n'), []);
  });
});

describe('walking', () => {
  function whereOf(sql: string): Expr {
    const stmt = parseStatement(sql);
    assert.ok(stmt.kind === 'select' && stmt.where !== undefined);
    return stmt.where;
  }

  it('visits every expression and rewrites bottom-up', () => {
    const where = whereOf('SELECT 1 FROM t WHERE a = ? AND b IN (?, c + ?)');
    const kinds: string[] = [];
    walkExpr(where, (node) => {
      kinds.push(node.kind);
    });
    assert.equal(kinds.filter((kind) => kind === 'param').length, 3);
    const rewritten = mapExpr(where, (node) =>
      node.kind === 'param' ? { kind: 'literal', type: 'int', value: node.index * 10 } : node,
    );
    assert.equal(formatExpr(rewritten), '`a` = 0 AND `b` IN (10, `c` + 20)');
    assert.equal(formatExpr(where), '`a` = ? AND `b` IN (?, `c` + ?)');
  });

  it('collects the tables a statement names, without CTE names', () => {
    const stmt = parseStatement(
      'WITH c AS (SELECT * FROM base) SELECT * FROM c JOIN db.t ON c.a = t.a WHERE EXISTS (SELECT 1 FROM u WHERE u.x IN (SELECT x FROM v))',
    );
    assert.deepEqual(collectTables(stmt), [
      { name: 'base' },
      { database: 'db', name: 't' },
      { name: 'u' },
      { name: 'v' },
    ]);
    assert.deepEqual(collectTables(parseStatement('INSERT INTO a SELECT * FROM b')), [
      { name: 'a' },
      { name: 'b' },
    ]);
    assert.deepEqual(collectTables(parseStatement('RENAME TABLE a TO b')), [
      { name: 'a' },
      { name: 'b' },
    ]);
  });
});
