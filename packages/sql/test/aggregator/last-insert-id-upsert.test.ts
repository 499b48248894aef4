/**
 * LAST_INSERT_ID(expr) where it is evaluated once (it was 1305, no such function), and as the
 * whole value of an ON DUPLICATE KEY UPDATE or UPDATE assignment (the idioms that hand back
 * the id of the row an upsert met, and sequence tables; they were 1235), with MariaDB 10.11's
 * values; the MySQL 8 row alias of ON DUPLICATE KEY UPDATE (it parsed, then
 * failed 1054; MariaDB has no row alias, 1064); and an upsert that would change a shard key
 * column is refused (it left the row in a partition its new key does not route to, and two
 * rows could share a primary key; MariaDB moves the row or answers 1062).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

async function rows(db: Connection, sql: string): Promise<unknown[][]> {
  const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
  return result as unknown[][];
}

async function errno(db: Connection, sql: string): Promise<number | undefined> {
  try {
    await db.query(sql);
  } catch (error) {
    return (error as { errno?: number }).errno;
  }
  return undefined;
}

describe('LAST_INSERT_ID(expr), row aliases and shard keys in upserts', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE li PARTITIONS 4');
    await db.query('USE li');
  });
  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('returns and sets LAST_INSERT_ID(expr) as MariaDB does', async () => {
    const id = async (): Promise<unknown> => (await rows(db, 'SELECT LAST_INSERT_ID()'))[0]?.[0];
    assert.deepEqual(await rows(db, 'SELECT LAST_INSERT_ID(5)'), [[5]]);
    assert.equal(await id(), 5);
    assert.deepEqual(await rows(db, 'SELECT LAST_INSERT_ID(NULL)'), [[null]]);
    assert.equal(await id(), 0);
    assert.deepEqual(await rows(db, 'SELECT LAST_INSERT_ID(-3)'), [['18446744073709551613']]);
    assert.deepEqual(await rows(db, 'SELECT LAST_INSERT_ID(2.7)'), [[3]]);
    assert.deepEqual(await rows(db, "SELECT LAST_INSERT_ID('12abc')"), [[12]]);
    assert.deepEqual(await rows(db, 'SELECT LAST_INSERT_ID(1 + 1), LAST_INSERT_ID() AS after_it'), [
      [2, 2],
    ]);
    assert.deepEqual(await rows(db, 'SELECT LAST_INSERT_ID(LAST_INSERT_ID() + 10)'), [[12]]);
    await db.query('DO LAST_INSERT_ID(99)');
    assert.equal(await id(), 99);
    await db.query('SET @v = LAST_INSERT_ID(100)');
    assert.equal(await id(), 100);
    await db.query('CREATE TABLE seq (id INT AUTO_INCREMENT PRIMARY KEY, v INT)');
    await db.query('INSERT INTO seq (id, v) VALUES (LAST_INSERT_ID(77), 1)');
    assert.equal(await id(), 77);
    // Evaluated once per row inside a larger expression: refused rather than answered
    // without setting the value.
    assert.equal(await errno(db, 'UPDATE seq SET v = LAST_INSERT_ID(v) + 1'), 1235);
    assert.equal(await errno(db, 'UPDATE seq SET v = LAST_INSERT_ID(v + 1) LIMIT 1'), 1235);
  });

  for (const storage of ['', 'ROWSTORE ']) {
    it(`hands back the row met: column = LAST_INSERT_ID(expr) in ${storage}upserts and UPDATE`, async () => {
      const id = async (): Promise<unknown> => (await rows(db, 'SELECT LAST_INSERT_ID()'))[0]?.[0];
      const okId = async (sql: string): Promise<[number, number]> => {
        const [result] = await db.query<ResultSetHeader>(sql);
        return [result.affectedRows, result.insertId];
      };
      const t = storage === '' ? 'names_c' : 'names_r';
      await db.query(
        `CREATE ${storage}TABLE ${t} (id INT AUTO_INCREMENT, name VARCHAR(20), hits INT NOT NULL DEFAULT 0, PRIMARY KEY (id, name), SHARD KEY (name))`,
      );
      await db.query(`INSERT INTO ${t} (name) VALUES ('a'), ('b'), ('c')`);
      // MariaDB 10.11, each answer: the idiom that returns the id of the row an upsert met.
      const upsert = `INSERT INTO ${t} (id, name) VALUES (2, 'b') ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)`;
      await db.query('DO LAST_INSERT_ID(0)');
      assert.deepEqual(await okId(upsert), [1, 2]);
      assert.equal(await id(), 2);
      assert.deepEqual(
        await okId(
          `INSERT INTO ${t} (id, name) VALUES (3, 'c'), (1, 'a') ON DUPLICATE KEY UPDATE hits = LAST_INSERT_ID(hits + 10)`,
        ),
        [4, 10],
      );
      assert.equal(await id(), 10);
      // Several rows met: the last in the statement's order sets it, whatever their partitions.
      const perRow = (values: string): string =>
        `INSERT INTO ${t} (id, name) VALUES ${values} ON DUPLICATE KEY UPDATE hits = LAST_INSERT_ID(hits + id)`;
      assert.deepEqual(await okId(perRow("(1, 'a'), (3, 'c')")), [4, 13]);
      assert.deepEqual(await okId(perRow("(3, 'c'), (1, 'a')")), [4, 12]);
      assert.equal(await id(), 12);
      // Rows 1 and 5 share 'a''s partition, row 3 has 'c''s: the statement's order is not the
      // partitions' order.
      await db.query(`INSERT INTO ${t} (id, name) VALUES (5, 'a')`);
      assert.deepEqual(await okId(perRow("(1, 'a'), (3, 'c'), (5, 'a')")), [6, 5]);
      // A row inserted (not met) leaves LAST_INSERT_ID() to its generated id.
      const [inserted] = await db.query<ResultSetHeader>(
        `INSERT INTO ${t} (name) VALUES ('d') ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)`,
      );
      assert.equal(inserted.affectedRows, 1);
      assert.equal(await id(), inserted.insertId);
      // An upsert that leaves its row as it was answers id 0 (it was the given id).
      assert.deepEqual(
        await okId(
          `INSERT INTO ${t} (id, name) VALUES (2, 'b') ON DUPLICATE KEY UPDATE hits = hits`,
        ),
        [1, 0],
      );
      // A sequence table: UPDATE … SET n = LAST_INSERT_ID(n + 1), read back on the connection.
      const s = `${t}_seq`;
      await db.query(`CREATE ${storage}TABLE ${s} (k INT PRIMARY KEY, n BIGINT NOT NULL)`);
      await db.query(`INSERT INTO ${s} VALUES (1, 100), (2, 200)`);
      assert.deepEqual(
        await okId(`UPDATE ${s} SET n = LAST_INSERT_ID(n + 1) WHERE k = 2`),
        [1, 201],
      );
      assert.equal(await id(), 201);
      assert.deepEqual(
        await okId(`UPDATE ${s} SET n = LAST_INSERT_ID(n + 1) WHERE k = 2`),
        [1, 202],
      );
      assert.deepEqual(await rows(db, `SELECT n FROM ${s} WHERE k = 2`), [[202]]);
      // No row matched: the value stays.
      assert.deepEqual(await okId(`UPDATE ${s} SET n = LAST_INSERT_ID(n + 1) WHERE k = 9`), [0, 0]);
      assert.equal(await id(), 202);
      // A row left as it was still sets it.
      await db.query(`UPDATE ${s} SET n = LAST_INSERT_ID(n) WHERE k = 1`);
      assert.equal(await id(), 100);
    });
  }

  it('reads the MySQL 8 row alias of ON DUPLICATE KEY UPDATE', async () => {
    await db.query('CREATE TABLE u (id INT PRIMARY KEY, a INT, b VARCHAR(10))');
    await db.query("INSERT INTO u VALUES (1, 1, 'x'), (2, 2, 'y')");
    await db.query(
      "INSERT INTO u VALUES (1, 10, 'p'), (3, 3, 'z') AS new ON DUPLICATE KEY UPDATE a = new.a + u.a",
    );
    await db.query(
      "INSERT INTO u (id, b) VALUES (2, 'q') AS n (k, t) ON DUPLICATE KEY UPDATE b = CONCAT(b, t)",
    );
    assert.deepEqual(await rows(db, 'SELECT id, a, b FROM u ORDER BY id'), [
      [1, 11, 'x'],
      [2, 2, 'yq'],
      [3, 3, 'z'],
    ]);
    assert.equal(
      await errno(db, 'INSERT INTO u VALUES (1, 1, 1) AS new ON DUPLICATE KEY UPDATE a = new.nope'),
      1054,
    );
  });

  it('refuses an upsert that would change a shard key', async () => {
    assert.equal(
      await errno(db, "INSERT INTO u VALUES (1, 1, 'x') ON DUPLICATE KEY UPDATE id = 2"),
      1235,
    );
    assert.equal(
      await errno(db, "INSERT INTO u VALUES (1, 1, 'x') ON DUPLICATE KEY UPDATE id = 99"),
      1235,
    );
    await db.query("INSERT INTO u VALUES (1, 1, 'x') ON DUPLICATE KEY UPDATE id = id, a = 5");
    assert.deepEqual(await rows(db, 'SELECT id, a FROM u ORDER BY id'), [
      [1, 5],
      [2, 2],
      [3, 3],
    ]);
    // A reference table's rows are on every leaf: its key may change.
    await db.query('CREATE REFERENCE TABLE r (id INT PRIMARY KEY, a INT)');
    await db.query('INSERT INTO r VALUES (1, 1)');
    await db.query('INSERT INTO r VALUES (1, 1) ON DUPLICATE KEY UPDATE id = 7');
    assert.deepEqual(await rows(db, 'SELECT id, a FROM r'), [[7, 1]]);
  });
});
