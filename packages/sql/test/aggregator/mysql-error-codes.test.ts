/**
 * Error numbers of mistakes MySQL clients make, as MariaDB 10.11 answers them (checked side by
 * side with the throwaway server of bench/sql): each refused statement changes nothing and the
 * connection stays usable.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('MySQL error codes', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE mistakes PARTITIONS 2');
    await db.query('USE mistakes');
    await db.query('CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(5))');
    await db.query("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const cases: readonly [string, number][] = [
    // An unknown grouping column is reported before any ONLY_FULL_GROUP_BY check.
    ['SELECT id FROM t GROUP BY nosuch', 1054],
    ['SELECT t.id FROM t JOIN t ON 1 = 1', 1066],
    ['SELECT * FROM t WHERE id IN (SELECT id, v FROM t)', 1241],
    ['ALTER TABLE t DROP COLUMN nosuch', 1091],
    ["SET sql_mode = 'NOT_A_MODE'", 1231],
    ['SET autocommit = 5', 1231],
    ['SET sql_notes = NULL', 1231],
    // Named zones need time zone tables; offsets run from -12:59 to +13:00.
    ["SET time_zone = 'Europe/Berlin'", 1298],
    ["SET time_zone = '-13:00'", 1298],
    ["SET time_zone = ' +01:00'", 1298],
    ['SET time_zone = 5', 1232],
    ['SET time_zone = NULL', 1231],
    // utf8mb4: at most 16,383 characters (MariaDB's message with that charset).
    ['CREATE TABLE big (v VARCHAR(70000))', 1074],
    ['ALTER TABLE t ADD COLUMN w VARCHAR(16384)', 1074],
    ['CREATE TABLE wide (d DECIMAL(70, 2))', 1426],
    ['SELECT id FROM t UNION SELECT id, v FROM t', 1222],
    ['SELECT SUM(SUM(id)) FROM t', 1111],
    ['SELECT id FROM t WHERE SUM(id) > 1', 1111],
    // A HAVING without grouping reads the select list only.
    ['SELECT id FROM t HAVING v > 1', 1054],
    ["CREATE TABLE bad_default (x INT DEFAULT 'abc')", 1067],
    ["SELECT 'a' REGEXP '('", 1139],
    // The server reads and writes no files of its own (@@secure_file_priv is NULL).
    ["LOAD DATA INFILE '/etc/hostname' INTO TABLE t", 1290],
    ["SELECT id FROM t INTO OUTFILE '/tmp/exo-never-written.txt'", 1290],
    ["SELECT id FROM t LIMIT 1 INTO DUMPFILE '/tmp/exo-never-written.bin'", 1290],
    // Read-only and unknown variables answer the same in either scope, as in MariaDB.
    ["SET GLOBAL version = 'x'", 1238],
    ["SET GLOBAL secure_file_priv = '/tmp'", 1238],
    ['SET GLOBAL no_such_variable = 1', 1193],
  ];
  for (const [sql, errno] of cases) {
    it(`answers ${errno} to ${sql}`, async () => {
      await assert.rejects(db.query(sql), { errno });
      const [rows] = await db.query<RowDataPacket[]>({
        sql: 'SELECT id, v, @@autocommit, @@sql_mode LIKE "%STRICT_TRANS_TABLES%" FROM t ORDER BY id',
        rowsAsArray: true,
      });
      assert.deepEqual(rows, [
        [1, 'a', 1, 1],
        [2, 'b', 1, 1],
      ]);
    });
  }

  it('keeps an aggregate over an aggregate in a window and HAVING of selected columns', async () => {
    const [rows] = await db.query<RowDataPacket[]>({
      sql: 'SELECT SUM(SUM(id)) OVER () FROM t GROUP BY v ORDER BY 1',
      rowsAsArray: true,
    });
    assert.deepEqual(rows, [['3'], ['3']]);
    const [having] = await db.query<RowDataPacket[]>({
      sql: "SELECT id, v AS w FROM t HAVING w = 'b' AND id > 1",
      rowsAsArray: true,
    });
    assert.deepEqual(having, [[2, 'b']]);
    await assert.rejects(db.query('SELECT id FROM t HAVING v > 1'), {
      errno: 1054,
      message: "Unknown column 'v' in 'HAVING'",
    });
    await assert.rejects(db.query("GRANT SELECT ON mistakes.* TO 'nobody'@'%'"), {
      errno: 1133,
      message: "Can't find any matching row in the user table",
    });
  });

  it('stores sql_mode words upper case and on/off words as 0/1', async () => {
    await db.query("SET sql_mode = 'strict_trans_tables,no_zero_date', autocommit = 'on'");
    const [rows] = await db.query<RowDataPacket[]>({
      sql: 'SELECT @@sql_mode, @@autocommit',
      rowsAsArray: true,
    });
    assert.deepEqual(rows, [['STRICT_TRANS_TABLES,NO_ZERO_DATE', 1]]);
    await db.query('SET sql_mode = DEFAULT');
  });

  it('stores a time zone offset as +hh:mm and SYSTEM by that name', async () => {
    const zones: unknown[] = [];
    for (const zone of ['+2:00', '-00:00', '-12:59', '+13:00', 'system']) {
      await db.query('SET time_zone = ?', [zone]);
      const [rows] = await db.query<RowDataPacket[]>({
        sql: 'SELECT @@time_zone',
        rowsAsArray: true,
      });
      zones.push(rows[0]?.[0]);
    }
    assert.deepEqual(zones, ['+02:00', '+00:00', '-12:59', '+13:00', 'SYSTEM']);
  });
});
