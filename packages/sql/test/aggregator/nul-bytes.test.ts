/**
 * NUL bytes in SQL text reach both engines intact: string and hex literals holding them are
 * written so that neither DuckDB's nor SQLite's parser stops at the NUL (it used to fail with
 * "unterminated quoted string"); BLOB values compare with literals byte by byte.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('NUL bytes in literals', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE nul');
    await db.query('USE nul');
    await db.query('CREATE TABLE c (id INT PRIMARY KEY, s VARCHAR(10), b BLOB)');
    await db.query('CREATE ROWSTORE TABLE r (id INT PRIMARY KEY, s VARCHAR(10), b BLOB)');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const table of ['c', 'r']) {
    it(`stores, compares and returns them (${table === 'c' ? 'columnstore' : 'rowstore'})`, async () => {
      // The hex literal keeps this statement off the literal-rows fast path: the expression path.
      await db.query(
        `INSERT INTO ${table} VALUES (1, 'a\\0b', X'000100'), (2, CONCAT('\\0', 'z'), NULL)`,
      );
      // mysql2 writes the parameters into the text: 'a\0b' and X'0001'.
      await db.query(`INSERT INTO ${table} VALUES (?, ?, ?)`, [3, 'q\0', Buffer.from([0, 1])]);
      const [rows] = await db.query<RowDataPacket[]>(
        `SELECT id, HEX(s) AS s, HEX(b) AS b FROM ${table} ORDER BY id`,
      );
      assert.deepEqual(
        rows.map((row) => [row.id, row.s, row.b] as unknown[]),
        [
          [1, '610062', '000100'],
          [2, '007A', null],
          [3, '7100', '0001'],
        ],
      );
      const [found] = await db.query<RowDataPacket[]>(
        `SELECT id FROM ${table} WHERE s = 'a\\0b' OR b = X'0001' ORDER BY id`,
      );
      assert.deepEqual(
        found.map((row) => Number(row.id)),
        [1, 3],
      );
      // BLOBs compare with text byte by byte, in byte order (SQLite put every BLOB after text).
      const [ordered] = await db.query<RowDataPacket[]>(
        `SELECT id FROM ${table} WHERE b < X'0002' AND b >= '' ORDER BY id`,
      );
      assert.deepEqual(
        ordered.map((row) => Number(row.id)),
        [1, 3],
      );
    });
  }

  it('evaluates them in constant expressions', async () => {
    const [rows] = await db.query<RowDataPacket[]>(
      "SELECT HEX('x\\0y') AS a, LENGTH(X'0000') AS b, HEX(CONCAT(X'00', 'a')) AS c",
    );
    assert.deepEqual(rows[0], { a: '780079', b: 2, c: '0061' });
  });
});
