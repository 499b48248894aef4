/**
 * TIME text as MySQL reads it, on both storage engines: digits alone are [H…H]HMMSS read from
 * the right ('0' is midnight, '12' twelve seconds, '1234' 00:12:34), minutes or seconds past 59
 * make no time, a datetime gives its time of day, and past ±838:59:59 a column refuses the value
 * in strict mode and clamps it with IGNORE. Before, a TIME column refused '0' and 1234, and
 * CAST('123456' AS TIME) was 34:17:36 (the digits read as seconds). The expected values are what
 * MariaDB 10.11 answered to the same statements through mysql2.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('TIME text as MySQL reads it', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connectAsText();
    await db.query('CREATE DATABASE timetext PARTITIONS 2');
    await db.query('USE timetext');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const rows = async (sql: string): Promise<unknown[][]> =>
    (await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true }))[0];

  it('reads constants in CAST and the TIME functions', async () => {
    assert.deepEqual(
      await rows(
        `SELECT CAST('0' AS TIME), CAST('12' AS TIME), CAST('123' AS TIME), CAST('1234' AS TIME),
           CAST('123456' AS TIME), CAST('99' AS TIME), CAST(99 AS TIME), CAST('1234567' AS TIME),
           CAST('8390000' AS TIME), CAST(8390000 AS TIME), CAST('12345.5' AS TIME(1)), CAST('1 02:03' AS TIME)`,
      ),
      [
        [
          '00:00:00',
          '00:00:12',
          '00:01:23',
          '00:12:34',
          '12:34:56',
          null,
          null,
          null,
          '838:59:59',
          '838:59:59',
          '01:23:45.5',
          '26:03:00',
        ],
      ],
    );
    assert.deepEqual(
      await rows(
        `SELECT TIME_TO_SEC('1234'), ADDTIME('1234', '1'), HOUR('123456'), MINUTE('1234'),
           TIMEDIFF('1234', '12'), TIME_FORMAT('123456', '%H-%i-%s'), SEC_TO_TIME(TIME_TO_SEC('100'))`,
      ),
      [['754', '00:12:35', '12', '12', '00:12:22', '12-34-56', '00:01:00']],
    );
  });

  for (const storage of ['COLUMNSTORE', 'ROWSTORE']) {
    it(`stores packed, signed and datetime text in a TIME column (${storage})`, async () => {
      const table = `tm_${storage.toLowerCase()}`;
      await db.query(`CREATE ${storage} TABLE ${table} (id INT PRIMARY KEY, tm TIME, t3 TIME(3))`);
      await db.query(
        `INSERT INTO ${table} VALUES (1, '0', '0'), (2, 0, 0), (3, '12', '12.5'), (4, 1234, 1234.5),
           (5, '1234', '1234.5678'), (6, '0.5', '0.5'), (7, '-1', '-1'), (8, '123', '12345'),
           (10, '2024-01-01 10:11:12', '2024-01-01 10:11:12.345'), (11, '-12:34', '1 10:00'),
           (12, ' 12:00 ', '10:00:00.1'), (13, '-0', '-0.5'), (14, '8385959', '-8385959')`,
      );
      assert.deepEqual(await rows(`SELECT id, tm, t3 FROM ${table} ORDER BY id`), [
        ['1', '00:00:00', '00:00:00.000'],
        ['2', '00:00:00', '00:00:00.000'],
        ['3', '00:00:12', '00:00:12.500'],
        ['4', '00:12:34', '00:12:34.500'],
        ['5', '00:12:34', '00:12:34.567'],
        ['6', '00:00:00', '00:00:00.500'],
        ['7', '-00:00:01', '-00:00:01.000'],
        ['8', '00:01:23', '01:23:45.000'],
        ['10', '10:11:12', '10:11:12.345'],
        ['11', '-12:34:00', '34:00:00.000'],
        ['12', '12:00:00', '10:00:00.100'],
        ['13', '00:00:00', '-00:00:00.500'],
        ['14', '838:59:59', '-838:59:59.000'],
      ]);
      for (const bad of ["'99'", "'8390000'", "'12:60'", '99', "'abc'"])
        await assert.rejects(db.query(`INSERT INTO ${table} VALUES (20, ${bad}, NULL)`), {
          errno: 1292,
        });
      await db.query(`INSERT IGNORE INTO ${table} VALUES (30, '99', '8390000')`);
      assert.deepEqual(await rows('SHOW WARNINGS'), [
        ['Warning', '1265', "Data truncated for column 'tm' at row 1"],
        ['Warning', '1264', "Out of range value for column 't3' at row 1"],
      ]);
      assert.deepEqual(await rows(`SELECT tm, t3 FROM ${table} WHERE id >= 20`), [
        ['00:00:00', '838:59:59.999'],
      ]);
    });

    it(`reads TIME text held in a string column (${storage})`, async () => {
      const table = `s_${storage.toLowerCase()}`;
      await db.query(`CREATE ${storage} TABLE ${table} (id INT PRIMARY KEY, v VARCHAR(20), n INT)`);
      await db.query(
        `INSERT INTO ${table} VALUES (1, '1234', 1234), (2, '99', 99), (3, '12:34:56', 123456),
           (4, '-12', -12), (6, 'abc', 0), (7, NULL, NULL), (8, '2024-01-01 10:11:12', 8390000)`,
      );
      assert.deepEqual(
        await rows(
          `SELECT id, CAST(v AS TIME), CAST(n AS TIME), TIME_TO_SEC(n), HOUR(v), MINUTE(v),
             SECOND(n), TIME_FORMAT(v, '%H.%i.%s'), ADDTIME(v, '00:00:01')
             FROM ${table} ORDER BY id`,
        ),
        [
          ['1', '00:12:34', '00:12:34', '754', '0', '12', '34', '00.12.34', '00:12:35'],
          ['2', null, null, null, null, null, null, null, null],
          ['3', '12:34:56', '12:34:56', '45296', '12', '34', '56', '12.34.56', '12:34:57'],
          ['4', '-00:00:12', '-00:00:12', '-12', '0', '0', '12', '-00.00.12', '-00:00:11'],
          ['6', null, '00:00:00', '0', null, null, '0', null, null],
          ['7', null, null, null, null, null, null, null, null],
          [
            '8',
            '10:11:12',
            '838:59:59',
            '3020399',
            '10',
            '11',
            '59',
            '10.11.12',
            '2024-01-01 10:11:13',
          ],
        ],
      );
    });
  }
});
