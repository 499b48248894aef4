/**
 * Functions compared with MariaDB, on both storage engines through mysql2: JSON_SET/INSERT/
 * REPLACE/REMOVE, JSON_CONTAINS, JSON values nested in JSON_OBJECT, WEEK and YEARWEEK in every
 * mode, and BIT_LENGTH, BIN, OCT, BIT_COUNT, TO_BASE64, FROM_BASE64, MAKETIME, TO_SECONDS,
 * TIMESTAMP(a, b), CONVERT_TZ with offsets, EXTRACT of compound units. The expected values are
 * what MariaDB 10.11 answers to the same statements (run side by side with the throwaway
 * server of bench/sql).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('MySQL functions compared with MariaDB', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown as unknown[][];
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE functions PARTITIONS 4');
    await db.query('USE functions');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('modifies JSON documents', async () => {
    assert.deepEqual(
      await rows(
        `SELECT JSON_SET('{"a":1}', '$.a', 2, '$.b', 3), JSON_INSERT('{"a":1}', '$.a', 2, '$.b', 3),
           JSON_REPLACE('{"a":1}', '$.a', 2, '$.b', 3), JSON_REMOVE('{"a":1,"b":2}', '$.a'),
           JSON_SET('{"a":{"b":1}}', '$.a.c', 'x'), JSON_SET('{"a":5}', '$.a.c', 'x'),
           JSON_SET('{}', '$.x.y', 1), JSON_REMOVE('{"a":1}', '$.zz'), JSON_SET('{"a":1}', '$.a', NULL),
           JSON_SET(NULL, '$.a', 1), JSON_SET('{}', '$.o', JSON_OBJECT('x', 1)), JSON_SET('{}', '$.j', '{"x":1}')`,
      ),
      [
        [
          { a: 2, b: 3 },
          { a: 1, b: 3 },
          { a: 2 },
          { b: 2 },
          { a: { b: 1, c: 'x' } },
          { a: 5 },
          {},
          { a: 1 },
          { a: null },
          null,
          { o: { x: 1 } },
          { j: '{"x":1}' },
        ],
      ],
    );
    assert.deepEqual(
      await rows(
        `SELECT JSON_CONTAINS('[1,2,3]', '2'), JSON_CONTAINS('{"a":1,"b":2}', '{"a":1}'),
           JSON_CONTAINS('{"a":[1,2]}', '1', '$.a'), JSON_CONTAINS('[1,2]', '"1"'),
           JSON_CONTAINS('{"a":{"b":1}}', '1'), JSON_CONTAINS(NULL, '1'),
           JSON_OBJECT('f', JSON_ARRAY(1, 2)), JSON_ARRAY(1, JSON_OBJECT('k', 'v'))`,
      ),
      [[1, 1, 1, 0, 0, null, { f: [1, 2] }, [1, { k: 'v' }]]],
    );
  });

  for (const kind of ['', 'ROWSTORE']) {
    it(`modifies JSON columns (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `docs_${kind.toLowerCase() || 'column'}`;
      await db.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, doc JSON)`);
      await db.query(
        `INSERT INTO ${table} VALUES (1, '{"name":"Ann","age":30,"tags":["a","b"],"addr":{"city":"Oslo"}}'), (2, '{"name":"Bob","age":null,"tags":[]}'), (3, NULL)`,
      );
      assert.deepEqual(
        await rows(
          `SELECT id, JSON_INSERT(doc, '$.x', JSON_EXTRACT(doc, '$.tags')), JSON_REMOVE(doc, '$.tags', '$.addr.city') FROM ${table} ORDER BY id`,
        ),
        [
          [
            1,
            { name: 'Ann', age: 30, tags: ['a', 'b'], addr: { city: 'Oslo' }, x: ['a', 'b'] },
            { name: 'Ann', age: 30, addr: {} },
          ],
          [2, { name: 'Bob', age: null, tags: [], x: [] }, { name: 'Bob', age: null }],
          [3, null, null],
        ],
      );
      await db.query(
        `UPDATE ${table} SET doc = JSON_SET(doc, '$.age', 31, '$.new', 'x') WHERE id = 1`,
      );
      await db.query(`UPDATE ${table} SET doc = JSON_REMOVE(doc, '$.tags') WHERE id = 2`);
      assert.deepEqual(await rows(`SELECT doc FROM ${table} ORDER BY id`), [
        [{ name: 'Ann', age: 31, tags: ['a', 'b'], addr: { city: 'Oslo' }, new: 'x' }],
        [{ name: 'Bob', age: null }],
        [null],
      ]);
      assert.deepEqual(
        await rows(`SELECT id FROM ${table} WHERE JSON_CONTAINS(doc, '"a"', '$.tags') ORDER BY id`),
        [[1]],
      );
    });
  }

  for (const kind of ['', 'ROWSTORE']) {
    it(`counts weeks in every mode (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `weeks_${kind.toLowerCase() || 'column'}`;
      await db.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, d DATE)`);
      await db.query(
        `INSERT INTO ${table} VALUES (1, '2015-01-01'), (2, '2015-01-04'), (3, '2021-01-03'), (4, '2024-12-30'), (5, '2022-12-31')`,
      );
      const modes = [0, 1, 2, 3, 4, 5, 6, 7];
      const week = modes.map((m) => `WEEK(d, ${m})`).join(', ');
      const yearweek = modes.map((m) => `YEARWEEK(d, ${m})`).join(', ');
      assert.deepEqual(await rows(`SELECT ${week} FROM ${table} ORDER BY id`), [
        [0, 1, 52, 1, 0, 0, 53, 52],
        [1, 1, 1, 1, 1, 0, 1, 52],
        [1, 0, 1, 53, 1, 0, 1, 52],
        [52, 53, 52, 1, 53, 53, 1, 53],
        [52, 52, 52, 52, 52, 52, 52, 52],
      ]);
      assert.deepEqual(await rows(`SELECT ${yearweek} FROM ${table} ORDER BY id`), [
        [201452, 201501, 201452, 201501, 201453, 201452, 201453, 201452],
        [201501, 201501, 201501, 201501, 201501, 201452, 201501, 201452],
        [202101, 202053, 202101, 202053, 202101, 202052, 202101, 202052],
        [202452, 202501, 202452, 202501, 202501, 202453, 202501, 202453],
        [202252, 202252, 202252, 202252, 202252, 202252, 202252, 202252],
      ]);
    });
  }

  it('returns binary strings from CHAR and UNHEX, clamps CAST to DECIMAL, and reads UNIX_TIMESTAMP', async () => {
    assert.deepEqual(
      await rows(
        "SELECT CHAR(65, 66), UNHEX('4142'), HEX(CHAR(256, NULL, 1)), LENGTH(UNHEX('e9')), UNHEX('zz'), CHAR_LENGTH(UNHEX('4142')), UNHEX('41') = 'A'",
      ),
      [[Buffer.from('AB'), Buffer.from('AB'), '010001', 1, null, 2, 1]],
    );
    assert.deepEqual(
      await rows(
        'SELECT CAST(123456 AS DECIMAL(5,2)), CAST(-123456 AS DECIMAL(5,2)), CAST(999.995 AS DECIMAL(5,2)), CAST(999.994 AS DECIMAL(5,2)), CAST(1e20 AS DECIMAL(5,0))',
      ),
      [['999.99', '-999.99', '999.99', '999.99', '99999']],
    );
    assert.deepEqual(
      await rows(
        "SELECT UNIX_TIMESTAMP('2024-01-01 00:00:00.25'), UNIX_TIMESTAMP('1969-01-01'), UNIX_TIMESTAMP('2024-01-01')",
      ),
      [['1704067200.25', null, 1704067200]],
    );
  });

  it('stops a statement whose DOUBLE result overflows with 1690, on both storage kinds', async () => {
    for (const sql of ['SELECT 1e308 * 10', 'SELECT EXP(1000)', 'SELECT POW(10, 400) AS p']) {
      await assert.rejects(db.query(sql), { errno: 1690, sqlState: '22003' }, sql);
    }
    await assert.rejects(db.query('SELECT 1e308 * 10'), {
      message: "DOUBLE value is out of range in '1e308 * 10'",
    });
    for (const kind of ['', 'ROWSTORE']) {
      const table = `big_${kind.toLowerCase() || 'column'}`;
      await db.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, d DOUBLE)`);
      await db.query(`INSERT INTO ${table} VALUES (1, 1e300), (2, 2)`);
      await assert.rejects(db.query(`SELECT id, d * d FROM ${table}`), { errno: 1690 });
      // The connection stays usable and finite results pass.
      assert.deepEqual(await rows(`SELECT d * d FROM ${table} WHERE id = 2`), [[4]]);
    }
  });

  it('computes with prepared parameters bound as text as DOUBLEs, as MariaDB does', async () => {
    const [result] = await db.execute<RowDataPacket[]>(
      { sql: 'SELECT ? * 2, ? + 1, ? / 2, ? DIV 2, ? - 0.5', rowsAsArray: true },
      ['2.5', '1.5', '3', '7.9', 2],
    );
    assert.deepEqual(result, [[5, 2.5, 1.5, 3, 1.5]]);
  });

  it('answers the less common string, number and date functions', async () => {
    assert.deepEqual(
      await rows(
        "SELECT BIT_LENGTH('a'), BIN(5), OCT(8), BIT_COUNT(7), BIT_COUNT(-1), TO_BASE64('abc'), HEX(FROM_BASE64('YWJj')), LENGTH(TO_BASE64(REPEAT('x', 100)))",
      ),
      [[8, '101', '10', 3, 64, 'YWJj', '616263', 137]],
    );
    assert.deepEqual(
      await rows(
        "SELECT MAKETIME(10, 20, 30), MAKETIME(-1, 30, 0), MAKETIME(1, 60, 0), TO_SECONDS('2024-01-01 10:00:01'), TIMESTAMP('2024-03-05', '10:00:00')",
      ),
      [['10:20:30', '-01:30:00', null, 63871322401, '2024-03-05 10:00:00']],
    );
    assert.deepEqual(
      await rows(
        "SELECT CONVERT_TZ('2024-03-05 12:00:00', '+00:00', '+05:30'), CONVERT_TZ('2024-01-01 00:30:00', '+01:00', '+00:00'), CONVERT_TZ('2024-03-05 12:00:00', '+00:00', '+15:00')",
      ),
      [['2024-03-05 17:30:00', '2023-12-31 23:30:00', null]],
    );
    assert.deepEqual(
      await rows(
        "SELECT EXTRACT(DAY_MINUTE FROM '2024-03-05 13:04:05'), EXTRACT(DAY_MICROSECOND FROM '2024-03-05 13:04:05.25'), EXTRACT(SECOND_MICROSECOND FROM '2024-03-05 13:04:05.25'), DATE_FORMAT('2024-03-05', ''), TIMESTAMPADD(MICROSECOND, 500, '2024-01-01'), FROM_UNIXTIME(1700000000.5), FROM_UNIXTIME(-1)",
      ),
      [
        [
          51304,
          5130405250000,
          5250000,
          null,
          '2024-01-01 00:00:00.000500',
          '2023-11-14 22:13:20.5',
          null,
        ],
      ],
    );
  });
});
