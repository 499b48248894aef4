/**
 * Temporal values in arithmetic, on both storages, as MariaDB 10.11 answers them.
 *
 * A TIME plus or minus an interval is a TIME:
 * hours past 24 stay hours, the sign carries, fraction digits come from the column and the
 * interval, past ±838:59:59 and with months it is NULL. The expected values are what MariaDB
 * answered to the same statements through mysql2, but one: '-01:00:00' + 1 hour is '00:00:00'
 * here, where MariaDB shows a negative zero ('-00:00:00').
 *
 * A DATETIME(n) in numeric context is the DECIMAL YYYYMMDDHHMMSS.f…f with its n digits.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const TIME = 11;
const NEWDECIMAL = 246;
const LONGLONG = 8;

describe('temporal arithmetic as MariaDB', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connectAsText();
    await db.query('CREATE DATABASE tadd');
    await db.query('USE tadd');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const storage of ['COLUMNSTORE', 'ROWSTORE']) {
    it(`moves a TIME column within its range (${storage})`, async () => {
      const table = `t_${storage.toLowerCase()}`;
      await db.query(`CREATE ${storage} TABLE ${table} (id INT PRIMARY KEY, tm TIME, t3 TIME(3))`);
      await db.query(
        `INSERT INTO ${table} VALUES (1, '10:20:30', '10:20:30.125'), (2, '-01:00:00', NULL),
           (3, '838:59:59', NULL), (4, '23:00:00', '00:00:00')`,
      );
      const [rows, fields] = await db.query<RowDataPacket[][]>({
        sql: `SELECT tm + INTERVAL 1 HOUR, tm - INTERVAL 11 HOUR, DATE_ADD(tm, INTERVAL 1 DAY),
                tm + INTERVAL 1.5 SECOND, t3 + INTERVAL 1 SECOND, t3 + INTERVAL 250 MICROSECOND,
                DATE_SUB(tm, INTERVAL '1:30' HOUR_MINUTE), tm + INTERVAL 1 MONTH
              FROM ${table} ORDER BY id`,
        rowsAsArray: true,
      });
      assert.deepEqual(rows, [
        [
          '11:20:30',
          '-00:39:30',
          '34:20:30',
          '10:20:31.5',
          '10:20:31.125',
          '10:20:30.125250',
          '08:50:30',
          null,
        ],
        ['00:00:00', '-12:00:00', '23:00:00', '-00:59:58.5', null, null, '-02:30:00', null],
        [null, '827:59:59', null, null, null, null, '837:29:59', null],
        [
          '24:00:00',
          '12:00:00',
          '47:00:00',
          '23:00:01.5',
          '00:00:01.000',
          '00:00:00.000250',
          '21:30:00',
          null,
        ],
      ]);
      const types = fields.map((f) => [f.columnType, f.decimals]);
      assert.deepEqual(types.slice(0, 7), [
        [TIME, 0],
        [TIME, 0],
        [TIME, 0],
        [TIME, 1],
        [TIME, 3],
        [TIME, 6],
        [TIME, 0],
      ]);
    });

    it(`reads a DATETIME(n) as a DECIMAL with its digits (${storage})`, async () => {
      const table = `d_${storage.toLowerCase()}`;
      await db.query(
        `CREATE ${storage} TABLE ${table} (id INT PRIMARY KEY, t DATETIME(3), t6 DATETIME(6), t0 DATETIME)`,
      );
      await db.query(
        `INSERT INTO ${table} VALUES (1, '2024-03-05 10:20:30.123', '2024-03-05 10:20:30.000001', '2024-03-05 10:20:30'),
           (2, '2024-12-31 23:59:59.999', '2024-12-31 23:59:59', NULL)`,
      );
      const [rows, fields] = await db.query<RowDataPacket[][]>({
        sql: `SELECT t + 0, t6 + 0, t0 + 0, t + 1, -t FROM ${table} ORDER BY id`,
        rowsAsArray: true,
      });
      assert.deepEqual(rows, [
        [
          '20240305102030.123',
          '20240305102030.000001',
          '20240305102030',
          '20240305102031.123',
          '-20240305102030.123',
        ],
        [
          '20241231235959.999',
          '20241231235959.000000',
          null,
          '20241231235960.999',
          '-20241231235959.999',
        ],
      ]);
      assert.deepEqual(
        fields.map((f) => [f.columnType, f.decimals]),
        [
          [NEWDECIMAL, 3],
          [NEWDECIMAL, 6],
          [LONGLONG, 0],
          [NEWDECIMAL, 3],
          [NEWDECIMAL, 3],
        ],
      );
    });
  }
});
