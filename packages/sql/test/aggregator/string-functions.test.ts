/**
 * String functions as MariaDB 10.11 answers them, on constants and on both storages' rows:
 * SUBSTRING_INDEX and TRIM with a column for the delimiter, LOCATE with a start and INSERT over
 * NULL, UPPER/LOWER of non-ASCII letters (one character to one: 'ß' and 'ẞ' stay), CHAR of a
 * negative code as 32 bits, HEX of a DECIMAL or DOUBLE rounded and clamped. Every expected value
 * is what MariaDB answered to the same statements through mysql2.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('string functions as MariaDB answers them', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connectAsText();
    await db.query('CREATE DATABASE strfn');
    await db.query('USE strfn');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const rows = async (sql: string): Promise<unknown[][]> =>
    (await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true }))[0];

  it('hashes with SHA2 of every length, a NULL length as 256', async () => {
    assert.deepEqual(await rows(`SELECT SHA2('abc', 224), SHA2('abc', NULL), SHA2('abc', 1)`), [
      [
        '23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7',
        'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
        null,
      ],
    ]);
  });

  it('folds constants as MariaDB', async () => {
    assert.deepEqual(
      await rows(
        `SELECT UPPER('straße'), LOWER('STRAẞE'), HEX(1e20), HEX(-2.5), HEX(CHAR(-2)), SUBSTRING_INDEX('a,b', ',', -1)`,
      ),
      [['STRAßE', 'straẞe', 'FFFFFFFFFFFFFFFF', 'FFFFFFFFFFFFFFFD', 'FFFFFFFE', 'b']],
    );
  });

  for (const storage of ['COLUMNSTORE', 'ROWSTORE']) {
    it(`computes over columns (${storage})`, async () => {
      const table = `t_${storage.toLowerCase()}`;
      await db.query(
        `CREATE ${storage} TABLE ${table} (id INT PRIMARY KEY, s VARCHAR(50), s2 VARCHAR(50), n INT, d DECIMAL(10,3), f DOUBLE)`,
      );
      await db.query(
        `INSERT INTO ${table} VALUES (1, 'a,b,c,d', 'b', 3, 123.456, 2.5), (2, 'Hello World', 'o', -2, -45.678, -1.25),
           (3, '', NULL, 0, 0, 0), (4, 'héllo wörld', 'ö', 10, 9999999.999, 1e20)`,
      );
      assert.deepEqual(
        await rows(
          `SELECT SUBSTRING_INDEX(s, s2, n), TRIM(s2 FROM s), TRIM(LEADING s2 FROM 'bbab'), LOCATE(s2, s, 3),
             INSERT(s, n, 2, s2) FROM ${table} ORDER BY id`,
        ),
        [
          ['a,b,c,d', 'a,b,c,d', 'ab', '3', 'a,bc,d'],
          [' World', 'Hello World', 'bbab', '5', 'Hello World'],
          [null, null, null, null, null],
          ['héllo wörld', 'héllo wörld', 'bbab', '8', 'héllo wörö'],
        ],
      );
      assert.deepEqual(
        await rows(
          `SELECT UPPER(s), LOWER(UPPER(s)), UPPER(CONCAT(s, 'ß')), HEX(CHAR(n)), HEX(d), HEX(f), HEX(-f)
             FROM ${table} ORDER BY id`,
        ),
        [
          ['A,B,C,D', 'a,b,c,d', 'A,B,C,Dß', '03', '7B', '3', 'FFFFFFFFFFFFFFFD'],
          [
            'HELLO WORLD',
            'hello world',
            'HELLO WORLDß',
            'FFFFFFFE',
            'FFFFFFFFFFFFFFD2',
            'FFFFFFFFFFFFFFFF',
            '1',
          ],
          ['', '', 'ß', '00', '0', '0', '0'],
          [
            'HÉLLO WÖRLD',
            'héllo wörld',
            'HÉLLO WÖRLDß',
            '0A',
            '989680',
            'FFFFFFFFFFFFFFFF',
            'FFFFFFFFFFFFFFFF',
          ],
        ],
      );
    });
  }
});
