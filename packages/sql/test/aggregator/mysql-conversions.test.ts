/**
 * Conversions as MariaDB 10.11 makes them, on constants and on both storages' rows: fractional
 * seconds cut (not rounded) when a DATETIME/TIME/TIMESTAMP column keeps fewer digits, DECIMAL
 * and DOUBLE cast to UNSIGNED clamped at 0 and 2^64 - 1 (with 1916 "Got overflow"), negative
 * integers wrapped with the 1105 note, text read as a date by DATE(), YEAR(), HOUR(), … with
 * 1292, FLOOR/CEILING of a DOUBLE printed without decimals, ORD of a multibyte character, a
 * YEAR's four digits, FORMAT's rounding and locales, and LN/LOG of 0 "dividing by 0". Every expected value and warning is what MariaDB 10.11 answered to the
 * same statements through mysql2.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const NOTE_1105 = "Cast to unsigned converted negative integer to it's positive complement";

describe('conversions as MariaDB makes them', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connectAsText();
    await db.query('CREATE DATABASE conv');
    await db.query('USE conv');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const rows = async (sql: string): Promise<unknown[][]> =>
    (await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true }))[0];
  const warnings = async (): Promise<unknown[][]> => rows('SHOW WARNINGS');

  for (const storage of ['COLUMNSTORE', 'ROWSTORE']) {
    it(`cuts fractional seconds a column does not keep (${storage})`, async () => {
      const table = `t_${storage.toLowerCase()}`;
      await db.query(
        `CREATE ${storage} TABLE ${table} (id INT PRIMARY KEY, a DATETIME, b TIME, c DATETIME(2), d TIMESTAMP NULL, y YEAR)`,
      );
      await db.query(
        `INSERT INTO ${table} VALUES (1, '2000-02-03 04:05:06.5', '10:00:00.7', '2000-02-03 04:05:06.999', '2000-12-31 23:59:59.9', 0),
           (2, 20000203040506.5, 100000.7, 20000203040506.999, NULL, 2024)`,
      );
      assert.deepEqual(await warnings(), []);
      await db.query(
        `INSERT INTO ${table} (id, a) SELECT 3, CAST('2000-01-01 00:00:00.9' AS DATETIME(1))`,
      );
      // An INTERVAL of fractional seconds keeps its digits.
      assert.deepEqual(
        await rows(
          `SELECT DATE_ADD(a, INTERVAL 1.5 SECOND), DATE_SUB(a, INTERVAL 2.25 SECOND), a + INTERVAL '0.000001' SECOND,
             DATE_ADD(CAST('2024-01-31 10:00:00.5' AS DATETIME(1)), INTERVAL 1 MONTH) FROM ${table} WHERE id = 1`,
        ),
        [
          [
            '2000-02-03 04:05:07.5',
            '2000-02-03 04:05:03.75',
            '2000-02-03 04:05:06.000001',
            '2024-02-29 10:00:00.5',
          ],
        ],
      );
      // Seconds past microseconds are cut, text counts of days too, and out of range is NULL.
      assert.deepEqual(
        await rows(
          `SELECT DATE_ADD(a, INTERVAL 1.123456789 SECOND), DATE_ADD(a, INTERVAL '1.5' DAY),
             DATE_ADD(a, INTERVAL '1 1:1:1.5' DAY_MICROSECOND), DATE_ADD(a, INTERVAL 8000 YEAR),
             DATE_SUB(a, INTERVAL 2000 YEAR) FROM ${table} WHERE id = 1`,
        ),
        [
          [
            '2000-02-03 04:05:07.123456',
            '2000-02-04 04:05:06',
            '2000-02-04 05:06:07.500000',
            null,
            '0000-02-03 04:05:06',
          ],
        ],
      );
      // TIME_TO_SEC reads a datetime's time of day.
      assert.deepEqual(
        await rows(`SELECT TIME_TO_SEC(a), TIME_TO_SEC(b) FROM ${table} ORDER BY id`),
        [
          ['14706', '36000'],
          ['14706', '36000'],
          ['0', null],
        ],
      );
      assert.deepEqual(await rows(`SELECT a, b, c, d, y, CONCAT(y) FROM ${table} ORDER BY id`), [
        [
          '2000-02-03 04:05:06',
          '10:00:00',
          '2000-02-03 04:05:06.99',
          '2000-12-31 23:59:59',
          '0000',
          '0000',
        ],
        ['2000-02-03 04:05:06', '10:00:00', '2000-02-03 04:05:06.99', null, '2024', '2024'],
        ['2000-01-01 00:00:00', null, null, null, null, null],
      ]);
    });

    it(`casts column values to UNSIGNED as MariaDB (${storage})`, async () => {
      const table = `n_${storage.toLowerCase()}`;
      await db.query(
        `CREATE ${storage} TABLE ${table} (id INT PRIMARY KEY, i INT, d DOUBLE, n DECIMAL(10,2), s VARCHAR(30))`,
      );
      await db.query(
        `INSERT INTO ${table} VALUES (1, 5, 2.5, 12.34, '18446744073709551615'),
           (2, -3, -0.125, -5.5, '-5'), (3, 0, 1e20, -0.4, '99999999999999999999'), (4, NULL, NULL, NULL, NULL)`,
      );
      assert.deepEqual(
        await rows(
          `SELECT CAST(i AS UNSIGNED), CAST(d AS UNSIGNED), CAST(n AS UNSIGNED), CAST(s AS UNSIGNED),
             CAST(d AS SIGNED), CAST(n AS SIGNED), FLOOR(d), CEIL(d), ORD(s) FROM ${table} ORDER BY id`,
        ),
        [
          ['5', '2', '12', '18446744073709551615', '2', '12', '2', '3', '49'],
          ['18446744073709551613', '0', '0', '18446744073709551611', '0', '-6', '-1', '0', '45'],
          [
            '0',
            '18446744073709551615',
            '0',
            '18446744073709551615',
            '9223372036854775807',
            '0',
            '100000000000000000000',
            '100000000000000000000',
            '57',
          ],
          [null, null, null, null, null, null, null, null, null],
        ],
      );
      // A DOUBLE rounds as rint(x * 100) / 100, exact numbers half away from zero.
      assert.deepEqual(
        await rows(
          `SELECT FORMAT(d, 2), FORMAT(n, 1), FORMAT(i, 0), FORMAT(s, 0, 'de_DE') FROM ${table} ORDER BY id`,
        ),
        [
          ['2.50', '12.3', '5', '18.446.744.073.709.552.000'],
          ['-0.12', '-5.5', '-3', '-5'],
          ['100,000,000,000,000,000,000.00', '-0.4', '0', '100.000.000.000.000.000.000'],
          [null, null, null, null],
        ],
      );
    });
  }

  it('formats numbers as MariaDB and warns of logarithms of 0', async () => {
    assert.deepEqual(
      await rows(
        `SELECT FORMAT(1234567.891, 2), FORMAT(-0.125e0, 2), FORMAT(2.675e0, 2), FORMAT(2.5e0, 0),
           FORMAT(0.5, 0), FORMAT('1234.5', 0), FORMAT(12345678901234567890123.5, 0),
           FORMAT(-1234567891, 0, 'en_IN'), FORMAT(1234567.891, 2, 'de_DE'), FORMAT(1.5, 40),
           FORMAT(1, NULL), LN(0), LOG(1, 10), LOG(2, 8)`,
      ),
      [
        [
          '1,234,567.89',
          '-0.12',
          '2.68',
          '2',
          '1',
          '1,234',
          '12,345,678,901,234,567,890,124',
          '-1,23,45,67,891',
          '1.234.567,89',
          `1.5${'0'.repeat(37)}`,
          null,
          null,
          null,
          '3',
        ],
      ],
    );
    assert.deepEqual(await warnings(), [
      ['Warning', '1365', 'Division by 0'],
      ['Warning', '1365', 'Division by 0'],
    ]);
  });

  it('casts constants to SIGNED and UNSIGNED with MariaDB warnings', async () => {
    assert.deepEqual(
      await rows(
        `SELECT CAST(-1 AS UNSIGNED), CAST('-1' AS UNSIGNED), CAST(-1.5 AS UNSIGNED), CAST(-1e0 AS UNSIGNED),
           CAST(-0.4 AS UNSIGNED), CAST(-0.4e0 AS UNSIGNED), CAST(1e19 AS UNSIGNED), CAST(1e20 AS UNSIGNED),
           CAST(99999999999999999999.0 AS UNSIGNED), CAST('18446744073709551615' AS UNSIGNED)`,
      ),
      [
        [
          '18446744073709551615',
          '18446744073709551615',
          '0',
          '0',
          '0',
          '0',
          '10000000000000000000',
          '18446744073709551615',
          '18446744073709551615',
          '18446744073709551615',
        ],
      ],
    );
    assert.deepEqual(await warnings(), [
      ['Note', '1105', NOTE_1105],
      ['Note', '1105', NOTE_1105],
      ['Warning', '1916', "Got overflow when converting '-1.5' to UNSIGNED INT. Value truncated"],
      ['Warning', '1916', "Got overflow when converting '-1' to UNSIGNED BIGINT. Value truncated"],
      [
        'Warning',
        '1916',
        "Got overflow when converting '1e20' to UNSIGNED BIGINT. Value truncated",
      ],
      [
        'Warning',
        '1916',
        "Got overflow when converting '99999999999999999999.0' to UNSIGNED INT. Value truncated",
      ],
    ]);
    assert.deepEqual(
      await rows(
        `SELECT CAST(1e19 AS SIGNED), CAST(-1e19 AS SIGNED), CAST(9999999999999999999.5 AS SIGNED),
           CAST('99999999999999999999' AS UNSIGNED)`,
      ),
      [
        [
          '9223372036854775807',
          '-9223372036854775808',
          '9223372036854775807',
          '18446744073709551615',
        ],
      ],
    );
    assert.deepEqual(await warnings(), [
      ['Warning', '1916', "Got overflow when converting '1e19' to SIGNED BIGINT. Value truncated"],
      ['Warning', '1916', "Got overflow when converting '-1e19' to SIGNED BIGINT. Value truncated"],
      [
        'Warning',
        '1916',
        "Got overflow when converting '9999999999999999999.5' to INT. Value truncated",
      ],
      ['Warning', '1292', "Truncated incorrect INTEGER value: '99999999999999999999'"],
    ]);
    // Strict mode refuses to store the overflow.
    await db.query('CREATE TABLE u (a BIGINT UNSIGNED)');
    await assert.rejects(db.query('INSERT INTO u VALUES (CAST(-1.5 AS UNSIGNED))'), {
      errno: 1916,
      sqlState: '22003',
    });
  });

  it('warns of text that is no date where a function reads a date or a time', async () => {
    assert.deepEqual(
      await rows(
        `SELECT DATE('2024-02-30'), DATE('abc'), DATE('2024-01-02x'), YEAR('abc'), MONTH('2024-02-30'),
           DAYOFWEEK('abc'), DATEDIFF('abc', '2024-01-01'), DATE_FORMAT('abc', '%Y'),
           DATE_ADD('abc', INTERVAL 1 DAY), HOUR('abc'), TIME('abc')`,
      ),
      [[null, null, '2024-01-02', null, null, null, null, null, null, null, null]],
    );
    const incorrect = (text: string, kind = 'datetime'): unknown[] => [
      'Warning',
      '1292',
      `Incorrect ${kind} value: '${text}'`,
    ];
    assert.deepEqual(await warnings(), [
      incorrect('2024-02-30'),
      incorrect('abc'),
      ['Warning', '1292', "Truncated incorrect date value: '2024-01-02x'"],
      incorrect('abc'),
      incorrect('2024-02-30'),
      incorrect('abc'),
      incorrect('abc'),
      incorrect('abc'),
      incorrect('abc'),
      incorrect('abc', 'time'),
      incorrect('abc', 'time'),
    ]);
  });

  it('reads TIME_TO_SEC of a datetime as its time of day, and formats with a NULL format as NULL', async () => {
    assert.deepEqual(
      await rows(
        `SELECT TIME_TO_SEC(CAST('2024-01-15 10:20:30' AS DATETIME)), TIME_TO_SEC('2024-01-01 10:00:00'),
           TIME_TO_SEC('-838:59:59'), TIME_TO_SEC(100000), DATE_FORMAT('2024-01-02', NULL),
           TIME_FORMAT('10:00:00', NULL)`,
      ),
      [['37230', '36000', '-3020399', '36000', null, null]],
    );
  });

  it('prints FLOOR/CEILING of a DOUBLE without decimals and ORD of UTF-8 bytes', async () => {
    assert.deepEqual(
      await rows(
        `SELECT FLOOR(1e20), CEIL(-0.5e0), FLOOR(-0.5e0), CEILING(2.5e0), FLOOR(1e-5),
           ORD('é'), ORD('€'), ORD('😀'), ORD(''), ORD(NULL), ORD('ab')`,
      ),
      [
        [
          '100000000000000000000',
          '0',
          '-1',
          '3',
          '0',
          '50089',
          '14844588',
          '4036991104',
          '0',
          null,
          '97',
        ],
      ],
    );
  });
});
