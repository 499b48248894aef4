/**
 * DATETIME/TIMESTAMP columns with fractional seconds compared with constants (=, IN, BETWEEN,
 * <=, >): SQLite keeps such a value as text with exactly the column's digits
 * ('2024-01-01 10:00:00.000'), so a constant is written with the same digits
 * (`dialect/compare.ts` storedDateTimeText) — `d = '2024-01-01 10:00:00'` found no row on a
 * rowstore DATETIME(3) — and of two columns the one with fewer digits gets the missing zeros
 * (`d = d0` of a DATETIME(3) and a DATETIME). Both storages; the expected ids are MariaDB 10.11's answers to the same
 * statements on the same rows.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

/** Each condition with the ids MariaDB 10.11 returned. */
const CASES: [string, number[]][] = [
  ["d = '2024-01-01 10:00:00'", [1]],
  ["d = '2024-01-01 10:00:00.500'", [2]],
  ["d = '2024-01-01 10:00:00.5'", [2]],
  ["t = '2024-01-01 10:00:00'", [1]],
  ["d0 = '2024-01-01 10:00:00.000'", [1, 2]],
  ["d IN ('2024-01-01 10:00:00', '2024-01-01 10:00:00.50')", [1, 2]],
  ["d BETWEEN '2024-01-01 10:00:00' AND '2024-01-01 10:00:00'", [1]],
  ["d <= '2024-01-01 10:00:00'", [1]],
  ["d > '2024-01-01 10:00:00.4999'", [2]],
  ["d = '2024-01-01 10:00:00.5001'", []],
  ["d = '2024-01-01'", []],
  ["d >= '2024-01-01'", [1, 2]],
  ["'2024-01-01 10:00:00.5' = d", [2]],
  ["t <> '2024-01-01 10:00:00'", [2]],
  // Columns of different digits compare as values too.
  ['d = d0', [1]],
  ['d0 < d', [2]],
  ['d <= d0', [1]],
  ['t = d', [1, 2]],
];

describe('fractional DATETIME and TIMESTAMP columns compared with constants', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE frac');
    await db.query('USE frac');
    for (const kind of ['ROWSTORE', '']) {
      const name = kind === '' ? 'c' : 'r';
      await db.query(
        `CREATE ${kind} TABLE ${name} (id INT PRIMARY KEY, d DATETIME(3), t TIMESTAMP(3) NULL, d0 DATETIME)`,
      );
      await db.query(
        `INSERT INTO ${name} VALUES (1, '2024-01-01 10:00:00', '2024-01-01 10:00:00', '2024-01-01 10:00:00'),
         (2, '2024-01-01 10:00:00.5', '2024-01-01 10:00:00.5', '2024-01-01 10:00:00')`,
      );
    }
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const table of ['r', 'c']) {
    it(`answers as MariaDB on ${table === 'r' ? 'rowstore' : 'columnstore'}`, async () => {
      for (const [condition, expected] of CASES) {
        const [rows] = await db.query<RowDataPacket[]>(
          `SELECT id FROM ${table} WHERE ${condition} ORDER BY id`,
        );
        assert.deepEqual(
          rows.map((row) => row['id'] as number),
          expected,
          condition,
        );
      }
    });
  }
});
