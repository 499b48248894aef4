/**
 * UPDATE and ON DUPLICATE KEY UPDATE assign left to right as in MySQL: a later assignment reads
 * the value an earlier one gave, and a column assigned twice keeps the last value (the engines
 * refused that: 1815). VALUES(col) still reads the inserted row. Every expected row is what
 * MariaDB 10.11 answered to the same statements; both storages, 2 leaves, 4 partitions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('assignments in order', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const row = async (sql: string): Promise<unknown[]> => {
    const [rows] = await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true });
    return rows[0] ?? [];
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE ordered PARTITIONS 4');
    await db.query('USE ordered');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const kind of ['', 'ROWSTORE']) {
    const table = `t_${kind.toLowerCase() || 'column'}`;
    it(`reads earlier assignments in UPDATE (${kind || 'COLUMNSTORE'})`, async () => {
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, v INT, w INT, s VARCHAR(10))`,
      );
      await db.query(`INSERT INTO ${table} VALUES (1, 5, 7, 'x')`);
      await db.query(`UPDATE ${table} SET v = v + 1, w = v WHERE id = 1`);
      assert.deepEqual(await row(`SELECT v, w FROM ${table}`), [6, 6]);
      const [swap] = await db.query<ResultSetHeader>(
        `UPDATE ${table} t SET t.v = t.w, w = v WHERE id = 1`,
      );
      assert.equal(swap.info, 'Rows matched: 1  Changed: 0  Warnings: 0');
      await db.query(`UPDATE ${table} SET v = v * 2, v = v + 1 WHERE id = 1`);
      assert.deepEqual(await row(`SELECT v FROM ${table}`), [13]);
      await db.query(`UPDATE ${table} SET s = CONCAT(s, v), v = 0, s = CONCAT(s, v) WHERE id = 1`);
      assert.deepEqual(await row(`SELECT v, s FROM ${table}`), [0, 'x130']);
    });

    it(`reads earlier assignments in ON DUPLICATE KEY UPDATE, VALUES() the new row (${kind || 'COLUMNSTORE'})`, async () => {
      await db.query(
        `INSERT INTO ${table} VALUES (1, 3, 0, 'q') ON DUPLICATE KEY UPDATE v = v + 100, w = v, s = VALUES(s)`,
      );
      assert.deepEqual(await row(`SELECT v, w, s FROM ${table}`), [100, 100, 'q']);
      await db.query(
        `INSERT INTO ${table} VALUES (1, 3, 0, 'r') ON DUPLICATE KEY UPDATE v = VALUES(v), v = v + VALUES(v)`,
      );
      assert.deepEqual(await row(`SELECT v FROM ${table}`), [6]);
    });
  }
});
