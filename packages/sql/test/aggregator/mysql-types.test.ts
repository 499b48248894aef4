/**
 * MySQL types the engines do not have natively, checked on both storage engines through mysql2:
 * TIME over its whole range (-838:59:59 … 838:59:59, stored as a DuckDB INTERVAL and compared by
 * duration in SQLite), TIME(dt) fractions, ENUM order, YEAR/ENUM/SET column types and the types
 * of LENGTH/LOCATE/LAST_INSERT_ID, two-digit YEARs, the ranges of YEAR and MEDIUMINT, and
 * DECIMAL's Note 1265 for dropped digits. Expected values are what MariaDB 10.11 answers to the same
 * statements (run side by side with the throwaway server of bench/sql).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, FieldPacket, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('MySQL types', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown as unknown[][];
  };
  const types = async (sql: string): Promise<number[]> => {
    const [, fields] = await db.query<RowDataPacket[]>(sql);
    return fields.map((field: FieldPacket) => field.columnType ?? -1);
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE types PARTITIONS 4');
    await db.query('USE types');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const kind of ['', 'ROWSTORE', 'ROWSTORE REFERENCE']) {
    const name = kind === '' ? 'COLUMNSTORE' : kind;
    const table = `times_${kind.replace(' ', '_').toLowerCase() || 'column'}`;
    it(`keeps TIME over MySQL's whole range (${name})`, async () => {
      await db.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, t TIME, t6 TIME(6))`);
      await db.query(
        `INSERT INTO ${table} VALUES (1, '-01:02:03', '-01:02:03.5'), (2, '838:59:59', '838:59:59.999999'),
           (3, '10:00:00', '2 03:04:05'), (4, '100:00:00', '-838:59:59'), (5, '9:00:00', NULL)`,
      );
      assert.deepEqual(await rows(`SELECT id, t, t6 FROM ${table} ORDER BY t`), [
        [1, '-01:02:03', '-01:02:03.500000'],
        [5, '09:00:00', null],
        [3, '10:00:00', '51:04:05.000000'],
        [4, '100:00:00', '-838:59:59.000000'],
        [2, '838:59:59', '838:59:59.999999'],
      ]);
      assert.deepEqual(await rows(`SELECT id FROM ${table} ORDER BY t DESC LIMIT 2`), [[2], [4]]);
      assert.deepEqual(await rows(`SELECT MIN(t), MAX(t), MIN(t6), MAX(t6) FROM ${table}`), [
        ['-01:02:03', '838:59:59', '-838:59:59.000000', '838:59:59.999999'],
      ]);
      assert.deepEqual(await rows(`SELECT id FROM ${table} WHERE t > '09:30:00' ORDER BY id`), [
        [2],
        [3],
        [4],
      ]);
      assert.deepEqual(
        await rows(`SELECT id FROM ${table} WHERE t BETWEEN '-2:00:00' AND '9:00' ORDER BY id`),
        [[1], [5]],
      );
      assert.deepEqual(
        await rows(
          `SELECT id, HOUR(t), MINUTE(t), SECOND(t), TIME_TO_SEC(t), ADDTIME(t, '01:00:00'), t + 0
             FROM ${table} ORDER BY id`,
        ),
        [
          [1, 1, 2, 3, -3723, '-00:02:03', -10203],
          [2, 838, 59, 59, 3020399, '838:59:59', 8385959],
          [3, 10, 0, 0, 36000, '11:00:00', 100000],
          [4, 100, 0, 0, 360000, '101:00:00', 1000000],
          [5, 9, 0, 0, 32400, '10:00:00', 90000],
        ],
      );
      assert.deepEqual(await rows(`SELECT t, COUNT(*) FROM ${table} GROUP BY t ORDER BY t`), [
        ['-01:02:03', 1],
        ['09:00:00', 1],
        ['10:00:00', 1],
        ['100:00:00', 1],
        ['838:59:59', 1],
      ]);
      // The binary protocol's TIME carries the sign and whole days.
      const [prepared] = await db.execute<RowDataPacket[]>(
        `SELECT t, t6 FROM ${table} WHERE id = ?`,
        [4],
      );
      assert.deepEqual(prepared, [{ t: '100:00:00', t6: '-838:59:59' }]);
    });
  }

  it('keeps the fractions of TIME(datetime) and casts strings to TIME', async () => {
    assert.deepEqual(
      await rows(
        `SELECT CAST('-12:00:00' AS TIME), CAST('838:00:00' AS TIME), TIME('2024-01-01 10:00:00.123456'),
           CAST(CAST('2024-01-01 10:00:00.123456' AS DATETIME(6)) AS TIME), CAST('25:00:00' AS TIME(1))`,
      ),
      [['-12:00:00', '838:00:00', '10:00:00.123456', '10:00:00', '25:00:00.0']],
    );
    await db.query('CREATE TABLE stamps (id INT PRIMARY KEY, at DATETIME(6))');
    await db.query("INSERT INTO stamps VALUES (1, '2024-01-01 10:00:00.123456')");
    assert.deepEqual(await rows('SELECT TIME(at) FROM stamps'), [['10:00:00.123456']]);
    assert.deepEqual(
      await rows("SELECT TIME_FORMAT('100:00:00', '%H:%i:%s'), TIME_FORMAT('-01:02:03', '%H.%i')"),
      [['100:00:00', '-01.02']],
    );
  });

  for (const kind of ['', 'ROWSTORE']) {
    it(`sorts ENUM by member position and types YEAR, ENUM and SET (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `kinds_${kind.toLowerCase() || 'column'}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, y YEAR, e ENUM('small','medium','large'), s SET('a','b','c'))`,
      );
      await db.query(
        `INSERT INTO ${table} VALUES (1, 2024, 'large', 'a,c'), (2, 1999, 'small', 'b'), (3, NULL, 'medium', '')`,
      );
      assert.deepEqual(await rows(`SELECT id, e FROM ${table} ORDER BY e`), [
        [2, 'small'],
        [3, 'medium'],
        [1, 'large'],
      ]);
      assert.deepEqual(await rows(`SELECT MIN(e), MAX(e) FROM ${table}`), [['large', 'small']]);
      // YEAR is type 13; ENUM and SET are STRING (254); MIN of an ENUM is a VARCHAR (253).
      assert.deepEqual(
        await types(`SELECT y, e, s, MIN(e) FROM ${table} GROUP BY y, e, s`),
        [13, 254, 254, 253],
      );
      await assert.rejects(db.query(`INSERT INTO ${table} VALUES (4, 2000, 'huge', 'a')`), {
        errno: 1265,
      });
    });
  }

  for (const kind of ['', 'ROWSTORE']) {
    it(`reads two-digit years and keeps YEAR and MEDIUMINT in their ranges (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `ranges_${kind.toLowerCase() || 'column'}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, y YEAR, mi MEDIUMINT, mu MEDIUMINT UNSIGNED)`,
      );
      await db.query(
        `INSERT INTO ${table} (id, y) VALUES (1, 0), (2, '0'), (3, '00'), (4, 1), (5, '69'), (6, 70), (7, '99'), (8, 1901), (9, 2155)`,
      );
      assert.deepEqual(await rows(`SELECT y FROM ${table} ORDER BY id`), [
        [0],
        [2000],
        [2000],
        [2001],
        [2069],
        [1970],
        [1999],
        [1901],
        [2155],
      ]);
      for (const bad of ['1900', '2156', '100'])
        await assert.rejects(db.query(`INSERT INTO ${table} (id, y) VALUES (10, ${bad})`), {
          errno: 1264,
        });
      await db.query(
        `INSERT INTO ${table} (id, mi, mu) VALUES (20, -8388608, 16777215), (21, 8388607, 0)`,
      );
      for (const bad of [
        'mi) VALUES (22, 8388608',
        'mu) VALUES (22, 16777216',
        'mu) VALUES (22, -1',
      ])
        await assert.rejects(db.query(`INSERT INTO ${table} (id, ${bad})`), { errno: 1264 });
      assert.deepEqual(await rows(`SELECT mi, mu FROM ${table} WHERE id >= 20 ORDER BY id`), [
        [-8388608, 16777215],
        [8388607, 0],
      ]);
      // MEDIUMINT is INT24 (type 9), 9 wide, 8 unsigned.
      const [, fields] = await db.query<RowDataPacket[]>(`SELECT mi, mu FROM ${table} LIMIT 1`);
      assert.deepEqual(
        fields.map((field: FieldPacket) => [field.columnType, field.columnLength]),
        [
          [9, 9],
          [9, 8],
        ],
      );
    });
  }

  for (const kind of ['', 'ROWSTORE']) {
    it(`notes 1265 when a DECIMAL drops non-zero digits (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `decimals_${kind.toLowerCase() || 'column'}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, d DECIMAL(5,2), u DECIMAL(5,0))`,
      );
      await db.query(
        `INSERT INTO ${table} VALUES (1, 1.230, 1.0), (2, 1.001, 1.4), (3, '12.345e1', '150e-2'), (4, -0.004, 7)`,
      );
      const [warnings] = await db.query<RowDataPacket[]>('SHOW WARNINGS');
      assert.deepEqual(
        warnings.map((warning): unknown[] => [
          warning['Level'],
          warning['Code'],
          warning['Message'],
        ]),
        [
          ['Note', 1265, "Data truncated for column 'd' at row 2"],
          ['Note', 1265, "Data truncated for column 'u' at row 2"],
          ['Note', 1265, "Data truncated for column 'u' at row 3"],
          ['Note', 1265, "Data truncated for column 'd' at row 4"],
        ],
      );
      assert.deepEqual(await rows(`SELECT d, u FROM ${table} ORDER BY id`), [
        ['1.23', '1'],
        ['1.00', '1'],
        ['123.45', '2'],
        ['0.00', '7'],
      ]);
    });
  }

  it('refuses a computed rowstore BIGINT UNSIGNED past 2^63 - 1 instead of rounding it', async () => {
    await db.query('CREATE ROWSTORE TABLE big_unsigned (id INT PRIMARY KEY, u BIGINT UNSIGNED)');
    await db.query(
      'INSERT INTO big_unsigned VALUES (1, 9223372036854775807), (2, 5000000000000000000)',
    );
    await assert.rejects(db.query('UPDATE big_unsigned SET u = u * 2 WHERE id = 2'), {
      errno: 1264,
    });
    assert.deepEqual(await rows('SELECT u FROM big_unsigned ORDER BY id'), [
      ['9223372036854775807'],
      ['5000000000000000000'],
    ]);
  });

  it('types string lengths, positions and session counters as MariaDB does', async () => {
    assert.deepEqual(
      await types(
        "SELECT LAST_INSERT_ID(), FOUND_ROWS(), LENGTH('abc'), CHAR_LENGTH('abc'), INSTR('abc', 'b'), LOCATE('b', 'abc')",
      ),
      [8, 8, 3, 3, 3, 3],
    );
  });
});
