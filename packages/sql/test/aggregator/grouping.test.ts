/**
 * GROUPING() with GROUP BY … WITH ROLLUP, as MySQL 8 answers it (MariaDB has no GROUPING, so
 * the expected rows follow MySQL's reference: 1 where ROLLUP's super-aggregate row stands for
 * all values of the argument, a bit per argument with the last the lowest), on both storages
 * over several partitions, in the select list, HAVING and ORDER BY.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('GROUPING() with ROLLUP', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE rollups PARTITIONS 4');
    await db.query('USE rollups');
    for (const kind of ['', 'ROWSTORE']) {
      const table = kind === '' ? 'sales_column' : 'sales_row';
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, g VARCHAR(5), h INT, v DECIMAL(10,2))`,
      );
      // A NULL group (id 7) whose row is not a super-aggregate row: GROUPING tells them apart.
      await db.query(
        `INSERT INTO ${table} VALUES (1, 'a', 1, 10.5), (2, 'a', 2, 20), (3, 'b', 1, 5), ` +
          `(4, 'b', NULL, 7.25), (5, 'a', 1, NULL), (6, 'c', 2, 100), (7, NULL, 1, 1)`,
      );
    }
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  async function rows(sql: string): Promise<unknown[][]> {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown[][];
  }

  for (const table of ['sales_column', 'sales_row']) {
    it(`marks the rows ROLLUP adds (${table})`, async () => {
      assert.deepEqual(
        await rows(
          `SELECT g, h, SUM(v), GROUPING(g), GROUPING(h), GROUPING(g, h) FROM ${table} GROUP BY g, h WITH ROLLUP`,
        ),
        [
          [null, 1, '1.00', 0, 0, 0],
          [null, null, '1.00', 0, 1, 1],
          ['a', 1, '10.50', 0, 0, 0],
          ['a', 2, '20.00', 0, 0, 0],
          ['a', null, '30.50', 0, 1, 1],
          ['b', null, '7.25', 0, 0, 0],
          ['b', 1, '5.00', 0, 0, 0],
          ['b', null, '12.25', 0, 1, 1],
          ['c', 2, '100.00', 0, 0, 0],
          ['c', null, '100.00', 0, 1, 1],
          [null, null, '143.75', 1, 1, 3],
        ],
      );
      assert.deepEqual(
        await rows(
          `SELECT IF(GROUPING(g), 'ALL', g) AS grp, COUNT(*) FROM ${table} GROUP BY g WITH ROLLUP HAVING GROUPING(g) = 1 OR g = 'a'`,
        ),
        [
          ['a', 3],
          ['ALL', 7],
        ],
      );
      assert.deepEqual(
        await rows(
          `SELECT g, COUNT(*) FROM ${table} GROUP BY g WITH ROLLUP ORDER BY GROUPING(g) DESC, g`,
        ),
        [
          [null, 7],
          [null, 1],
          ['a', 3],
          ['b', 2],
          ['c', 1],
        ],
      );
    });
  }

  it('answers 1111 to GROUPING() without ROLLUP', async () => {
    await assert.rejects(db.query('SELECT GROUPING(g) FROM sales_column GROUP BY g'), {
      errno: 1111,
    });
    await assert.rejects(db.query('SELECT GROUPING(g) FROM sales_row'), { errno: 1111 });
  });
});
