/**
 * BIT(n) columns on both storage engines through mysql2, and BIGINT UNSIGNED past 2^63 - 1:
 * a BIT column is sent as MariaDB sends it (type 16, length n, its value as ceil(n/8) bytes
 * most significant first, in text and binary results), stores numbers, bit and hex literals and
 * text bytes, refuses values past 2^n - 1 (1406), and is a number in arithmetic, comparisons,
 * BIN/HEX and ORDER BY. Rowstore tables refuse integers past 2^63 - 1, which SQLite cannot keep
 * exactly. Expected values are what MariaDB 10.11 answers to the same statements.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, FieldPacket, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('MySQL BIT columns', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown as unknown[][];
  };
  const fields = async (sql: string): Promise<[number, number, number][]> => {
    const [, list] = await db.query<RowDataPacket[]>(sql);
    return list.map((field: FieldPacket) => [
      field.columnType ?? -1,
      field.columnLength ?? -1,
      Number(field.flags),
    ]);
  };
  const hex = (value: string): Buffer => Buffer.from(value, 'hex');

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE bits PARTITIONS 4');
    await db.query('USE bits');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const kind of ['', 'ROWSTORE']) {
    const name = kind || 'COLUMNSTORE';
    const table = `bits_${kind.toLowerCase() || 'column'}`;

    it(`sends, stores and compares BIT values as MariaDB does (${name})`, async () => {
      await db.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, b BIT(10), b1 BIT)`);
      await db.query(
        `INSERT INTO ${table} VALUES (1, b'1010', 1), (2, 0b11, 0), (3, 1023, NULL), (4, 'a', 0), (5, x'0201', 1)`,
      );
      for (const [b, b1] of [
        ['1024', '0'],
        ['-1', '0'],
        ['0', '2'],
        ["'abc'", '0'],
      ])
        await assert.rejects(db.query(`INSERT INTO ${table} VALUES (9, ${b}, ${b1})`), {
          errno: 1406,
        });
      const expected = [
        [1, hex('000a'), hex('01')],
        [2, hex('0003'), hex('00')],
        [3, hex('03ff'), null],
        [4, hex('0061'), hex('00')],
        [5, hex('0201'), hex('01')],
      ];
      assert.deepEqual(await rows(`SELECT id, b, b1 FROM ${table} ORDER BY id`), expected);
      const [binary] = await db.execute<RowDataPacket[]>({
        sql: `SELECT id, b, b1 FROM ${table} WHERE id > ? ORDER BY id`,
        values: [0],
        rowsAsArray: true,
      });
      assert.deepEqual(binary, expected);
      // Type 16 (BIT), n long, UNSIGNED; `b + 0` is a BIGINT one digit longer.
      assert.deepEqual(await fields(`SELECT b, b1, b + 0, b1 + 0 FROM ${table}`), [
        [16, 10, 32],
        [16, 1, 32],
        [8, 11, 160],
        [3, 2, 160],
      ]);
      assert.deepEqual(
        await rows(`SELECT b + 0, BIN(b), HEX(b), OCT(b), b * 1 FROM ${table} ORDER BY id`),
        [
          [10, '1010', 'A', '12', 10],
          [3, '11', '3', '3', 3],
          [1023, '1111111111', '3FF', '1777', 1023],
          [97, '1100001', '61', '141', 97],
          [513, '1000000001', '201', '1001', 513],
        ],
      );
      assert.deepEqual(await rows(`SELECT id FROM ${table} ORDER BY b DESC`), [
        [3],
        [5],
        [4],
        [1],
        [2],
      ]);
      assert.deepEqual(await rows(`SELECT id FROM ${table} WHERE b > 3 ORDER BY id`), [
        [1],
        [3],
        [4],
        [5],
      ]);
      assert.deepEqual(await rows(`SELECT id FROM ${table} WHERE b = b'11'`), [[2]]);
      await db.query(`UPDATE ${table} SET b = b + 1000 WHERE id = 1`);
      assert.deepEqual(await rows(`SELECT b + 0 FROM ${table} WHERE id = 1`), [[1010]]);
    });
  }

  it('refuses BIGINT UNSIGNED and BIT(64) values past 2^63 - 1 on rowstore tables', async () => {
    await db.query('CREATE ROWSTORE TABLE wide_row (id INT PRIMARY KEY, u BIGINT UNSIGNED)');
    await db.query('CREATE TABLE wide_column (id INT PRIMARY KEY, u BIGINT UNSIGNED, b BIT(64))');
    await db.query('INSERT INTO wide_row VALUES (1, 9223372036854775807)');
    for (const statement of [
      'INSERT INTO wide_row VALUES (2, 18446744073709551615)',
      'UPDATE wide_row SET u = 9223372036854775808 WHERE id = 1',
    ])
      await assert.rejects(db.query(statement), { errno: 1235 });
    await db.query(
      'INSERT INTO wide_column VALUES (1, 18446744073709551615, 18446744073709551615)',
    );
    assert.deepEqual(await rows('SELECT u FROM wide_row'), [['9223372036854775807']]);
    assert.deepEqual(await rows('SELECT u, b FROM wide_column'), [
      ['18446744073709551615', hex('ffffffffffffffff')],
    ]);
  });
});
