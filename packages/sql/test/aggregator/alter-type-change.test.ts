/**
 * ALTER TABLE … MODIFY of a columnstore column's type over rows one partition cannot convert:
 * refused before any partition changes (MariaDB 10.11 refuses with 1292 and keeps the table),
 * so every partition keeps the same type and the table stays readable. 2 leaves, 4 partitions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('ALTER TABLE … MODIFY of a type', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE retype PARTITIONS 4');
    await db.query('USE retype');
    await db.query('CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10), d VARCHAR(12))');
    const rows = Array.from({ length: 16 }, (_, index) => {
      const id = index + 1;
      return id === 3
        ? "(3, 'x', 'bad')"
        : `(${id}, '${id}', '2024-01-${String(id).padStart(2, '0')}')`;
    });
    await db.query(`INSERT INTO t VALUES ${rows.join(', ')}`);
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const read = async (sql: string): Promise<unknown[][]> => {
    const [rows] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return rows as unknown[][];
  };

  it('refuses a value that does not convert and changes no partition', async () => {
    await assert.rejects(db.query('ALTER TABLE t MODIFY v INT'), {
      errno: 1292,
      message: "Truncated incorrect INTEGER value: 'x'",
    });
    await assert.rejects(db.query('ALTER TABLE t MODIFY d DATE'), { errno: 1292 });
    // Every partition still holds text: the table reads, joins and counts as before.
    assert.deepEqual(await read('SELECT COUNT(*), MAX(v) FROM t'), [[16, 'x']]);
    assert.deepEqual(await read('SELECT COUNT(*) FROM t a JOIN t b ON a.v = b.v'), [[16]]);
  });

  it('converts once every value converts', async () => {
    await db.query("UPDATE t SET v = '3', d = '2024-01-03' WHERE id = 3");
    await db.query('ALTER TABLE t MODIFY v INT');
    await db.query('ALTER TABLE t MODIFY d DATE');
    assert.deepEqual(await read('SELECT SUM(v), MAX(d) FROM t'), [['136', '2024-01-16']]);
  });
});
