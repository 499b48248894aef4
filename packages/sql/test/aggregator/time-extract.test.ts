/**
 * EXTRACT from a TIME as MariaDB 10.11 answers it, on both storages: hours past 24 are days
 * (HOUR of 838:59:59 is 22, DAY 34) and every part carries the value's sign. The expected values
 * are what MariaDB answered to the same statements through mysql2.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('EXTRACT from a TIME as MariaDB', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connectAsText();
    await db.query('CREATE DATABASE textract');
    await db.query('USE textract');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const rows = async (sql: string): Promise<unknown[][]> =>
    (await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true }))[0];

  for (const storage of ['COLUMNSTORE', 'ROWSTORE']) {
    it(`reads days, signed parts and compounds (${storage})`, async () => {
      const table = `t_${storage.toLowerCase()}`;
      await db.query(`CREATE ${storage} TABLE ${table} (id INT PRIMARY KEY, tm TIME)`);
      await db.query(
        `INSERT INTO ${table} VALUES (1, '12:34:56'), (2, '-01:02:03'), (3, '838:59:59'), (4, '100:00:00')`,
      );
      assert.deepEqual(
        await rows(
          `SELECT EXTRACT(HOUR FROM tm), EXTRACT(DAY FROM tm), EXTRACT(MINUTE FROM tm), EXTRACT(SECOND FROM tm),
             EXTRACT(DAY_HOUR FROM tm), EXTRACT(HOUR_SECOND FROM tm), EXTRACT(DAY_SECOND FROM tm)
             FROM ${table} ORDER BY id`,
        ),
        [
          ['12', '0', '34', '56', '12', '123456', '123456'],
          ['-1', '0', '-2', '-3', '-1', '-10203', '-10203'],
          ['22', '34', '59', '59', '3422', '225959', '34225959'],
          ['4', '4', '0', '0', '404', '40000', '4040000'],
        ],
      );
    });
  }
});
