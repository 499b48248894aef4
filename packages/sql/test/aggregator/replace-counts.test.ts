/**
 * REPLACE's affected rows and "Duplicates" as MariaDB 10.11 counts them (the same statements run
 * on MariaDB): a row that replaces a stored one counts twice, on both storages, from VALUES and
 * from a SELECT. Real cluster: 2 leaves, 4 partitions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, ResultSetHeader } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('REPLACE counts', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const write = async (sql: string): Promise<[number, string]> => {
    const [result] = await db.query<ResultSetHeader>(sql);
    return [result.affectedRows, result.info];
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE replaced PARTITIONS 4');
    await db.query('USE replaced');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const kind of ['', 'ROWSTORE']) {
    it(`counts deleted and inserted rows (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `t_${kind.toLowerCase() || 'column'}`;
      await db.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, v INT)`);
      await db.query(`INSERT INTO ${table} VALUES (1, 1), (2, 2)`);
      assert.deepEqual(await write(`REPLACE INTO ${table} VALUES (1, 10)`), [2, '']);
      assert.deepEqual(await write(`REPLACE INTO ${table} VALUES (2, 20), (3, 30)`), [
        3,
        'Records: 2  Duplicates: 1  Warnings: 0',
      ]);
      assert.deepEqual(await write(`REPLACE INTO ${table} SELECT id, v + 1 FROM ${table}`), [
        6,
        'Records: 3  Duplicates: 3  Warnings: 0',
      ]);
      assert.deepEqual(await write(`REPLACE INTO ${table} VALUES (4, 1), (4, 2)`), [
        3,
        'Records: 2  Duplicates: 1  Warnings: 0',
      ]);
    });
  }
});
