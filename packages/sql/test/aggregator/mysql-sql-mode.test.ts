/**
 * sql_mode without STRICT_TRANS_TABLES: values that do not fit their column are adjusted with a
 * warning in INSERT and UPDATE; strict mode refuses them (UPDATE only when a row matches), and
 * INSERT IGNORE adjusts them in strict mode too; strict mode's 1366/1292 name `db`.`t`.`c`. The expected rows, counts, warnings and
 * errors are what MariaDB 10.11 answered to the same statements through mysql2.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('sql_mode', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE modes PARTITIONS 4');
    await db.query('USE modes');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const write = async (sql: string): Promise<[number, number, string]> => {
    const [result] = await db.query<ResultSetHeader>(sql);
    return [result.affectedRows, result.warningStatus, result.info];
  };
  const warnings = async (): Promise<unknown[][]> => {
    const [rows] = await db.query<RowDataPacket[]>({ sql: 'SHOW WARNINGS', rowsAsArray: true });
    return rows as unknown[][];
  };
  const errno = async (sql: string): Promise<number | undefined> => {
    try {
      await db.query(sql);
      return undefined;
    } catch (error) {
      return (error as { errno?: number }).errno;
    }
  };

  for (const kind of ['', 'ROWSTORE']) {
    const engine = kind || 'COLUMNSTORE';
    it(`adjusts values without strict mode (${engine})`, async () => {
      const table = `nm_${engine.toLowerCase()}`;
      await db.query("SET sql_mode = ''");
      const [[mode]] = await db.query<RowDataPacket[]>({
        sql: 'SELECT @@sql_mode',
        rowsAsArray: true,
      });
      assert.deepEqual(mode, ['']);
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, t TINYINT, u TINYINT UNSIGNED, i INT, s VARCHAR(3), c CHAR(2), d DECIMAL(5,2), f DOUBLE)`,
      );
      const w = (code: number, message: string): unknown[] => ['Warning', code, message];
      assert.deepEqual(await write(`INSERT INTO ${table} (id, t) VALUES (1, 300)`), [1, 1, '']);
      assert.deepEqual(await warnings(), [w(1264, "Out of range value for column 't' at row 1")]);
      assert.deepEqual(await write(`INSERT INTO ${table} (id, u, i) VALUES (2, -5, 'abc')`), [
        1,
        2,
        '',
      ]);
      assert.deepEqual(await warnings(), [
        w(1264, "Out of range value for column 'u' at row 1"),
        w(1366, `Incorrect integer value: 'abc' for column \`modes\`.\`${table}\`.\`i\` at row 1`),
      ]);
      assert.deepEqual(await write(`INSERT INTO ${table} (id, s, c) VALUES (3, 'abcdef', 'xyz')`), [
        1,
        2,
        '',
      ]);
      assert.deepEqual(await warnings(), [
        w(1265, "Data truncated for column 's' at row 1"),
        w(1265, "Data truncated for column 'c' at row 1"),
      ]);
      assert.deepEqual(await write(`INSERT INTO ${table} (id, d, f) VALUES (4, 12345.678, 'x1')`), [
        1,
        2,
        '',
      ]);
      assert.deepEqual(await write(`INSERT INTO ${table} (id, i) VALUES (5, '12abc')`), [1, 1, '']);
      assert.deepEqual(await warnings(), [w(1265, "Data truncated for column 'i' at row 1")]);
      assert.deepEqual(
        await write(`INSERT INTO ${table} (id, t, s) VALUES (6, 1000, 'abcd'), (7, -1000, 'ab')`),
        [2, 3, 'Records: 2  Duplicates: 0  Warnings: 3'],
      );
      assert.deepEqual(await write(`UPDATE ${table} SET t = 500 WHERE id = 1`), [
        1,
        1,
        'Rows matched: 1  Changed: 0  Warnings: 1',
      ]);
      assert.deepEqual(await write(`UPDATE ${table} SET s = 'toolong' WHERE id < 3`), [
        2,
        2,
        'Rows matched: 2  Changed: 2  Warnings: 2',
      ]);
      assert.deepEqual(await warnings(), [
        w(1265, "Data truncated for column 's' at row 1"),
        w(1265, "Data truncated for column 's' at row 2"),
      ]);
      assert.deepEqual(await write(`UPDATE ${table} SET i = 'zz' WHERE id = 3`), [
        1,
        1,
        'Rows matched: 1  Changed: 1  Warnings: 1',
      ]);
      assert.deepEqual(await warnings(), [
        w(1366, `Incorrect integer value: 'zz' for column \`modes\`.\`${table}\`.\`i\` at row 1`),
      ]);
      const [rows] = await db.query<RowDataPacket[]>({
        sql: `SELECT * FROM ${table} ORDER BY id`,
        rowsAsArray: true,
      });
      assert.deepEqual(rows, [
        [1, 127, null, null, 'too', null, null, null],
        [2, null, 0, 0, 'too', null, null, null],
        [3, null, null, 0, 'abc', 'xy', null, null],
        [4, null, null, null, null, null, '999.99', 0],
        [5, null, null, 12, null, null, null, null],
        [6, 127, null, null, 'abc', null, null, null],
        [7, -128, null, null, 'ab', null, null, null],
      ]);
      // Strict mode refuses the same values; an UPDATE that matches no row is not refused.
      await db.query("SET sql_mode = 'STRICT_TRANS_TABLES'");
      assert.equal(await errno(`INSERT INTO ${table} (id, t) VALUES (10, 300)`), 1264);
      assert.equal(await errno(`UPDATE ${table} SET s = 'toolong' WHERE id = 1`), 1406);
      assert.deepEqual(await write(`UPDATE ${table} SET t = 1000 WHERE id = 99`), [
        0,
        0,
        'Rows matched: 0  Changed: 0  Warnings: 0',
      ]);
      await db.query('SET sql_mode = DEFAULT');
    });

    it(`names the table in strict mode's 1366 and 1292 errors (${engine})`, async () => {
      const table = `sn_${engine.toLowerCase()}`;
      await db.query("SET sql_mode = 'STRICT_TRANS_TABLES'");
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, i INT, d DATE, v VARCHAR(10))`,
      );
      await db.query(`CREATE TEMPORARY ${kind} TABLE tmp_${table} (id INT PRIMARY KEY, i INT)`);
      const failure = async (sql: string): Promise<string> => {
        try {
          await db.query(sql);
          return 'no error';
        } catch (error) {
          const { errno, message } = error as { errno?: number; message?: string };
          return `${String(errno)} ${String(message)}`;
        }
      };
      const at = (column: string, into = table): string => `\`modes\`.\`${into}\`.\`${column}\``;
      assert.equal(
        await failure(`INSERT INTO ${table} VALUES (1, 1, '2020-01-01', 'a'), (2, 'x', NULL, 'b')`),
        `1366 Incorrect integer value: 'x' for column ${at('i')} at row 2`,
      );
      assert.equal(
        await failure(`INSERT INTO ${table} VALUES (1, 1, '2020-13-01', 'a')`),
        `1292 Incorrect date value: '2020-13-01' for column ${at('d')} at row 1`,
      );
      assert.equal(
        await failure(`INSERT INTO tmp_${table} VALUES (1, 'y')`),
        `1366 Incorrect integer value: 'y' for column ${at('i', `tmp_${table}`)} at row 1`,
      );
      await db.query(`INSERT INTO ${table} VALUES (1, 1, '2020-01-01', 'abc')`);
      assert.equal(
        await failure(`UPDATE ${table} SET i = 'zz' WHERE id = 1`),
        `1366 Incorrect integer value: 'zz' for column ${at('i')} at row 1`,
      );
      if (kind === '') {
        // A columnstore ALTER checks every partition first (MariaDB: a DATE fails as datetime).
        assert.equal(
          await failure(`ALTER TABLE ${table} MODIFY v DATE`),
          `1292 Incorrect datetime value: 'abc' for column ${at('v')} at row 1`,
        );
        assert.equal(
          await failure(`ALTER TABLE ${table} MODIFY v TIME`),
          `1292 Incorrect time value: 'abc' for column ${at('v')} at row 1`,
        );
        assert.equal(
          await failure(`ALTER TABLE ${table} MODIFY v YEAR`),
          `1366 Incorrect integer value: 'abc' for column ${at('v')} at row 1`,
        );
      }
    });

    it(`adjusts values under INSERT IGNORE in strict mode (${engine})`, async () => {
      const table = `ig_${engine.toLowerCase()}`;
      await db.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, t TINYINT, s VARCHAR(3))`);
      assert.deepEqual(await write(`INSERT IGNORE INTO ${table} VALUES (1, 300, 'abcdef')`), [
        1,
        2,
        '',
      ]);
      assert.deepEqual(await warnings(), [
        ['Warning', 1264, "Out of range value for column 't' at row 1"],
        ['Warning', 1265, "Data truncated for column 's' at row 1"],
      ]);
      const [rows] = await db.query<RowDataPacket[]>({
        sql: `SELECT * FROM ${table}`,
        rowsAsArray: true,
      });
      assert.deepEqual(rows, [[1, 127, 'abc']]);
    });
  }
});
