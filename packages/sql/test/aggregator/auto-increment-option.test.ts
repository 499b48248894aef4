/**
 * AUTO_INCREMENT counters as MariaDB keeps them: the table option of CREATE TABLE starts the
 * counter (a dump's `) AUTO_INCREMENT=5` restores the table's next value; it was ignored),
 * ALTER TABLE moves it but never to a stored value or below, DROP DATABASE forgets its tables'
 * counters (a table made again started after the old rows), and a clean restart goes on where
 * the counter stopped (it skipped to the end of a reserved block of 1,000). A row refused for
 * another column's value takes no value (it used one up). Expected values are MariaDB 10.11's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

async function rows(db: Connection, sql: string): Promise<unknown[][]> {
  const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
  return result as unknown[][];
}

describe('AUTO_INCREMENT table option and counters', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
  });
  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('starts at CREATE TABLE … AUTO_INCREMENT = n and moves with ALTER TABLE', async () => {
    await db.query('CREATE DATABASE ai');
    await db.query('USE ai');
    await db.query('CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v INT) AUTO_INCREMENT=100');
    await db.query(
      'CREATE ROWSTORE TABLE r (id INT AUTO_INCREMENT PRIMARY KEY, v INT) AUTO_INCREMENT = 7',
    );
    await db.query('INSERT INTO t (v) VALUES (1), (2)');
    // Not above the stored 101: the next value is 102.
    await db.query('ALTER TABLE t AUTO_INCREMENT = 50');
    await db.query('INSERT INTO t (v) VALUES (3)');
    await db.query('ALTER TABLE t AUTO_INCREMENT = 500');
    await db.query('INSERT INTO t (v) VALUES (4)');
    await db.query('DELETE FROM t WHERE id > 101');
    // Back to one past the largest stored value.
    await db.query('ALTER TABLE t AUTO_INCREMENT = 1');
    await db.query('INSERT INTO t (v) VALUES (5)');
    await db.query('INSERT INTO r (v) VALUES (1)');
    assert.deepEqual(await rows(db, 'SELECT id, v FROM t ORDER BY id'), [
      [100, 1],
      [101, 2],
      [102, 5],
    ]);
    assert.deepEqual(await rows(db, 'SELECT id, v FROM r'), [[7, 1]]);
    const status = await rows(db, 'SHOW TABLE STATUS');
    assert.deepEqual(
      status.map((row) => [row[0], row[10]]),
      [
        ['r', 8],
        ['t', 103],
      ],
    );
  });

  it('forgets the counters of a dropped database', async () => {
    await db.query('DROP DATABASE ai');
    await db.query('CREATE DATABASE ai');
    await db.query('CREATE TABLE ai.t (id INT AUTO_INCREMENT PRIMARY KEY, v INT)');
    await db.query('INSERT INTO ai.t (v) VALUES (1)');
    assert.deepEqual(await rows(db, 'SELECT id FROM ai.t'), [[1]]);
  });

  it('takes no value for a row refused for another column', async () => {
    await db.query(
      "CREATE TABLE ai.v (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(3) NOT NULL, n TINYINT UNSIGNED, k ENUM('a','b'))",
    );
    await db.query("INSERT INTO ai.v (name) VALUES ('a')");
    for (const values of [
      "('toolong', 1, 'a')",
      "('b', -1, 'a')",
      "(NULL, 1, 'a')",
      "('b', 1, 'c')",
    ])
      await assert.rejects(db.query(`INSERT INTO ai.v (name, n, k) VALUES ${values}`));
    const [result] = await db.query<ResultSetHeader>("INSERT INTO ai.v (name) VALUES ('b')");
    assert.equal(result.insertId, 2);
  });

  it('goes on where it stopped after a restart', async () => {
    await db.end();
    await cluster.restartAggregator();
    db = await cluster.connect();
    await db.query('INSERT INTO ai.t (v) VALUES (2)');
    assert.deepEqual(await rows(db, 'SELECT id FROM ai.t ORDER BY id'), [[1], [2]]);
    const [[, create]] = (await rows(db, 'SHOW CREATE TABLE ai.t')) as [[string, string]];
    assert.match(create, /\) AUTO_INCREMENT=3 /);
  });
});
