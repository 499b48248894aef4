/**
 * The values of INSERT … ON DUPLICATE KEY UPDATE and UPDATE that do not fit their columns, on
 * both storage engines of a 4-partition database, as MariaDB 10.11 answered the same statements
 * through mysql2:
 * - a constant in ON DUPLICATE KEY UPDATE is checked as UPDATE checks it: strict mode refuses
 *   it only when a row takes the update (and the statement changes nothing), other modes and
 *   IGNORE store it cut or clamped, with a warning for each row that takes it;
 * - INSERT IGNORE … ON DUPLICATE KEY UPDATE adjusts the proposed row's values as INSERT IGNORE
 *   does (it refused them), zero dates included;
 * - NULL for a NOT NULL column in UPDATE IGNORE, or outside strict mode, stores the column's
 *   implicit default with warning 1048 (it was refused).
 * MariaDB names the row it was reading in an error; the partitions do not number rows, so only
 * the text before the number is compared.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

type Answer = [number, unknown[][]];

describe('upsert and update values that do not fit', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connectAsText();
    await db.query('CREATE DATABASE fits PARTITIONS 4');
    await db.query('USE fits');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  /** Affected rows and SHOW WARNINGS. */
  const answer = async (sql: string): Promise<Answer> => {
    const [result] = await db.query<ResultSetHeader>(sql);
    const [warnings] = await db.query<RowDataPacket[][]>({
      sql: 'SHOW WARNINGS',
      rowsAsArray: true,
    });
    return [result.affectedRows, warnings];
  };

  const rows = async (table: string): Promise<unknown[][]> =>
    (
      await db.query<RowDataPacket[][]>({
        sql: `SELECT * FROM ${table} ORDER BY id`,
        rowsAsArray: true,
      })
    )[0];

  const truncated = (row: number): unknown[] => [
    'Warning',
    '1265',
    `Data truncated for column 'b' at row ${row}`,
  ];

  for (const kind of ['COLUMNSTORE', 'ROWSTORE']) {
    it(`checks ON DUPLICATE KEY UPDATE constants (${kind})`, async () => {
      const t = `c_${kind.toLowerCase()}`;
      await db.query('SET sql_mode = DEFAULT');
      await db.query(
        `CREATE ${kind} TABLE ${t} (id INT PRIMARY KEY, a INT NOT NULL DEFAULT 0, b VARCHAR(6), d DATE)`,
      );
      // Strict mode: a row that is inserted never takes the value.
      assert.deepEqual(
        await answer(
          `INSERT INTO ${t} (id) VALUES (99) ON DUPLICATE KEY UPDATE b = 'toolongvalue'`,
        ),
        [1, []],
      );
      // A number past the column's range too (DuckDB used to cast it for the inserted row).
      const outOfRange = `INSERT INTO ${t} (id) VALUES (90) ON DUPLICATE KEY UPDATE a = 2147483648`;
      assert.deepEqual(await answer(outOfRange), [1, []]);
      await assert.rejects(db.query(outOfRange), {
        errno: 1264,
        message: "Out of range value for column 'a' at row 1",
      });
      await assert.rejects(
        db.query(
          `INSERT INTO ${t} (id) VALUES (98), (99) ON DUPLICATE KEY UPDATE b = 'toolongvalue'`,
        ),
        (error: { errno?: number; message?: string }) =>
          error.errno === 1406 && /^Data too long for column 'b' at row/.test(error.message ?? ''),
      );
      assert.deepEqual(await rows(t), [
        ['90', '0', null, null],
        ['99', '0', null, null],
      ]);
      await db.query(`INSERT INTO ${t} (id) VALUES (97), (96)`);
      assert.deepEqual(
        await answer(
          `INSERT IGNORE INTO ${t} (id) VALUES (97), (96), (95) ON DUPLICATE KEY UPDATE b = 'toolongvalue'`,
        ),
        [5, [truncated(1), truncated(2)]],
      );
      // Outside strict mode the constants are cut and clamped, with warnings.
      await db.query("SET sql_mode = ''");
      assert.deepEqual(
        await answer(
          `INSERT INTO ${t} (id, a) VALUES (99, 0) ON DUPLICATE KEY UPDATE a = 2147483648, d = '2024-02-30'`,
        ),
        [
          2,
          [
            ['Warning', '1264', "Out of range value for column 'a' at row 1"],
            ['Warning', '1265', "Data truncated for column 'd' at row 1"],
          ],
        ],
      );
      assert.deepEqual(await rows(t), [
        ['90', '0', null, null],
        ['95', '0', null, null],
        ['96', '0', 'toolon', null],
        ['97', '0', 'toolon', null],
        ['99', '2147483647', null, '0000-00-00'],
      ]);
    });

    it(`adjusts the proposed row of INSERT IGNORE … ON DUPLICATE KEY UPDATE (${kind})`, async () => {
      const t = `i_${kind.toLowerCase()}`;
      await db.query('SET sql_mode = DEFAULT');
      await db.query(
        `CREATE ${kind} TABLE ${t} (id INT PRIMARY KEY, a INT NOT NULL DEFAULT 0, b VARCHAR(6), d DATE)`,
      );
      assert.deepEqual(
        await answer(
          `INSERT IGNORE INTO ${t} (id, a, b, d) VALUES (2, 2147483648, 'toolongval', '2024-02-30') ON DUPLICATE KEY UPDATE a = a + 1`,
        ),
        [
          1,
          [
            ['Warning', '1264', "Out of range value for column 'a' at row 1"],
            truncated(1),
            ['Warning', '1265', "Data truncated for column 'd' at row 1"],
          ],
        ],
      );
      assert.deepEqual(
        await answer(
          `INSERT IGNORE INTO ${t} (id, d) VALUES (2, 'bad') ON DUPLICATE KEY UPDATE d = VALUES(d)`,
        ),
        [1, [['Warning', '1265', "Data truncated for column 'd' at row 1"]]],
      );
      assert.deepEqual(await rows(t), [['2', '2147483647', 'toolon', '0000-00-00']]);
    });

    it(`stores the implicit default for NULL in UPDATE IGNORE (${kind})`, async () => {
      const t = `n_${kind.toLowerCase()}`;
      await db.query('SET sql_mode = DEFAULT');
      await db.query(
        `CREATE ${kind} TABLE ${t} (id INT PRIMARY KEY, a INT NOT NULL DEFAULT 5, b VARCHAR(5) NOT NULL)`,
      );
      await db.query(`INSERT INTO ${t} VALUES (1, 1, 'x'), (2, 2, 'y')`);
      const cannot = (name: string): unknown[] => [
        'Warning',
        '1048',
        `Column '${name}' cannot be null`,
      ];
      assert.deepEqual(await answer(`UPDATE IGNORE ${t} SET a = a + NULL WHERE id = 1`), [
        1,
        [cannot('a')],
      ]);
      assert.deepEqual(await answer(`UPDATE IGNORE ${t} SET a = NULL, b = NULL WHERE id = 2`), [
        1,
        [cannot('a'), cannot('b')],
      ]);
      // Strict mode without IGNORE still refuses it, changing nothing.
      await assert.rejects(db.query(`UPDATE ${t} SET a = a + NULL`), { errno: 1048 });
      assert.deepEqual(await rows(t), [
        ['1', '0', 'x'],
        ['2', '0', ''],
      ]);
    });
  }
});
