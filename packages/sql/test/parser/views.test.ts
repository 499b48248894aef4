/** CREATE / ALTER / DROP VIEW: clauses, the SELECT's source text, and syntax errors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatStatement, parseStatement } from '../../src/parser/index.js';
import type { CreateViewStatement } from '../../src/parser/index.js';
import { statementTree } from './helpers.js';

function view(sql: string): CreateViewStatement {
  const statement = parseStatement(sql);
  assert.equal(statement.kind, 'createView');
  return statement;
}

describe('view statements', () => {
  it('reads every clause of CREATE VIEW', () => {
    const stmt = view(
      "CREATE OR REPLACE ALGORITHM=TEMPTABLE DEFINER='app'@'10.%' SQL SECURITY INVOKER VIEW db.v (x, y) AS SELECT a, b FROM t WHERE a > 1 WITH LOCAL CHECK OPTION",
    );
    assert.deepEqual(
      { ...stmt, query: undefined },
      {
        kind: 'createView',
        orReplace: true,
        algorithm: 'TEMPTABLE',
        definer: { user: 'app', host: '10.%' },
        security: 'INVOKER',
        view: { database: 'db', name: 'v' },
        columns: ['x', 'y'],
        query: undefined,
        checkOption: 'LOCAL',
        text: 'SELECT a, b FROM t WHERE a > 1',
        pos: 0,
      },
    );
  });

  it('keeps the SELECT as written, without the check option', () => {
    assert.equal(
      view('create view v as  select  `a` , 1+2 from t   with check option').text,
      'select  `a` , 1+2 from t',
    );
    assert.equal(
      view('CREATE VIEW v AS (SELECT 1) UNION (SELECT 2);').text,
      '(SELECT 1) UNION (SELECT 2)',
    );
    // mysqldump's versioned comments around the clauses.
    assert.equal(
      view(
        '/*!50001 CREATE ALGORITHM=UNDEFINED */ /*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */ /*!50001 VIEW `v` AS select `t`.`id` AS `id` from `t` */',
      ).text,
      'select `t`.`id` AS `id` from `t`',
    );
  });

  it('reads ALTER VIEW, IF NOT EXISTS and the default check option', () => {
    const altered = view('ALTER DEFINER = CURRENT_USER VIEW v AS SELECT 1 WITH CHECK OPTION');
    assert.equal(altered.alter, true);
    assert.deepEqual(altered.definer, { user: '', host: '', current: true });
    assert.equal(altered.checkOption, 'CASCADED');
    assert.equal(view('CREATE VIEW IF NOT EXISTS v AS SELECT 1').ifNotExists, true);
    assert.equal(
      formatStatement(altered),
      'ALTER DEFINER = CURRENT_USER() VIEW `v` AS SELECT 1 WITH CASCADED CHECK OPTION',
    );
  });

  it('prints text that parses back to the same tree', () => {
    for (const sql of [
      'CREATE ALGORITHM = MERGE VIEW v AS SELECT * FROM t JOIN u USING (id)',
      'ALTER SQL SECURITY DEFINER VIEW v (a) AS SELECT COUNT(*) FROM t GROUP BY b',
      'CREATE VIEW IF NOT EXISTS v AS WITH c AS (SELECT 1 AS x) SELECT x FROM c',
    ]) {
      const tree = parseStatement(sql);
      assert.deepEqual(
        statementTree(parseStatement(formatStatement(tree))),
        statementTree(tree),
        sql,
      );
    }
  });

  it('rejects malformed view statements with 1064', () => {
    for (const sql of [
      'CREATE ALGORITHM = FAST VIEW v AS SELECT 1',
      'CREATE SQL SECURITY NOBODY VIEW v AS SELECT 1',
      'CREATE VIEW v AS SELECT 1 WITH CHECK',
      'CREATE VIEW v SELECT 1',
      'ALTER VIEW IF NOT EXISTS v AS SELECT 1',
      'CREATE ALGORITHM = MERGE ALGORITHM = MERGE VIEW v AS SELECT 1',
      'DROP VIEW',
    ]) {
      assert.throws(() => parseStatement(sql), { errno: 1064 }, sql);
    }
  });

  it('reads DROP VIEW lists with RESTRICT or CASCADE', () => {
    assert.deepEqual(statementTree(parseStatement('DROP VIEW IF EXISTS a, db.b CASCADE')), {
      kind: 'dropView',
      ifExists: true,
      views: [{ name: 'a' }, { database: 'db', name: 'b' }],
    });
  });
});
