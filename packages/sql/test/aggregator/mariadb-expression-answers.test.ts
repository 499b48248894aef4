/**
 * Values and column definitions of common expressions over a table's columns, on both storage
 * engines. Every expected value, type, length and decimals below is what MariaDB 10.11 answered
 * to the same statements over the same rows (run side by side through mysql2 with the
 * throwaway server of bench/sql), written in as it printed them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('expressions answered as MariaDB does', () => {
  let cluster: SqlCluster;
  let db: Connection;

  /** Rows as the text the server sent, and each column's type/length/decimals. */
  const answer = async (sql: string): Promise<{ rows: unknown[][]; fields: string[] }> => {
    const [rows, fields] = await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true });
    return {
      rows,
      fields: fields.map((field) => `${field.columnType}/${field.columnLength}/${field.decimals}`),
    };
  };
  const rowsOf = async (sql: string): Promise<unknown[][]> => (await answer(sql)).rows;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await createConnection({
      host: '127.0.0.1',
      port: cluster.port,
      user: 'root',
      charset: 'UTF8MB4_GENERAL_CI',
      typeCast: (field) => field.string('utf8'),
    });
    await db.query('CREATE DATABASE answers6 PARTITIONS 4');
    await db.query('USE answers6');
    for (const kind of ['COLUMNSTORE', 'ROWSTORE']) {
      const table = `t_${kind.toLowerCase()}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, i INT, b BIGINT, u TINYINT UNSIGNED, f DOUBLE, s VARCHAR(20), dt DATE, ts DATETIME, j JSON)`,
      );
      await db.query(
        `INSERT INTO ${table} VALUES (1, 5, 9000000000, 200, -0.125, 'Hello', '2024-02-29', '2024-02-29 13:45:07', '{"a": 1}'), (2, -3, 1, 3, 2.675, 'Ñandú', '1999-12-31', '2000-01-01 00:00:00', '"str"'), (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
      );
    }
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const table of ['t_columnstore', 't_rowstore']) {
    it(`reads UTF-8 text by bytes and huge lengths as MariaDB (${table})`, async () => {
      assert.deepEqual(
        await rowsOf(
          `SELECT ASCII(s), SPACE(u % 4), REPEAT('ab', u % 4) FROM ${table} ORDER BY id`,
        ),
        [
          ['72', '', ''],
          ['195', '   ', 'ababab'],
          [null, null, null],
        ],
      );
      assert.deepEqual(
        await rowsOf(
          `SELECT SUBSTRING(s, b), SUBSTRING(s, 2, b), LEFT(s, b), LPAD(s, b, 'x') FROM ${table} ORDER BY id`,
        ),
        [
          ['', 'ello', 'Hello', null],
          ['Ñandú', 'a', 'Ñ', 'Ñ'],
          [null, null, null, null],
        ],
      );
    });

    it(`unquotes JSON columns and mixes numbers with text as DOUBLE (${table})`, async () => {
      assert.deepEqual(await rowsOf(`SELECT JSON_UNQUOTE(j) FROM ${table} ORDER BY id`), [
        ['{"a": 1}'],
        ['str'],
        [null],
      ]);
      const mixed = await answer(
        `SELECT GREATEST('abc', i), LEAST(s, i, '2') FROM ${table} ORDER BY id`,
      );
      assert.deepEqual(mixed.rows, [
        ['5', '0'],
        ['0', '-3'],
        [null, null],
      ]);
      assert.deepEqual(mixed.fields, ['5/23/31', '5/23/31']);
    });

    it(`prints ROUND and TRUNCATE of DOUBLE with their digits (${table})`, async () => {
      const rounded = await answer(
        `SELECT ROUND(f, 2), ROUND(f), TRUNCATE(f, 1), ROUND(f, 3), CEIL(f), ROUND(f + 1e2, 4) FROM ${table} ORDER BY id`,
      );
      assert.deepEqual(rounded.rows, [
        ['-0.12', '0', '-0.1', '-0.125', '0', '99.8750'],
        ['2.68', '3', '2.6', '2.675', '3', '102.6750'],
        [null, null, null, null, null, null],
      ]);
      // Decimals as MariaDB sends them (lengths differ: 23 here, 17 to 21 in MariaDB).
      assert.deepEqual(
        rounded.fields.map((field) => field.split('/')[2]),
        ['2', '0', '1', '3', '0', '4'],
      );
      const spread = await answer(`SELECT STD(i), COUNT(*) FROM ${table}`);
      assert.deepEqual(spread.rows, [['4.0000', '3']]);
      assert.deepEqual(spread.fields, ['5/23/4', '8/21/0']);
    });

    it(`compares dates with numbers and with text as DATETIME (${table})`, async () => {
      assert.deepEqual(
        await rowsOf(
          `SELECT ts < '20240229', dt = '20240229', dt < 20240229, ts > 'HELLO', ts = 'HELLO', dt >= '2024-02-29 13:45:07', dt = '2024-02-29' FROM ${table} ORDER BY id`,
        ),
        [
          ['0', '1', '0', '1', '0', '0', '1'],
          ['1', '0', '1', '1', '0', '0', '0'],
          [null, null, null, null, null, null, null],
        ],
      );
    });

    it(`adds intervals as MariaDB does (${table})`, async () => {
      const added = await answer(
        `SELECT DATE_ADD(ts, INTERVAL '1.5' SECOND_MICROSECOND), DATE_ADD(dt, INTERVAL '1-2' YEAR_MONTH), dt + INTERVAL 1 MICROSECOND, DATE_SUB(ts, INTERVAL u MICROSECOND), WEEK(dt, 4) FROM ${table} ORDER BY id`,
      );
      assert.deepEqual(added.rows, [
        [
          '2024-02-29 13:45:08.500000',
          '2025-04-29',
          '2024-02-29 00:00:00.000001',
          '2024-02-29 13:45:06.999800',
          '9',
        ],
        [
          '2000-01-01 00:00:01.500000',
          '2001-02-28',
          '1999-12-31 00:00:00.000001',
          '1999-12-31 23:59:59.999997',
          '52',
        ],
        [null, null, null, null, null],
      ]);
      // Types and decimals as MariaDB's (WEEK is 2 wide there).
      assert.deepEqual(added.fields.slice(0, 4), ['12/26/6', '10/10/0', '12/26/6', '12/26/6']);
    });

    it(`sends decimals 39 for computed text and 0 for columns (${table})`, async () => {
      const text = await answer(
        `SELECT s, CONCAT(s, '!'), UPPER(s), DATE_FORMAT(dt, '%Y'), HEX(s), CAST(i AS CHAR) FROM ${table} ORDER BY id`,
      );
      assert.deepEqual(text.rows[1], ['Ñandú', 'Ñandú!', 'ÑANDÚ', '1999', 'C391616E64C3BA', '-3']);
      assert.deepEqual(
        text.fields.map((field) => field.split('/')[2]),
        ['0', '39', '39', '0', '0', '0'],
      );
      for (const sql of [
        `SELECT s FROM ${table} GROUP BY id ORDER BY id`,
        `SELECT x.s FROM (SELECT s FROM ${table}) x ORDER BY 1`,
        `SELECT s FROM ${table} UNION SELECT 'z' ORDER BY 1`,
        `SELECT DISTINCT s FROM ${table} ORDER BY 1`,
      ])
        assert.deepEqual((await answer(sql)).fields, ['253/80/0'], sql);
    });
  }
});
