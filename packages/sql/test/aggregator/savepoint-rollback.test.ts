/**
 * ROLLBACK TO SAVEPOINT undoing writes, through mysql2 against a real cluster with 2 leaves
 * and 4 partitions: on rowstore (SQLite) and columnstore (DuckDB) tables, across partitions
 * (committed with two-phase commit), nested savepoints, and the errors MySQL gives.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

async function rowsOf(db: Connection, sql: string): Promise<unknown[][]> {
  const [rows] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
  return rows as unknown[][];
}

async function errno(db: Connection, sql: string): Promise<number | undefined> {
  try {
    await db.query(sql);
    return undefined;
  } catch (error) {
    return (error as { errno?: number }).errno;
  }
}

describe('ROLLBACK TO SAVEPOINT', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let other: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE sp PARTITIONS 4');
    await db.query('USE sp');
    other = await cluster.connect('sp');
  });

  after(async () => {
    await other.end();
    await db.end();
    await cluster.close();
  });

  for (const storage of ['ROWSTORE', 'COLUMNSTORE']) {
    const kind = storage === 'ROWSTORE' ? 'ROWSTORE' : '';

    it(`${storage}: keeps the writes before the savepoint after a failed insert (ORM pattern)`, async () => {
      const table = `orm_${storage.toLowerCase()}`;
      await db.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, v VARCHAR(10))`);
      await db.query('BEGIN');
      await db.query(`INSERT INTO ${table} VALUES (1, 'first')`);
      await db.query('SAVEPOINT s');
      const failed = await errno(db, `INSERT INTO ${table} VALUES (1, 'again')`);
      assert.equal(failed, 1062);
      // Only the failed statement is rolled back (as in MariaDB), on DuckDB too, where the
      // error ended the engine transaction: the leaf rebuilds it from the kept writes.
      await db.query('ROLLBACK TO s');
      await db.query(`INSERT INTO ${table} VALUES (2, 'last')`);
      await db.query('COMMIT');
      assert.deepEqual(await rowsOf(db, `SELECT id, v FROM ${table} ORDER BY id`), [
        [1, 'first'],
        [2, 'last'],
      ]);
    });

    it(`${storage}: drops the writes after the savepoint on every partition`, async () => {
      const table = `multi_${storage.toLowerCase()}`;
      await db.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, v INT)`);
      await db.query(`INSERT INTO ${table} VALUES (100, 0)`);
      await db.query('BEGIN');
      await db.query(`INSERT INTO ${table} VALUES (1,1),(2,2),(3,3),(4,4),(5,5),(6,6)`);
      await db.query('SAVEPOINT a');
      await db.query(`INSERT INTO ${table} VALUES (11,11),(12,12),(13,13),(14,14)`);
      await db.query(`UPDATE ${table} SET v = v + 100`);
      await db.query('SAVEPOINT b');
      await db.query(`DELETE FROM ${table} WHERE id < 5`);
      assert.deepEqual(await rowsOf(db, `SELECT COUNT(*) FROM ${table}`), [[7]]);
      await db.query('ROLLBACK TO SAVEPOINT b');
      assert.deepEqual(await rowsOf(db, `SELECT COUNT(*), SUM(v) FROM ${table}`), [[11, '1171']]);
      await db.query('ROLLBACK TO a');
      // Savepoints set after the one rolled back to are gone; that one stays.
      assert.equal(await errno(db, 'ROLLBACK TO b'), 1305);
      assert.deepEqual(await rowsOf(db, `SELECT id, v FROM ${table} ORDER BY id`), [
        [1, 1],
        [2, 2],
        [3, 3],
        [4, 4],
        [5, 5],
        [6, 6],
        [100, 0],
      ]);
      await db.query(`INSERT INTO ${table} VALUES (21, 21)`);
      await db.query('ROLLBACK TO a');
      await db.query(`INSERT INTO ${table} VALUES (22, 22),(23,23)`);
      // Nothing of the transaction is visible to others before COMMIT.
      assert.deepEqual(await rowsOf(other, `SELECT COUNT(*) FROM ${table}`), [[1]]);
      await db.query('COMMIT');
      assert.deepEqual(await rowsOf(other, `SELECT id FROM ${table} ORDER BY id`), [
        [1],
        [2],
        [3],
        [4],
        [5],
        [6],
        [22],
        [23],
        [100],
      ]);
    });
  }

  it('undoes writes on both engines in one transaction, then rolls the rest back', async () => {
    await db.query('CREATE ROWSTORE TABLE mixed_r (id INT PRIMARY KEY)');
    await db.query('CREATE TABLE mixed_c (id INT PRIMARY KEY)');
    await db.query('BEGIN');
    await db.query('INSERT INTO mixed_r VALUES (1),(2)');
    await db.query('SAVEPOINT s1');
    await db.query('INSERT INTO mixed_c VALUES (1),(2),(3)');
    await db.query('SAVEPOINT s2');
    await db.query('INSERT INTO mixed_r VALUES (3)');
    await db.query('ROLLBACK TO s1');
    assert.deepEqual(await rowsOf(db, 'SELECT COUNT(*) FROM mixed_c'), [[0]]);
    assert.deepEqual(await rowsOf(db, 'SELECT id FROM mixed_r ORDER BY id'), [[1], [2]]);
    await db.query('INSERT INTO mixed_c VALUES (9)');
    await db.query('COMMIT');
    assert.deepEqual(await rowsOf(db, 'SELECT id FROM mixed_c'), [[9]]);
    assert.deepEqual(await rowsOf(db, 'SELECT id FROM mixed_r ORDER BY id'), [[1], [2]]);
    await db.query('BEGIN');
    await db.query('INSERT INTO mixed_r VALUES (5)');
    await db.query('SAVEPOINT s');
    await db.query('INSERT INTO mixed_c VALUES (5)');
    await db.query('ROLLBACK TO s');
    await db.query('ROLLBACK');
    assert.deepEqual(await rowsOf(db, 'SELECT COUNT(*) FROM mixed_r'), [[2]]);
    assert.deepEqual(await rowsOf(db, 'SELECT COUNT(*) FROM mixed_c'), [[1]]);
  });

  it('gives 1305 for unknown and released savepoints', async () => {
    await db.query('CREATE ROWSTORE TABLE named (id INT PRIMARY KEY)');
    assert.equal(await errno(db, 'ROLLBACK TO nowhere'), 1305);
    await db.query('BEGIN');
    await db.query('SAVEPOINT a');
    await db.query('INSERT INTO named VALUES (1)');
    await db.query('SAVEPOINT b');
    await db.query('INSERT INTO named VALUES (2)');
    await db.query('SAVEPOINT c');
    await db.query('RELEASE SAVEPOINT b');
    // Releasing b also removed the savepoints set after it.
    assert.equal(await errno(db, 'ROLLBACK TO c'), 1305);
    assert.equal(await errno(db, 'ROLLBACK TO b'), 1305);
    assert.equal(await errno(db, 'RELEASE SAVEPOINT b'), 1305);
    // A savepoint set again under the same name moves to the present.
    await db.query('SAVEPOINT A');
    await db.query('INSERT INTO named VALUES (3)');
    await db.query('ROLLBACK TO a');
    await db.query('COMMIT');
    assert.deepEqual(await rowsOf(db, 'SELECT id FROM named ORDER BY id'), [[1], [2]]);
    assert.equal(await errno(db, 'ROLLBACK TO a'), 1305);
  });
});
