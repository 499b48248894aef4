/**
 * RANGE frames bounded by an INTERVAL, as MySQL 8 reads them (MariaDB has no such frames, so
 * the expected sums follow MySQL's reference: the rows whose date lies within the interval of
 * the current row's, its peers included; a NULL date's frame is the NULL dates), on both
 * storages over several partitions, and MySQL's errors for the frames it refuses.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('RANGE frames with INTERVAL bounds', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE frames PARTITIONS 3');
    await db.query('USE frames');
    for (const kind of ['', 'ROWSTORE']) {
      const table = kind === '' ? 'sales_column' : 'sales_row';
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, d DATE, ts DATETIME(6), v INT)`,
      );
      await db.query(
        `INSERT INTO ${table} VALUES (1, '2024-01-01', '2024-01-01 10:00:00', 1), ` +
          `(2, '2024-01-03', '2024-01-01 11:30:00.000001', 2), (3, '2024-01-04', '2024-01-01 12:00:00', 4), ` +
          `(4, '2024-02-04', '2024-01-02 12:00:00', 8), (5, NULL, NULL, 16), ` +
          `(6, '2024-01-03', '2024-01-01 11:30:00', 32)`,
      );
    }
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  async function column(sql: string): Promise<unknown[]> {
    const [rows] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return rows.map((row) => row[1] as unknown);
  }

  for (const table of ['sales_column', 'sales_row']) {
    it(`sums over days, months and times of day (${table})`, async () => {
      assert.deepEqual(
        await column(
          `SELECT id, SUM(v) OVER (ORDER BY d RANGE BETWEEN INTERVAL 2 DAY PRECEDING AND CURRENT ROW) FROM ${table} ORDER BY id`,
        ),
        ['1', '35', '38', '8', '16', '35'],
      );
      // Descending: PRECEDING reaches later dates.
      assert.deepEqual(
        await column(
          `SELECT id, SUM(v) OVER (ORDER BY d DESC RANGE BETWEEN INTERVAL 1 MONTH PRECEDING AND CURRENT ROW) FROM ${table} ORDER BY id`,
        ),
        ['39', '38', '12', '8', '16', '38'],
      );
      assert.deepEqual(
        await column(
          `SELECT id, SUM(v) OVER (ORDER BY ts RANGE BETWEEN INTERVAL 90 MINUTE PRECEDING AND INTERVAL 1 HOUR FOLLOWING) FROM ${table} ORDER BY id`,
        ),
        ['1', '38', '38', '8', '16', '39'],
      );
      assert.deepEqual(
        await column(
          `SELECT id, COUNT(*) OVER w FROM ${table} WINDOW w AS (ORDER BY ts RANGE INTERVAL 1 MICROSECOND PRECEDING) ORDER BY id`,
        ),
        [1, 2, 1, 1, 1, 1],
      );
    });
  }

  const refused: readonly [string, number][] = [
    ['ORDER BY d RANGE BETWEEN 2 PRECEDING AND CURRENT ROW', 3588],
    ['ORDER BY v RANGE BETWEEN INTERVAL 2 DAY PRECEDING AND CURRENT ROW', 3589],
    ['ORDER BY d, id RANGE BETWEEN INTERVAL 2 DAY PRECEDING AND CURRENT ROW', 3587],
  ];
  for (const [window, errno] of refused) {
    it(`answers ${errno} to OVER (${window})`, async () => {
      await assert.rejects(db.query(`SELECT SUM(v) OVER (${window}) FROM sales_column`), {
        errno,
      });
    });
  }
});
