/**
 * VARBINARY columns sort, group, take MIN/MAX and count distinct values by their bytes (upper
 * case before lower case, no case folding) on both storages, in plain queries, DISTINCT, GROUP
 * BY, UNION and IN subqueries; they failed on the columnstore and the merge engine, which
 * refuse a collation on binary data. Every expected answer is what MariaDB 10.11 gave.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('binary strings ordered by their bytes', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connectAsText();
    await db.query('CREATE DATABASE bin PARTITIONS 4');
    await db.query('USE bin');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const rows = async (sql: string): Promise<unknown[][]> =>
    (await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true }))[0];

  for (const storage of ['COLUMNSTORE', 'ROWSTORE']) {
    it(`sorts, groups and compares VARBINARY by bytes (${storage})`, async () => {
      const t = `t_${storage.toLowerCase()}`;
      await db.query(
        `CREATE ${storage} TABLE ${t} (id INT PRIMARY KEY, b VARBINARY(20), s VARCHAR(20))`,
      );
      await db.query(
        `INSERT INTO ${t} VALUES (1, 'bin', 'hello'), (2, '', 'World'), (3, NULL, NULL), (4, 'x', '12abc'), (5, 'B', 'b')`,
      );
      assert.deepEqual(await rows(`SELECT b FROM ${t} ORDER BY b`), [
        [null],
        [''],
        ['B'],
        ['bin'],
        ['x'],
      ]);
      assert.deepEqual(await rows(`SELECT DISTINCT b FROM ${t} ORDER BY b DESC`), [
        ['x'],
        ['bin'],
        ['B'],
        [''],
        [null],
      ]);
      assert.deepEqual(await rows(`SELECT b, COUNT(*) FROM ${t} GROUP BY b ORDER BY b`), [
        [null, '1'],
        ['', '1'],
        ['B', '1'],
        ['bin', '1'],
        ['x', '1'],
      ]);
      assert.deepEqual(
        await rows(`SELECT MAX(b), MIN(b), COUNT(DISTINCT b), MAX(s), MIN(s) FROM ${t}`),
        [['x', '', '4', 'World', '12abc']],
      );
      assert.deepEqual(
        await rows(
          `(SELECT b FROM ${t} WHERE id < 3) UNION (SELECT b FROM ${t} WHERE id > 2) ORDER BY b`,
        ),
        [[null], [''], ['B'], ['bin'], ['x']],
      );
      assert.deepEqual(
        await rows(`SELECT id FROM ${t} WHERE b IN (SELECT b FROM ${t} WHERE id = 5) ORDER BY id`),
        [['5']],
      );
      assert.deepEqual(await rows(`SELECT id FROM ${t} WHERE b = 'b'`), []);
    });
  }
});
