/**
 * ALTER TABLE … MODIFY / CHANGE / RENAME COLUMN changes what the engines enforce, as MariaDB
 * 10.11 does (the answers below were recorded from it for the same statements): a column made
 * nullable takes NULLs at once (the engines had kept NOT NULL), a widened integer takes values
 * of its new range (a rowstore table had kept the old range check, also for values computed on
 * the leaf), and a renamed column's range error names its new name. Both storages; the
 * rowstore's SQLite changes these only by rebuilding the table, and a later ALTER of the
 * rebuilt table must find its columns. ADD COLUMN … NOT NULL without a default gives existing
 * rows the implicit default (0, '', an ENUM's first member, 00:00:00, the zero date), and DROP
 * COLUMN keeps the other columns of a key it was part of. A shorter CHAR/VARCHAR refuses longer values in
 * strict mode (1265) and cuts them with warnings otherwise; a column turned from text into a
 * number reads the text as MySQL does (' 42 ' and '+5' are numbers, '0x7', '1e3'
 * and '' are not: 1292), and a number past the new type's range is 1264. Row numbers in these
 * errors count per partition (1 here where MariaDB may say 2).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { refusalOf } from '../support/refusals.js';

describe('ALTER TABLE changes the constraints the engines enforce', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const refusal = (sql: string): Promise<[unknown, unknown]> => refusalOf(db, sql);

  before(async () => {
    cluster = await startSqlCluster();
    db = await cluster.connect();
    await db.query('CREATE DATABASE altered PARTITIONS 2');
    await db.query('USE altered');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const kind of ['', 'ROWSTORE']) {
    it(`relaxes NOT NULL, widens integers and renames as MariaDB (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `nn_${(kind || 'columnstore').toLowerCase()}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, age INT UNSIGNED NOT NULL DEFAULT 0, t TINYINT)`,
      );
      await db.query(`INSERT INTO ${table} VALUES (9, 9, 1)`);
      await db.query(`ALTER TABLE ${table} MODIFY age INT UNSIGNED NULL`);
      await db.query(`INSERT INTO ${table} (id) VALUES (1)`);
      await db.query(`ALTER TABLE ${table} CHANGE age years SMALLINT UNSIGNED NULL, MODIFY t INT`);
      await db.query(`INSERT INTO ${table} VALUES (2, NULL, 1000)`);
      await db.query(`ALTER TABLE ${table} RENAME COLUMN years TO yrs`);
      await db.query(`INSERT INTO ${table} VALUES (3, 65535, 2)`);
      // Computed on the partition: the engine's own range is the new type's.
      await db.query(`UPDATE ${table} SET t = t + 1000 WHERE id = 9`);
      assert.deepEqual(await refusal(`UPDATE ${table} SET yrs = yrs + 1 WHERE id = 3`), [
        1264,
        "Out of range value for column 'yrs' at row 1",
      ]);
      const [rows] = await db.query<RowDataPacket[]>({
        sql: `SELECT id, yrs, t FROM ${table} ORDER BY id`,
        rowsAsArray: true,
      });
      assert.deepEqual(rows, [
        [1, null, null],
        [2, null, 1000],
        [3, 65535, 2],
        [9, 9, 1001],
      ]);
    });

    it(`fills NOT NULL columns added to rows and keeps keys' other columns (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `fill_${(kind || 'columnstore').toLowerCase()}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, k INT, n INT, KEY kk (k, n), KEY kn (n))`,
      );
      await db.query(`INSERT INTO ${table} VALUES (1, 2, 3), (2, 5, 6)`);
      await db.query(
        `ALTER TABLE ${table} ADD COLUMN z INT NOT NULL, ADD COLUMN w VARCHAR(5) NOT NULL, ADD COLUMN e ENUM('p', 'q') NOT NULL, ADD COLUMN t TIME NOT NULL`,
      );
      const [rows] = await db.query<RowDataPacket[]>({
        sql: `SELECT id, z, w, e, t FROM ${table} ORDER BY id`,
        rowsAsArray: true,
      });
      assert.deepEqual(rows, [
        [1, 0, '', 'p', '00:00:00'],
        [2, 0, '', 'p', '00:00:00'],
      ]);
      // Dates take the zero date, which IS NULL finds in a NOT NULL column (MariaDB).
      await db.query(
        `ALTER TABLE ${table} ADD COLUMN d DATE NOT NULL, ADD COLUMN dt DATETIME NOT NULL, ADD COLUMN ts TIMESTAMP NOT NULL`,
      );
      const [dated] = await db.query<RowDataPacket[]>({
        sql: `SELECT id, CAST(d AS CHAR), CAST(dt AS CHAR), CAST(ts AS CHAR) FROM ${table} ORDER BY id`,
        rowsAsArray: true,
      });
      const zero = ['0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00'];
      assert.deepEqual(dated, [
        [1, ...zero],
        [2, ...zero],
      ]);
      const [nulls] = await db.query<RowDataPacket[]>({
        sql: `SELECT COUNT(*) FROM ${table} WHERE d IS NULL`,
        rowsAsArray: true,
      });
      assert.deepEqual(nulls, [[2]]);
      await db.query(`ALTER TABLE ${table} DROP COLUMN n`);
      const [keys] = await db.query<RowDataPacket[]>(`SHOW INDEX FROM ${table}`);
      assert.deepEqual(
        keys.map((key) => [String(key.Key_name), String(key.Column_name)]),
        [
          ['PRIMARY', 'id'],
          ['kk', 'k'],
        ],
      );
      const [found] = await db.query<RowDataPacket[]>(`SELECT id FROM ${table} WHERE k = 5`);
      assert.deepEqual(
        found.map((row) => Number(row.id)),
        [2],
      );
    });

    it(`fits shorter text columns as MariaDB (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `short_${(kind || 'columnstore').toLowerCase()}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, s VARCHAR(10), c CHAR(6))`,
      );
      await db.query(`INSERT INTO ${table} VALUES (1, 'abcdef', 'xyz'), (2, 'ab', 'uvwxyz')`);
      assert.deepEqual(await refusal(`ALTER TABLE ${table} MODIFY s VARCHAR(3)`), [
        1265,
        "Data truncated for column 's' at row 1",
      ]);
      await db.query("SET sql_mode = ''");
      try {
        await db.query(`ALTER TABLE ${table} MODIFY s VARCHAR(3), MODIFY c CHAR(4)`);
        const [warnings] = await db.query<RowDataPacket[]>('SHOW WARNINGS');
        assert.deepEqual(
          warnings.map((warning) => [Number(warning.Code), String(warning.Message)]),
          [
            [1265, "Data truncated for column 's' at row 1"],
            [1265, "Data truncated for column 'c' at row 1"],
          ],
        );
      } finally {
        await db.query('SET sql_mode = DEFAULT');
      }
      const [rows] = await db.query<RowDataPacket[]>({
        sql: `SELECT id, s, c FROM ${table} ORDER BY id`,
        rowsAsArray: true,
      });
      assert.deepEqual(rows, [
        [1, 'abc', 'xyz'],
        [2, 'ab', 'uvwx'],
      ]);
    });
  }

  for (const kind of ['', 'ROWSTORE'])
    it(`reads text as numbers as MariaDB when a column changes type (${kind || 'COLUMNSTORE'})`, async () => {
      const cases: [string, string, unknown][] = [
        ["' 42 '", 'INT', 42],
        ["'+5'", 'INT', 5],
        ["'abc'", 'INT', [1292, "Truncated incorrect INTEGER value: 'abc'"]],
        ["'70000'", 'SMALLINT', [1264, "Out of range value for column 's' at row 1"]],
        ["'0x7'", 'INT', [1292, "Truncated incorrect INTEGER value: '0x7'"]],
        ["'1e3'", 'INT', [1292, "Truncated incorrect INTEGER value: '1e3'"]],
        ["''", 'INT', [1292, "Truncated incorrect INTEGER value: ''"]],
        ["'1e3'", 'DECIMAL(8,2)', '1000.00'],
        ["'12.5x'", 'DECIMAL(8,2)', [1292, "Truncated incorrect DECIMAL value: '12.5x'"]],
      ];
      for (const [value, type, expected] of cases) {
        await db.query('DROP TABLE IF EXISTS conv');
        await db.query(`CREATE ${kind} TABLE conv (id INT PRIMARY KEY, s VARCHAR(10))`);
        await db.query(`INSERT INTO conv VALUES (1, ${value})`);
        const refused = await refusal(`ALTER TABLE conv MODIFY s ${type}`);
        if (Array.isArray(expected)) {
          assert.deepEqual(refused, expected, `${value} as ${type}`);
          continue;
        }
        assert.deepEqual(refused, [undefined, undefined], `${value} as ${type}`);
        const [rows] = await db.query<RowDataPacket[]>({
          sql: 'SELECT s FROM conv',
          rowsAsArray: true,
        });
        assert.deepEqual(rows, [[expected]], `${value} as ${type}`);
      }
      await db.query('DROP TABLE conv');
      await db.query('DROP TABLE IF EXISTS wide');
      await db.query(`CREATE ${kind} TABLE wide (id INT PRIMARY KEY, i INT)`);
      await db.query('INSERT INTO wide VALUES (1, 300), (2, 70000)');
      assert.deepEqual(await refusal('ALTER TABLE wide MODIFY i SMALLINT'), [
        1264,
        "Out of range value for column 'i' at row 1",
      ]);
    });
});
