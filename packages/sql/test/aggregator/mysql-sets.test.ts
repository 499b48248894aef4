/**
 * MAKE_SET and EXPORT_SET on constants and on both storages' rows: bits of numbers (rounded),
 * of text (its leading integer, with MariaDB's 1292 warning), NULL strings left out, the bit
 * count clamped to 64, and the VARCHAR lengths MariaDB gives them. Every expected value,
 * warning and length is what MariaDB 10.11 answered to the same statements through mysql2.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, FieldPacket, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const Y_N_64 = `Y,N,Y${',N'.repeat(61)}`;

describe('MAKE_SET and EXPORT_SET as MariaDB answers them', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE sets PARTITIONS 4');
    await db.query('USE sets');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const query = async (sql: string): Promise<{ rows: unknown[][]; fields: FieldPacket[] }> => {
    const [rows, fields] = await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true });
    return { rows, fields };
  };

  const warnings = async (): Promise<unknown[][]> => (await query('SHOW WARNINGS')).rows;

  it('answers constant arguments as MariaDB does', async () => {
    const made = await query(
      `SELECT MAKE_SET(1, 'a', 'b', 'c'), MAKE_SET(5, 'a', 'b', 'c'), MAKE_SET(0, 'a'),
         MAKE_SET(NULL, 'a'), MAKE_SET(3, NULL, 'b'), MAKE_SET(7, 'a', NULL, 'c'),
         MAKE_SET(-1, 'a', 'b'), MAKE_SET(1.5, 'a', 'b'), MAKE_SET('3', 'a', 'b'),
         MAKE_SET(1 | 4, 'hello', 'nice', 'world'), MAKE_SET(18446744073709551615, 'a')`,
    );
    assert.deepEqual(made.rows, [
      ['a', 'a,c', '', null, 'b', 'a,c', 'a,b', 'b', 'a,b', 'hello,world', 'a'],
    ]);
    // Characters: the strings and the commas between them (utf8mb4: 4 bytes each).
    assert.deepEqual(made.fields.map((f) => [f.columnType, f.columnLength]).slice(0, 3), [
      [253, 20],
      [253, 20],
      [253, 4],
    ]);
    const exported = await query(
      `SELECT EXPORT_SET(5, 'Y', 'N', ',', 4), EXPORT_SET(5, 'Y', 'N'), EXPORT_SET(6, '1', '0', '', 10),
         EXPORT_SET(NULL, 'Y', 'N'), EXPORT_SET(5, NULL, 'N'), EXPORT_SET(5, 'Y', 'N', NULL),
         EXPORT_SET(5, 'Y', 'N', ',', NULL), EXPORT_SET(5, 'Y', 'N', ',', 0),
         EXPORT_SET(5, 'Y', 'N', ',', -1), EXPORT_SET(5, 'Y', 'N', ',', 65),
         EXPORT_SET(-1, 'a', 'b', '', 3), EXPORT_SET(1.5, 'a', 'b', '', 3),
         EXPORT_SET(5, 'on', 'off', ' | ', 3)`,
    );
    assert.deepEqual(exported.rows, [
      [
        'Y,N,Y,N',
        Y_N_64,
        '0110000000',
        null,
        null,
        null,
        null,
        '',
        Y_N_64,
        Y_N_64,
        'aaa',
        'bab',
        'on | off | on',
      ],
    ]);
    // 64 words and 63 separators: 64 * 1 + 63 * 1, and 64 * 3 + 63 * 3.
    assert.deepEqual(
      [exported.fields[0]?.columnLength, exported.fields[12]?.columnLength],
      [127 * 4, 381 * 4],
    );
    await assert.rejects(
      db.query('SELECT MAKE_SET(1)'),
      (error: { errno?: number }) => error.errno === 1582,
    );
    await assert.rejects(
      db.query("SELECT EXPORT_SET(1, 'a')"),
      (error: { errno?: number }) => error.errno === 1582,
    );
  });

  it('warns when the bits are text that is no integer', async () => {
    assert.deepEqual(
      (await query("SELECT MAKE_SET('x', 'a'), EXPORT_SET('x', 'a', 'b', '', 3)")).rows,
      [['', 'bbb']],
    );
    assert.deepEqual(await warnings(), [
      ['Warning', 1292, "Truncated incorrect INTEGER value: 'x'"],
      ['Warning', 1292, "Truncated incorrect INTEGER value: 'x'"],
    ]);
  });

  for (const kind of ['', 'ROWSTORE']) {
    it(`answers column arguments as MariaDB does (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `sets_${(kind || 'columnstore').toLowerCase()}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, i INT, u INT UNSIGNED, bi BIGINT, s VARCHAR(20), c CHAR(5), y YEAR)`,
      );
      await db.query(
        `INSERT INTO ${table} VALUES (1, 5, 7, 9000000000, 'hello', 'ab', 2024),
           (2, -3, 0, -1, 'Wörld ', 'z', 1999), (3, NULL, NULL, NULL, NULL, NULL, NULL),
           (4, 0, 4294967295, 9223372036854775807, '12abc', '', 0)`,
      );
      assert.deepEqual(
        (
          await query(
            `SELECT MAKE_SET(i, s, c, 'z'), EXPORT_SET(i, 'Y', 'N', '', 8), MAKE_SET(u, 'a', 'b'),
               EXPORT_SET(bi, s, c, '|', 4) FROM ${table} ORDER BY id`,
          )
        ).rows,
        [
          ['hello,z', 'YNYNNNNN', 'a,b', 'ab|ab|ab|ab'],
          ['Wörld ,z', 'YNYYYYYY', '', 'Wörld |Wörld |Wörld |Wörld '],
          [null, null, null, null],
          ['', 'NNNNNNNN', 'a,b', '12abc|12abc|12abc|12abc'],
        ],
      );
    });
  }
});
