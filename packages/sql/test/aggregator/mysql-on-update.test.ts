/**
 * ON UPDATE CURRENT_TIMESTAMP applied as MariaDB applies it, and SHOW CREATE TABLE's column
 * clauses as MariaDB 10.11 prints them. The expected values are what MariaDB 10.11 answered to
 * the same statements run side by side through mysql2 (timestamps compared with "now" and with
 * the fixed defaults, as the clock differs between runs).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('ON UPDATE CURRENT_TIMESTAMP and SHOW CREATE TABLE columns', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE stamps PARTITIONS 4');
    await db.query('USE stamps');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true });
    return result.map((row) => row.map((value) => (value === null ? null : Number(value))));
  };

  for (const kind of ['', 'ROWSTORE']) {
    const engine = kind || 'COLUMNSTORE';
    it(`stamps the rows that change, unless the statement assigns the column (${engine})`, async () => {
      const table = `st_${engine.toLowerCase()}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, a INT, s VARCHAR(10),
          ts TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00' ON UPDATE CURRENT_TIMESTAMP,
          d DATETIME(3) NULL ON UPDATE CURRENT_TIMESTAMP(3))`,
      );
      await db.query(
        `INSERT INTO ${table} (id, a, s) VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 3, 'c'),
          (4, 4, 'd'), (5, 5, 'e'), (6, 6, 'f'), (7, 7, 'g'), (8, 8, 'h')`,
      );
      // Unchanged row: keeps its timestamp.
      await db.query(`UPDATE ${table} SET a = 1 WHERE id = 1`);
      await db.query(`UPDATE ${table} SET a = 20 WHERE id = 2`);
      // The statement's own value wins.
      await db.query(`UPDATE ${table} SET a = 30, ts = '2001-01-01 00:00:00' WHERE id = 3`);
      // A change of case is a change.
      await db.query(`UPDATE ${table} SET s = 'D' WHERE id = 4`);
      await db.query(`INSERT INTO ${table} (id, a) VALUES (5, 5) ON DUPLICATE KEY UPDATE a = 5`);
      await db.query(
        `INSERT INTO ${table} (id, a) VALUES (6, 60) ON DUPLICATE KEY UPDATE a = VALUES(a)`,
      );
      // ORDER BY … LIMIT goes through the aggregator's row picking.
      await db.query(`UPDATE ${table} SET a = 80 ORDER BY id DESC LIMIT 1`);
      await db.query(`UPDATE ${table} SET a = 7 WHERE id = 7 ORDER BY id LIMIT 1`);
      assert.deepEqual(
        await rows(
          `SELECT id, ts = '2000-01-01 00:00:00', ts = '2001-01-01 00:00:00',
             ts >= NOW() - INTERVAL 1 MINUTE, d IS NULL, d >= NOW() - INTERVAL 1 MINUTE
           FROM ${table} ORDER BY id`,
        ),
        [
          [1, 1, 0, 0, 1, null],
          [2, 0, 0, 1, 0, 1],
          [3, 0, 1, 0, 0, 1],
          [4, 0, 0, 1, 0, 1],
          [5, 1, 0, 0, 1, null],
          [6, 0, 0, 1, 0, 1],
          [7, 1, 0, 0, 1, null],
          [8, 0, 0, 1, 0, 1],
        ],
      );
    });
  }

  it('shows column clauses as MariaDB 10.11 does', async () => {
    await db.query(
      `CREATE TABLE shown (id INT PRIMARY KEY, s VARCHAR(10), t TINYTEXT, m MEDIUMTEXT,
        b TINYBLOB, n TEXT NOT NULL, e TEXT DEFAULT 'x',
        ts TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
        t2 TIMESTAMP(6) DEFAULT NOW(6), t3 TIMESTAMP,
        u TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00' ON UPDATE CURRENT_TIMESTAMP,
        d DATETIME(3) NULL ON UPDATE CURRENT_TIMESTAMP(3), dt DATETIME DEFAULT now())`,
    );
    const [result] = await db.query<RowDataPacket[]>('SHOW CREATE TABLE shown');
    const text = String(result[0]?.['Create Table']);
    const columns = text.split('\n').filter((line) => line.startsWith('  `'));
    assert.deepEqual(columns, [
      '  `id` int(11) NOT NULL,',
      '  `s` varchar(10) DEFAULT NULL,',
      '  `t` tinytext DEFAULT NULL,',
      '  `m` mediumtext DEFAULT NULL,',
      '  `b` tinyblob DEFAULT NULL,',
      '  `n` text NOT NULL,',
      "  `e` text DEFAULT 'x',",
      '  `ts` timestamp NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),',
      '  `t2` timestamp(6) NULL DEFAULT current_timestamp(6),',
      '  `t3` timestamp NULL DEFAULT NULL,',
      "  `u` timestamp NOT NULL DEFAULT '2000-01-01 00:00:00' ON UPDATE current_timestamp(),",
      '  `d` datetime(3) DEFAULT NULL ON UPDATE current_timestamp(3),',
      '  `dt` datetime DEFAULT current_timestamp(),',
    ]);
    const [extras] = await db.query<RowDataPacket[]>({
      sql: "SELECT COLUMN_NAME, EXTRA FROM information_schema.COLUMNS WHERE TABLE_NAME = 'shown' AND EXTRA <> '' ORDER BY ORDINAL_POSITION",
      rowsAsArray: true,
    });
    assert.deepEqual(extras, [
      ['ts', 'on update current_timestamp()'],
      ['u', 'on update current_timestamp()'],
      ['d', 'on update current_timestamp(3)'],
    ]);
    const [described] = await db.query<RowDataPacket[]>({
      sql: 'SHOW COLUMNS FROM shown',
      rowsAsArray: true,
    });
    assert.equal(described.find((row) => row[0] === 'd')?.[5], 'on update current_timestamp(3)');
    // The text reads back: the same statement re-creates the table.
    await db.query('DROP TABLE shown');
    await db.query(text);
    const [again] = await db.query<RowDataPacket[]>('SHOW CREATE TABLE shown');
    assert.equal(again[0]?.['Create Table'], text);
  });
});
