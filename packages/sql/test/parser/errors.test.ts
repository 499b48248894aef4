import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqlError } from '../../src/errors.js';
import { NESTING_MAX, parseStatement } from '../../src/parser/index.js';

/** MySQL's ER_PARSE_ERROR text for a given near text and line. */
function parseMessage(near: string, line = 1): string {
  return `You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '${near}' at line ${line}`;
}

function errorOf(sql: string): SqlError {
  try {
    parseStatement(sql);
  } catch (error) {
    assert.ok(error instanceof SqlError, `not a SqlError: ${String(error)}`);
    return error;
  }
  assert.fail(`no error for ${JSON.stringify(sql)}`);
}

describe('parser errors', () => {
  // Near texts and lines as a MariaDB 10.11 server printed them for the same statements.
  const cases: readonly (readonly [string, string, number?])[] = [
    ['selec 1', 'selec 1'],
    ['select 1 from', ''],
    ['select * from t where a = ', ''],
    ['select 1,', ''],
    ['select * from t limit -1', '-1'],
    ["select 'abc", "'abc"],
    ['insert into t values (1', ''],
    ['select * from t order by', ''],
    ['update t set where a = 1', 'where a = 1'],
    ['create table t (a int,)', ')'],
    ['select a from t group a', 'a'],
    ['select * from t1 join t2 on', ''],
    ['select 1 +* 2', '* 2'],
    ['select case when 1 end', 'end'],
    ['drop table', ''],
    ['select * from t where a in ()', ')'],
    ['show foo', 'foo'],
    ['select `abc', '`abc'],
    ['select * from select', 'select'],
    ['select 1,\n 2 froom t where x = 1', 't where x = 1', 2],
  ];
  for (const [sql, near, line] of cases) {
    it(`reports ${JSON.stringify(sql)} like MySQL`, () => {
      const error = errorOf(sql);
      assert.equal(error.errno, 1064);
      assert.equal(error.sqlState, '42000');
      assert.equal(error.message, parseMessage(near, line ?? 1));
    });
  }

  it('cuts the near text at 80 characters', () => {
    const tail = 'x'.repeat(100);
    const error = errorOf(`select 1 from t where a = 1 ) ${tail}`);
    assert.equal(error.message, parseMessage(`) ${tail}`.slice(0, 80)));
  });

  it('reports an empty query', () => {
    for (const sql of ['', '  \n', '/* nothing */', '-- only a comment', '# hash', ';']) {
      const error = errorOf(sql);
      assert.equal(error.errno, 1065);
      assert.equal(error.message, 'Query was empty');
    }
  });

  it('refuses reserved words as identifiers unless quoted', () => {
    assert.equal(errorOf('SELECT * FROM order').errno, 1064);
    assert.equal(errorOf('CREATE TABLE t (key INT)').errno, 1064);
    assert.doesNotThrow(() => parseStatement('SELECT * FROM `order`'));
  });

  it('refuses nesting deeper than the limit without exhausting the stack', () => {
    const depth = NESTING_MAX + 10;
    for (const sql of [
      `SELECT ${'('.repeat(depth)}1${')'.repeat(depth)}`,
      `SELECT ${'-'.repeat(depth * 50)}1`,
      `SELECT ${'NOT '.repeat(depth * 50)}1`,
      `SELECT 1 FROM t WHERE a IN ${'(SELECT a FROM t WHERE a IN '.repeat(depth)}(1)${')'.repeat(depth)}`,
      `SELECT ${'1 + '.repeat(20000)}1`,
      `SELECT ${'((SELECT 1) + '.repeat(depth)}1${')'.repeat(depth)}`,
    ]) {
      assert.equal(errorOf(sql).errno, 1064);
    }
    assert.doesNotThrow(() =>
      parseStatement(`SELECT ${'('.repeat(NESTING_MAX - 5)}1${')'.repeat(NESTING_MAX - 5)}`),
    );
  });
});
