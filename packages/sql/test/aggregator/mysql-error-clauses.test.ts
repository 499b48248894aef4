/**
 * Unknown (1054) and ambiguous (1052) columns name the clause they are in, as MariaDB 10.11
 * answers (they all said 'field list'), and ROW_COUNT() is what the client was told: the rows
 * an UPDATE changed, or matched for a client with CLIENT_FOUND_ROWS, and -1 after an error
 * (it was the matched rows, and the last count), a syntax error included, which is also what
 * SHOW WARNINGS reads next (it kept the statement before's). Messages are MariaDB 10.11's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

async function message(db: Connection, sql: string): Promise<string> {
  try {
    await db.query(sql);
  } catch (error) {
    return `${(error as { errno: number }).errno} ${(error as Error).message}`;
  }
  return 'no error';
}

async function rowCount(db: Connection): Promise<unknown> {
  const [rows] = await db.query<RowDataPacket[]>({ sql: 'SELECT ROW_COUNT()', rowsAsArray: true });
  return (rows as unknown[][])[0]?.[0];
}

const CASES: readonly (readonly [string, string])[] = [
  ['SELECT nosuch FROM t1', "1054 Unknown column 'nosuch' in 'SELECT'"],
  ['SELECT a FROM t1 WHERE nosuch = 1', "1054 Unknown column 'nosuch' in 'WHERE'"],
  ['SELECT a FROM t1 ORDER BY nosuch + 1', "1054 Unknown column 'nosuch' in 'ORDER BY'"],
  ['SELECT a FROM t1 GROUP BY nosuch', "1054 Unknown column 'nosuch' in 'GROUP BY'"],
  ['SELECT a FROM t1 GROUP BY a HAVING nosuch > 1', "1054 Unknown column 'nosuch' in 'HAVING'"],
  // A HAVING column must be selected or grouped, whatever sql_mode says (a grouped expression
  // does not name its columns); inside an aggregate any column goes.
  ['SELECT a FROM t1 GROUP BY a HAVING b = 1', "1054 Unknown column 'b' in 'HAVING'"],
  ['SELECT a FROM t1 GROUP BY a HAVING t1.b = 1', "1054 Unknown column 't1.b' in 'HAVING'"],
  [
    'SELECT a FROM t1 GROUP BY a HAVING MAX(id) > 0 AND b = 1',
    "1054 Unknown column 'b' in 'HAVING'",
  ],
  ['SELECT a + 1 x FROM t1 GROUP BY a + 1 HAVING a > 1', "1054 Unknown column 'a' in 'HAVING'"],
  ['SELECT COUNT(*) FROM t1 HAVING a > 1', "1054 Unknown column 'a' in 'HAVING'"],
  [
    'SELECT c, COUNT(*) FROM t2 GROUP BY c HAVING t1_id > 1',
    "1054 Unknown column 't1_id' in 'HAVING'",
  ],
  ['SELECT id FROM t1 HAVING t1.b = 1', "1054 Unknown column 't1.b' in 'HAVING'"],
  ['SELECT * FROM t1 JOIN t2 ON nosuch = 1', "1054 Unknown column 'nosuch' in 'ON'"],
  ['SELECT t9.a FROM t1', "1054 Unknown column 't9.a' in 'SELECT'"],
  [
    'SELECT a FROM t1 WHERE t1.id IN (SELECT nosuch FROM t2)',
    "1054 Unknown column 'nosuch' in 'SELECT'",
  ],
  [
    'SELECT a FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE nosuch = 1)',
    "1054 Unknown column 'nosuch' in 'WHERE'",
  ],
  ['SELECT id FROM t1 JOIN t2 ON t1.id = t2.id', "1052 Column 'id' in SELECT is ambiguous"],
  [
    'SELECT t1.a FROM t1 JOIN t2 ON t1.id = t2.id ORDER BY id',
    "1052 Column 'id' in ORDER BY is ambiguous",
  ],
  ['UPDATE t1 SET nosuch = 1', "1054 Unknown column 'nosuch' in 'SET'"],
  ['UPDATE t1 SET a = nosuch', "1054 Unknown column 'nosuch' in 'SET'"],
  ['UPDATE t1 SET a = 1 ORDER BY nosuch', "1054 Unknown column 'nosuch' in 'ORDER BY'"],
  [
    'UPDATE t1 JOIN t2 ON t2.t1_id = t1.id SET t1.a = nosuch',
    "1054 Unknown column 'nosuch' in 'SELECT'",
  ],
  [
    'UPDATE t1 JOIN t2 ON t2.t1_id = t1.id SET t1.nosuch = 1',
    "1054 Unknown column 't1.nosuch' in 'SET'",
  ],
  [
    'UPDATE t1 JOIN t2 ON t2.t1_id = t1.id SET t1.a = 1 WHERE id = 2',
    "1052 Column 'id' in WHERE is ambiguous",
  ],
  ['UPDATE t1 JOIN t2 ON t2.id = t1.id SET id = 1', "1052 Column 'id' in SET is ambiguous"],
  ['DELETE FROM t1 WHERE nosuch = 1', "1054 Unknown column 'nosuch' in 'WHERE'"],
  [
    'DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.t1_id WHERE nosuch = 1',
    "1054 Unknown column 'nosuch' in 'WHERE'",
  ],
  ['INSERT INTO t1 (id, nosuch) VALUES (1, 1)', "1054 Unknown column 'nosuch' in 'INSERT INTO'"],
  ['INSERT INTO t1 (id, a) VALUES (1, nosuch)', "1054 Unknown column 'nosuch' in 'VALUES'"],
  ['INSERT INTO t1 SET id = 5, nosuch = 1', "1054 Unknown column 'nosuch' in 'INSERT INTO'"],
  ['INSERT INTO t1 SET id = 5, a = nosuch', "1054 Unknown column 'nosuch' in 'VALUES'"],
  [
    'INSERT INTO t1 VALUES (2, 1, 2) ON DUPLICATE KEY UPDATE nosuch = 1',
    "1054 Unknown column 'nosuch' in 'UPDATE'",
  ],
  [
    'INSERT INTO t1 VALUES (2, 1, 2) ON DUPLICATE KEY UPDATE a = nosuch',
    "1054 Unknown column 'nosuch' in 'SELECT'",
  ],
  ['INSERT INTO t1 SELECT nosuch, 1, 2 FROM t2', "1054 Unknown column 'nosuch' in 'SELECT'"],
];

describe('clauses in column errors, and ROW_COUNT()', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let matched: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE ec');
    await db.query('USE ec');
    await db.query('CREATE TABLE t1 (id INT PRIMARY KEY, a INT, b VARCHAR(10))');
    await db.query('CREATE ROWSTORE TABLE t2 (id INT PRIMARY KEY, t1_id INT, c INT)');
    await db.query("INSERT INTO t1 VALUES (1, 10, 'x'), (2, 20, 'y')");
    await db.query('INSERT INTO t2 VALUES (1, 1, 100), (2, 2, 200)');
    // mysql2 asks for CLIENT_FOUND_ROWS unless told not to.
    matched = await cluster.connect();
    await matched.query('USE ec');
  });
  after(async () => {
    await db.end();
    await matched.end();
    await cluster.close();
  });

  for (const [sql, expected] of CASES)
    it(sql, async () => {
      assert.equal(await message(db, sql), expected);
    });

  it('answers ROW_COUNT() as the client was told, and -1 after an error', async () => {
    const changed = await createConnection({
      host: '127.0.0.1',
      port: cluster.port,
      user: 'root',
      database: 'ec',
      flags: ['-FOUND_ROWS'],
    });
    await changed.query('UPDATE t1 SET a = a WHERE id = 1');
    assert.equal(await rowCount(changed), 0);
    await changed.query('UPDATE t1 SET a = a + 1 WHERE id = 1');
    assert.equal(await rowCount(changed), 1);
    await matched.query('UPDATE t1 SET a = a WHERE id = 1');
    assert.equal(await rowCount(matched), 1);
    await matched.query('UPDATE t1 JOIN t2 ON t2.t1_id = t1.id SET t1.a = t1.a');
    assert.equal(await rowCount(matched), 2);
    await changed.query('INSERT INTO t1 VALUES (1, 1, 1) ON DUPLICATE KEY UPDATE a = a + 1');
    assert.equal(await rowCount(changed), 2);
    await assert.rejects(changed.query('INSERT INTO t1 VALUES (1, 1, 1)'));
    assert.equal(await rowCount(changed), -1);
    await changed.end();
  });

  it('makes a syntax error the diagnostics and ROW_COUNT() -1, as any failed statement', async () => {
    await assert.rejects(db.query('SELECT * FROM nosuch'));
    await db.query('UPDATE t1 SET a = a + 1');
    await assert.rejects(db.query('SELEC 1'));
    const [warnings] = await db.query<RowDataPacket[]>({ sql: 'SHOW WARNINGS', rowsAsArray: true });
    assert.deepEqual(
      (warnings as unknown[][]).map((row) => row.slice(0, 2)),
      [['Error', 1064]],
    );
    assert.equal(await rowCount(db), -1);
    await assert.rejects(db.prepare('SELEC ?'));
    const [errors] = await db.query<RowDataPacket[]>({ sql: 'SHOW ERRORS', rowsAsArray: true });
    assert.deepEqual(
      (errors as unknown[][]).map((row) => row.slice(0, 2)),
      [['Error', 1064]],
    );
  });
});
