/**
 * UPDATE on the keyed path (ORDER BY/LIMIT, subqueries, several tables) on both storage
 * engines of a 4-partition database, where the rows a statement matches sit on several
 * partitions: "Changed" (and the affected rows of a client without CLIENT_FOUND_ROWS) counts
 * the rows whose values change, a LIMIT counts rows matched whether or not they change, ON
 * UPDATE CURRENT_TIMESTAMP columns are set in the changed rows only, and values computed from
 * columns are refused in strict mode (changing nothing) or adjusted with warnings otherwise.
 * The expected values are what MariaDB 10.11 answered to the same statements through mysql2.
 * MariaDB numbers the rows it reads in messages (`at row 2`); the partitions do not, so only
 * the text before the number is compared.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { createConnection } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

/** Affected rows (matched: mysql2 sets CLIENT_FOUND_ROWS), info, and the warnings' codes. */
type Answer = [number, string, number[]];

describe('keyed UPDATE counts and checks as MariaDB', () => {
  let cluster: SqlCluster;
  let db: Connection;
  /** A client without CLIENT_FOUND_ROWS: its affected rows are the rows changed. */
  let changedOnly: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE keyed PARTITIONS 4');
    await db.query('USE keyed');
    changedOnly = await createConnection({
      host: '127.0.0.1',
      port: cluster.port,
      user: 'root',
      database: 'keyed',
      flags: ['-FOUND_ROWS'],
    });
  });

  after(async () => {
    await changedOnly.end();
    await db.end();
    await cluster.close();
  });

  const answer = async (sql: string): Promise<Answer> => {
    const [result] = await db.query<ResultSetHeader>(sql);
    const [warnings] = await db.query<RowDataPacket[]>({ sql: 'SHOW WARNINGS', rowsAsArray: true });
    const codes = (warnings as unknown as [string, number, string][]).map((warning) => warning[1]);
    return [result.affectedRows, result.info, codes];
  };

  const refused = async (sql: string, errno: number, message: RegExp): Promise<void> => {
    await assert.rejects(db.query(sql), (error: { errno?: number; message?: string }) => {
      assert.equal(error.errno, errno, sql);
      assert.match(error.message ?? '', message, sql);
      return true;
    });
  };

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown as unknown[][];
  };

  const info = (matched: number, changed: number, warnings = 0): string =>
    `Rows matched: ${matched}  Changed: ${changed}  Warnings: ${warnings}`;

  for (const kind of ['', 'ROWSTORE']) {
    const engine = kind || 'COLUMNSTORE';
    const k = `k_${engine.toLowerCase()}`;
    const o = `o_${engine.toLowerCase()}`;
    const c = `c_${engine.toLowerCase()}`;

    it(`counts changed rows and stamps only those (${engine})`, async () => {
      await db.query('SET sql_mode = DEFAULT');
      await db.query(
        `CREATE ${kind} TABLE ${k} (id INT PRIMARY KEY, a INT, ts TIMESTAMP NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP)`,
      );
      await db.query(
        `INSERT INTO ${k} (id, a) VALUES (1, 1), (2, 0), (3, 1), (4, 0), (5, 1), (6, 0), (7, 1), (8, 0)`,
      );
      await db.query(`CREATE ${kind} TABLE ${o} (id INT PRIMARY KEY, v INT)`);
      await db.query(`INSERT INTO ${o} VALUES (1, 1), (2, 5), (3, 1), (6, 6), (7, 7)`);
      // Several tables: rows 1 and 3 keep their values and their NULL timestamp.
      assert.deepEqual(
        await answer(`UPDATE ${k}, ${o} SET ${k}.a = ${o}.v WHERE ${k}.id = ${o}.id`),
        [5, info(5, 3), []],
      );
      assert.deepEqual(await rows(`SELECT id, a, ts IS NULL FROM ${k} ORDER BY id`), [
        [1, 1, 1],
        [2, 5, 0],
        [3, 1, 1],
        [4, 0, 1],
        [5, 1, 1],
        [6, 6, 0],
        [7, 7, 0],
        [8, 0, 1],
      ]);
      assert.deepEqual(
        await answer(
          `UPDATE ${k} JOIN ${o} ON ${k}.id = ${o}.id SET ${k}.a = ${o}.v, ${o}.v = ${o}.v WHERE ${o}.v > 0`,
        ),
        [10, info(10, 0), []],
      );
      // The LIMIT picks 5 rows, 3 of which already hold 1: matched 5, changed 2.
      assert.deepEqual(await answer(`UPDATE ${k} SET a = 1 ORDER BY id LIMIT 5`), [
        5,
        info(5, 2),
        [],
      ]);
      assert.deepEqual(await rows(`SELECT id, a, ts IS NULL FROM ${k} ORDER BY id`), [
        [1, 1, 1],
        [2, 1, 0],
        [3, 1, 1],
        [4, 1, 0],
        [5, 1, 1],
        [6, 6, 0],
        [7, 7, 0],
        [8, 0, 1],
      ]);
      assert.deepEqual(await answer(`UPDATE ${k} SET a = 1 WHERE a = 1 ORDER BY id DESC LIMIT 3`), [
        3,
        info(3, 0),
        [],
      ]);
      const [unchanged] = await changedOnly.query<ResultSetHeader>(
        `UPDATE ${k} SET a = a ORDER BY id DESC LIMIT 3`,
      );
      assert.deepEqual([unchanged.affectedRows, unchanged.info], [0, info(3, 0)]);
      assert.deepEqual(
        await answer(
          `UPDATE ${k} SET a = 2 WHERE id IN (SELECT id FROM ${o} WHERE v > 1) ORDER BY id LIMIT 2`,
        ),
        [2, info(2, 2), []],
      );
      const [subquery] = await changedOnly.query<ResultSetHeader>(
        `UPDATE ${k} SET a = 2 WHERE id IN (SELECT id FROM ${o} WHERE v > 1)`,
      );
      assert.deepEqual([subquery.affectedRows, subquery.info], [1, info(3, 1)]);
      assert.deepEqual(await answer(`UPDATE ${k} SET a = (SELECT MAX(v) FROM ${o}) WHERE id > 6`), [
        2,
        info(2, 2),
        [],
      ]);
      assert.deepEqual(await answer(`UPDATE ${k} SET a = (SELECT MAX(v) FROM ${o}) WHERE id > 6`), [
        2,
        info(2, 0),
        [],
      ]);
      assert.deepEqual(await rows(`SELECT id, a FROM ${k} ORDER BY id`), [
        [1, 1],
        [2, 2],
        [3, 1],
        [4, 1],
        [5, 1],
        [6, 2],
        [7, 7],
        [8, 7],
      ]);
    });

    it(`counts copies of keyless rows under a LIMIT (${engine})`, async () => {
      const n = `n_${engine.toLowerCase()}`;
      await db.query(`CREATE ${kind} TABLE ${n} (a INT, b INT)`);
      await db.query(`INSERT INTO ${n} VALUES (1, 0), (1, 0), (2, 1), (3, 0), (3, 0)`);
      assert.deepEqual(await answer(`UPDATE ${n} SET b = 1 ORDER BY a LIMIT 4`), [
        4,
        info(4, 3),
        [],
      ]);
      assert.deepEqual(await rows(`SELECT a, b FROM ${n} ORDER BY a, b`), [
        [1, 1],
        [1, 1],
        [2, 1],
        [3, 0],
        [3, 1],
      ]);
    });

    it(`refuses computed values that do not fit in strict mode (${engine})`, async () => {
      await db.query('SET sql_mode = DEFAULT');
      await db.query(
        `CREATE ${kind} TABLE ${c} (id INT PRIMARY KEY, a TINYINT, s VARCHAR(5), u BIGINT UNSIGNED, b BIGINT)`,
      );
      await db.query(
        `INSERT INTO ${c} VALUES (1, 1, 'ab', 5, 9223372036854775806), (2, 2, 'abc', 1, 1), (3, NULL, NULL, NULL, NULL), (4, 4, 'a', 10, 2), (5, 50, 'abcd', 0, 3)`,
      );
      const range = /^Out of range value for column 'a' at row \d+$/;
      await refused(`UPDATE ${c} SET a = a * 100 ORDER BY id LIMIT 3`, 1264, range);
      assert.deepEqual(await answer(`UPDATE ${c} SET a = a * 10 ORDER BY id LIMIT 2`), [
        2,
        info(2, 2),
        [],
      ]);
      await refused(
        `UPDATE ${c} SET s = CONCAT(s, 'xyz') WHERE id IN (SELECT id FROM ${o})`,
        1406,
        /^Data too long for column 's' at row \d+$/,
      );
      await refused(`UPDATE ${c} SET a = a / 0 ORDER BY id DESC LIMIT 2`, 1365, /^Division by 0$/);
      await refused(
        `UPDATE ${c} SET b = b + 2 ORDER BY id LIMIT 2`,
        1690,
        // A columnstore partition names the values where MariaDB names the expression.
        /^BIGINT value is out of range in '.+ \+ 2'$/,
      );
      await refused(
        `UPDATE ${c}, ${o} SET ${c}.a = ${o}.v * 30 WHERE ${c}.id = ${o}.id`,
        1264,
        range,
      );
      await refused(`UPDATE ${c} SET a = 300 ORDER BY id LIMIT 2`, 1264, range);
      assert.deepEqual(await answer(`UPDATE ${c} SET a = 300 WHERE id > 100 ORDER BY id LIMIT 2`), [
        0,
        info(0, 0),
        [],
      ]);
      assert.deepEqual(await rows(`SELECT id, a, s FROM ${c} ORDER BY id`), [
        [1, 10, 'ab'],
        [2, 20, 'abc'],
        [3, null, null],
        [4, 4, 'a'],
        [5, 50, 'abcd'],
      ]);
    });

    it(`adjusts computed values with warnings without strict mode (${engine})`, async () => {
      await db.query("SET sql_mode = ''");
      assert.deepEqual(await answer(`UPDATE ${c} SET a = a * 100 ORDER BY id LIMIT 3`), [
        3,
        info(3, 2, 2),
        [1264, 1264],
      ]);
      assert.deepEqual(
        await answer(`UPDATE ${c} SET s = CONCAT(s, 'xyz') WHERE id IN (SELECT id FROM ${o})`),
        [3, info(3, 2, 1), [1265]],
      );
      assert.deepEqual(await answer(`UPDATE ${c} SET a = a / 0 ORDER BY id DESC LIMIT 2`), [
        2,
        info(2, 2),
        [],
      ]);
      // o.v * 30 is 30, 150 and 30 for rows 1, 2 (already 127) and 3.
      assert.deepEqual(
        await answer(`UPDATE ${c}, ${o} SET ${c}.a = ${o}.v * 30 WHERE ${c}.id = ${o}.id`),
        [3, info(3, 2, 1), [1264]],
      );
      await db.query('SET sql_mode = DEFAULT');
      assert.deepEqual(await answer(`UPDATE IGNORE ${c} SET a = a + 100 ORDER BY id LIMIT 2`), [
        2,
        info(2, 1, 2),
        [1264, 1264],
      ]);
      assert.deepEqual(await rows(`SELECT id, a, s FROM ${c} ORDER BY id`), [
        [1, 127, 'abxyz'],
        [2, 127, 'abcxy'],
        [3, 30, null],
        [4, null, 'a'],
        [5, null, 'abcd'],
      ]);
    });
  }
});
