/**
 * UPDATE and INSERT … ON DUPLICATE KEY UPDATE with values computed from columns, on both
 * storage engines of a 4-partition database: strict mode refuses a value that does not fit
 * (1264, 1406, 1365) and changes no row on any partition; without STRICT_TRANS_TABLES the
 * values are clamped, cut or NULL with MariaDB's warnings. The expected values are what
 * MariaDB 10.11 answered to the same statements through mysql2. MariaDB names the row it was
 * reading in an error (`at row 2`); the partitions do not number rows, so only the text
 * before the number is compared.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

type Answer = [number, string, [string, number, string][]];

describe('UPDATE with values computed from columns', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE computed PARTITIONS 4');
    await db.query('USE computed');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  /** Affected rows (matched: mysql2 sets CLIENT_FOUND_ROWS), info and SHOW WARNINGS. */
  const answer = async (sql: string): Promise<Answer> => {
    const [result] = await db.query<ResultSetHeader>(sql);
    const [warnings] = await db.query<RowDataPacket[]>({ sql: 'SHOW WARNINGS', rowsAsArray: true });
    return [result.affectedRows, result.info, warnings as unknown as Answer[2]];
  };

  const refused = async (sql: string, errno: number, message: RegExp): Promise<void> => {
    await assert.rejects(db.query(sql), (error: { errno?: number; message?: string }) => {
      assert.equal(error.errno, errno, sql);
      assert.match(error.message ?? '', message, sql);
      return true;
    });
  };

  const rows = async (table: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[]>({
      sql: `SELECT * FROM ${table} ORDER BY id`,
      rowsAsArray: true,
    });
    return result as unknown as unknown[][];
  };

  for (const kind of ['', 'ROWSTORE']) {
    const engine = kind || 'COLUMNSTORE';
    const table = `t_${engine.toLowerCase()}`;

    it(`refuses values that do not fit in strict mode, changing nothing (${engine})`, async () => {
      await db.query('SET sql_mode = DEFAULT');
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, a TINYINT, s VARCHAR(5), d DECIMAL(5,2), c CHAR(3))`,
      );
      await db.query(
        `INSERT INTO ${table} VALUES (1, 1, 'abc', 99.5, 'ab'), (2, 2, 'ab', 1.5, 'x'), (3, NULL, NULL, NULL, NULL)`,
      );
      // Row 1 fits (100), row 2 does not (200): neither changes.
      await refused(
        `UPDATE ${table} SET a = a * 100`,
        1264,
        /^Out of range value for column 'a' at row \d+$/,
      );
      await refused(
        `UPDATE ${table} SET s = CONCAT(s, 'xyz')`,
        1406,
        /^Data too long for column 's' at row \d+$/,
      );
      assert.deepEqual(await answer(`UPDATE ${table} SET d = d * 10`), [
        3,
        'Rows matched: 3  Changed: 2  Warnings: 0',
        [],
      ]);
      for (const operator of ['/', 'DIV', 'MOD'])
        await refused(`UPDATE ${table} SET a = a ${operator} 0`, 1365, /^Division by 0$/);
      await refused(
        `UPDATE ${table} SET c = CONCAT(c, 'zz')`,
        1406,
        /^Data too long for column 'c'/,
      );
      assert.deepEqual(await rows(table), [
        [1, 1, 'abc', '995.00', 'ab'],
        [2, 2, 'ab', '15.00', 'x'],
        [3, null, null, null, null],
      ]);
      // NULL / 0 is NULL without an error.
      assert.deepEqual(await answer(`UPDATE ${table} SET a = a / 0 WHERE id = 3`), [
        1,
        'Rows matched: 1  Changed: 0  Warnings: 0',
        [],
      ]);
      await db.query(`UPDATE ${table} SET a = 127 WHERE id = 1`);
      await refused(`UPDATE ${table} SET a = a + 1`, 1264, /^Out of range value for column 'a'/);
      await refused(
        `UPDATE ${table} SET a = a - 1, s = CONCAT(s, 'x'), d = d * 2, c = CONCAT(c, ' ')`,
        1264,
        /^Out of range value for column 'd'/,
      );
      assert.deepEqual(await rows(table), [
        [1, 127, 'abc', '995.00', 'ab'],
        [2, 2, 'ab', '15.00', 'x'],
        [3, null, null, null, null],
      ]);
      // UPDATE IGNORE adjusts and warns as the non-strict modes do.
      assert.deepEqual(await answer(`UPDATE IGNORE ${table} SET a = a * 2, s = CONCAT(s, 'yy')`), [
        3,
        'Rows matched: 3  Changed: 2  Warnings: 1',
        [['Warning', 1264, "Out of range value for column 'a' at row 1"]],
      ]);
      assert.deepEqual(await rows(table), [
        [1, 127, 'abcyy', '995.00', 'ab'],
        [2, 4, 'abyy', '15.00', 'x'],
        [3, null, null, null, null],
      ]);
    });

    it(`adjusts values with warnings without strict mode (${engine})`, async () => {
      await db.query("SET sql_mode = ''");
      try {
        assert.deepEqual(await answer(`UPDATE ${table} SET a = a * 100`), [
          3,
          'Rows matched: 3  Changed: 1  Warnings: 2',
          [
            ['Warning', 1264, "Out of range value for column 'a' at row 1"],
            ['Warning', 1264, "Out of range value for column 'a' at row 2"],
          ],
        ]);
        assert.deepEqual(await answer(`UPDATE ${table} SET s = CONCAT(s, 'xyz')`), [
          3,
          'Rows matched: 3  Changed: 1  Warnings: 2',
          [
            ['Warning', 1265, "Data truncated for column 's' at row 1"],
            ['Warning', 1265, "Data truncated for column 's' at row 2"],
          ],
        ]);
        assert.deepEqual(await answer(`UPDATE ${table} SET d = d * 10`), [
          3,
          'Rows matched: 3  Changed: 2  Warnings: 1',
          [['Warning', 1264, "Out of range value for column 'd' at row 1"]],
        ]);
        assert.deepEqual(await answer(`UPDATE ${table} SET a = a / 0`), [
          3,
          'Rows matched: 3  Changed: 2  Warnings: 0',
          [],
        ]);
        assert.deepEqual(await rows(table), [
          [1, null, 'abcyy', '999.99', 'ab'],
          [2, null, 'abyyx', '150.00', 'x'],
          [3, null, null, null, null],
        ]);
        await db.query("SET sql_mode = 'ERROR_FOR_DIVISION_BY_ZERO'");
        await db.query(`UPDATE ${table} SET a = 4 WHERE id = 1`);
        assert.deepEqual(await answer(`UPDATE ${table} SET a = a / 0`), [
          3,
          'Rows matched: 3  Changed: 1  Warnings: 1',
          [['Warning', 1365, 'Division by 0']],
        ]);
      } finally {
        await db.query('SET sql_mode = DEFAULT');
      }
    });

    it(`checks ON DUPLICATE KEY UPDATE values computed from columns (${engine})`, async () => {
      const upserted = `u_${engine.toLowerCase()}`;
      await db.query(
        `CREATE ${kind} TABLE ${upserted} (id INT PRIMARY KEY, a TINYINT, s VARCHAR(3))`,
      );
      await db.query(`INSERT INTO ${upserted} VALUES (1, 100, 'a')`);
      const upsert = `INSERT INTO ${upserted} (id, a) VALUES (1, 5) ON DUPLICATE KEY UPDATE`;
      await refused(`${upsert} a = a * 100`, 1264, /^Out of range value for column 'a'/);
      await refused(`${upsert} s = CONCAT(s, 'abcd')`, 1406, /^Data too long for column 's'/);
      await refused(`${upsert} a = a / 0`, 1365, /^Division by 0$/);
      const [result] = await db.query<ResultSetHeader>(`${upsert} a = VALUES(a) + a`);
      assert.equal(result.affectedRows, 2);
      assert.deepEqual(await rows(upserted), [[1, 105, 'a']]);
      await db.query("SET sql_mode = ''");
      try {
        // MariaDB also warns (1264, 1265) here; the values are the same.
        await db.query(`${upsert} a = a * 100, s = CONCAT(s, 'abcd')`);
      } finally {
        await db.query('SET sql_mode = DEFAULT');
      }
      assert.deepEqual(await rows(upserted), [[1, 127, 'aab']]);
    });
  }
});
