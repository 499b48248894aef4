/**
 * Result column names of unaliased select items, as MySQL/MariaDB name them: the item's source
 * text as written; a column reference (even in parentheses) by its column; string, boolean and
 * NULL literals by their value. Expectations measured on MariaDB 10.11 with the same statements.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection, type Connection } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('result column names', () => {
  let cluster: SqlCluster;
  let connection: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    connection = await createConnection({ host: '127.0.0.1', port: cluster.port, user: 'root' });
    await connection.query('CREATE DATABASE names_db');
    await connection.query('USE names_db');
    await connection.query('CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT)');
    await connection.query('INSERT INTO t VALUES (1, 2, 3)');
  });

  after(async () => {
    await connection.end();
    await cluster.close();
  });

  async function names(sql: string, params?: (string | number)[]): Promise<string[]> {
    const [, fields] =
      params === undefined ? await connection.query(sql) : await connection.execute(sql, params);
    return fields.map((field) => field.name);
  }

  it('names expressions by their text, spacing and case kept', async () => {
    assert.deepEqual(await names('SELECT 1+1, 1 + 1, (1+2), `a`+1 FROM t'), [
      '1+1',
      '1 + 1',
      '(1+2)',
      '`a`+1',
    ]);
    assert.deepEqual(await names('SELECT count(*), COUNT(*),  Max( a ) FROM t'), [
      'count(*)',
      'COUNT(*)',
      'Max( a )',
    ]);
    assert.deepEqual(await names("SELECT CONCAT('a',   'b'), 1.50, -1, x'41', DATE '2020-01-01'"), [
      "CONCAT('a',   'b')",
      '1.50',
      '-1',
      "x'41'",
      "DATE '2020-01-01'",
    ]);
    // GET_FORMAT with a written standard is answered by the parser; still named by its text.
    assert.deepEqual(await names("SELECT GET_FORMAT(DATE, 'USA'), get_format(time, 'x')"), [
      "GET_FORMAT(DATE, 'USA')",
      "get_format(time, 'x')",
    ]);
  });

  it('names columns by the column and literals by their value', async () => {
    assert.deepEqual(await names("SELECT (a), t.b, ((a+1)), '  abc', 'a''b', true, null FROM t"), [
      'a',
      'b',
      '((a+1))',
      'abc',
      "a'b",
      'TRUE',
      'NULL',
    ]);
  });

  it('keeps aliases, cuts long text at 255 characters, and names prepared items alike', async () => {
    const long = `CONCAT('${'x'.repeat(300)}', 1)`;
    assert.deepEqual(await names(`SELECT ${long}`), [long.slice(0, 255)]);
    assert.deepEqual(await names('SELECT a + b AS total, a+?, b FROM t WHERE id = ?', [1, 1]), [
      'total',
      'a+?',
      'b',
    ]);
  });

  it('refuses duplicate column names in derived tables and CTEs (1060), as MySQL does', async () => {
    for (const sql of [
      'SELECT * FROM (SELECT 1 a, 2 A) g',
      'WITH g AS (SELECT 1 a, 2 a) SELECT * FROM g',
      'SELECT * FROM (SELECT t1.a, t2.a FROM t t1, t t2) g',
    ]) {
      await assert.rejects(connection.query(sql), { errno: 1060 }, sql);
    }
    assert.deepEqual(await names('SELECT * FROM (SELECT t1.a, t2.a AS a2 FROM t t1, t t2) g'), [
      'a',
      'a2',
    ]);
  });
});
