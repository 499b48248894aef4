/**
 * UPDATE of a shard key (here the primary key): rows move to the partitions their new keys hash
 * to, atomically. The answers (rows, affected counts, the 1062 of a collision and the errors of
 * bad values) are what MariaDB 10.11 gives to the same statements on the same rows (run side by
 * side with the throwaway server of bench/sql). Both storages, several partitions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('UPDATE of a shard key', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown[][];
  };
  const update = async (sql: string): Promise<ResultSetHeader> => {
    const [result] = await db.query<ResultSetHeader>(sql);
    return result;
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE moves PARTITIONS 8');
    await db.query('USE moves');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const kind of ['', 'ROWSTORE']) {
    const table = `keyed_${kind.toLowerCase() || 'column'}`;

    it(`moves rows to their new keys' partitions (${kind || 'COLUMNSTORE'})`, async () => {
      await db.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, v VARCHAR(10), n INT)`);
      await db.query(
        `INSERT INTO ${table} VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30), (4, 'd', 40)`,
      );
      const moved = await update(`UPDATE ${table} SET id = id + 100 WHERE id > 2`);
      assert.equal(moved.affectedRows, 2);
      assert.match(moved.info, /Rows matched: 2 {2}Changed: 2/);
      assert.deepEqual(await rows(`SELECT * FROM ${table} ORDER BY id`), [
        [1, 'a', 10],
        [2, 'b', 20],
        [103, 'c', 30],
        [104, 'd', 40],
      ]);
      // Point reads route by the new key and find the row; the old key finds nothing.
      for (const id of [103, 104])
        assert.equal((await rows(`SELECT v FROM ${table} WHERE id = ${id}`)).length, 1, `id ${id}`);
      assert.deepEqual(await rows(`SELECT v FROM ${table} WHERE id = 3`), []);
      // Other columns change with the key; a row left as it was is matched, not changed.
      await update(`UPDATE ${table} SET id = 5, v = 'e' WHERE id = 1`);
      const same = await update(`UPDATE ${table} SET id = id WHERE id = 5`);
      assert.match(same.info, /Rows matched: 1 {2}Changed: 0/);
      // ORDER BY and LIMIT pick the rows, as MariaDB picks them.
      await update(`UPDATE ${table} SET id = id * 10 ORDER BY id DESC LIMIT 2`);
      assert.deepEqual(await rows(`SELECT id, v FROM ${table} ORDER BY id`), [
        [2, 'b'],
        [5, 'e'],
        [1030, 'c'],
        [1040, 'd'],
      ]);
    });

    it(`refuses a colliding key and changes nothing (${kind || 'COLUMNSTORE'})`, async () => {
      const before = await rows(`SELECT * FROM ${table} ORDER BY id`);
      await assert.rejects(db.query(`UPDATE ${table} SET id = 2 WHERE id = 5`), {
        errno: 1062,
        message: "Duplicate entry '2' for key 'PRIMARY'",
      });
      await assert.rejects(db.query(`UPDATE ${table} SET id = 7`), { errno: 1062 });
      await assert.rejects(db.query(`UPDATE ${table} SET id = 'abc' WHERE id = 5`), {
        errno: 1366,
      });
      await assert.rejects(db.query(`UPDATE ${table} SET id = NULL WHERE id = 5`), {
        errno: 1048,
      });
      await assert.rejects(db.query(`UPDATE ${table} SET nosuch = 1, id = 6 WHERE id = 5`), {
        errno: 1054,
      });
      assert.deepEqual(await rows(`SELECT * FROM ${table} ORDER BY id`), before);
    });

    it(`rolls back with the transaction (${kind || 'COLUMNSTORE'})`, async () => {
      const before = await rows(`SELECT * FROM ${table} ORDER BY id`);
      await db.query('BEGIN');
      await update(`UPDATE ${table} SET id = 50 WHERE id = 2`);
      assert.deepEqual(await rows(`SELECT id FROM ${table} WHERE id IN (2, 50)`), [[50]]);
      await db.query('ROLLBACK');
      assert.deepEqual(await rows(`SELECT * FROM ${table} ORDER BY id`), before);
    });
  }

  it('stamps ON UPDATE CURRENT_TIMESTAMP columns of the rows that change', async () => {
    await db.query(
      "CREATE TABLE stamped (id INT PRIMARY KEY, v INT, at DATETIME DEFAULT '2000-01-01 00:00:00' ON UPDATE CURRENT_TIMESTAMP)",
    );
    await db.query('INSERT INTO stamped (id, v) VALUES (1, 1), (2, 2)');
    await update('UPDATE stamped SET id = id + 10 WHERE id = 1');
    await update('UPDATE stamped SET id = id WHERE id = 2');
    const stamped = await rows('SELECT id, YEAR(at) > 2000 FROM stamped ORDER BY id');
    assert.deepEqual(stamped, [
      [2, 0],
      [11, 1],
    ]);
  });
});
