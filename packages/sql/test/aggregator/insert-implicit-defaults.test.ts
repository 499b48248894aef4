/**
 * NOT NULL columns without strict mode (or with IGNORE) take MariaDB's implicit default — 0,
 * '', an ENUM's first member, 00:00:00 — with its warnings: 1364 once per statement for a
 * column without DEFAULT that the INSERT leaves out, 1048 per row for a NULL in a multi-row
 * INSERT or INSERT … SELECT (a single-row INSERT is refused, as in MariaDB). Both were
 * refused. A NOT NULL ENUM defaults to its first member in every mode (it was 1364). Expected
 * answers are MariaDB 10.11's, on both storages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const COLUMNS =
  "(id INT PRIMARY KEY, x INT NOT NULL, s VARCHAR(5) NOT NULL, d DECIMAL(5,2) NOT NULL, e ENUM('p','q') NOT NULL, t TIME NOT NULL, b VARBINARY(4) NOT NULL)";
const missing = (columns: string): [number, string][] =>
  columns.split('').map((c) => [1364, `Field '${c}' doesn't have a default value`]);
const nulls = (columns: string): [number, string][] =>
  columns.split('').map((c) => [1048, `Column '${c}' cannot be null`]);

describe('implicit defaults of NOT NULL columns', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const warnings = async (): Promise<unknown[][]> => {
    const [rows] = await db.query<RowDataPacket[]>({ sql: 'SHOW WARNINGS', rowsAsArray: true });
    return (rows as unknown[][]).map((row) => [row[1], row[2]]);
  };
  const write = async (sql: string): Promise<[number, unknown[][]]> => {
    const [result] = await db.query<ResultSetHeader>(sql);
    return [result.affectedRows, await warnings()];
  };
  const errno = async (sql: string): Promise<number | undefined> =>
    db.query(sql).then(
      () => undefined,
      (error: { errno?: number }) => error.errno,
    );

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE imp');
    await db.query('USE imp');
  });
  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const storage of ['', 'ROWSTORE ']) {
    it(`stores them with MariaDB's warnings (${storage || 'COLUMNSTORE '}table)`, async () => {
      const table = storage === '' ? 'c' : 'r';
      await db.query("SET sql_mode = ''");
      await db.query(`CREATE ${storage}TABLE ${table} ${COLUMNS}`);
      assert.equal(
        await errno(`INSERT INTO ${table} VALUES (1, NULL, NULL, NULL, NULL, NULL, NULL)`),
        1048,
      );
      assert.deepEqual(await write(`INSERT INTO ${table} (id) VALUES (2)`), [1, missing('xsdtb')]);
      assert.deepEqual(
        await write(
          `INSERT INTO ${table} VALUES (3, 1, 's', 1, 'q', '01:00:00', 'b'), (4, NULL, NULL, NULL, NULL, NULL, NULL)`,
        ),
        [2, nulls('xsdetb')],
      );
      assert.deepEqual(
        await write(`INSERT IGNORE INTO ${table} VALUES (5, NULL, 'a', 1, 'p', '00:00:01', 'c')`),
        [1, nulls('x')],
      );
      assert.deepEqual(await write(`INSERT INTO ${table} (id, x) SELECT 6, NULL`), [
        1,
        [...missing('sdtb'), ...nulls('x')],
      ]);
      assert.deepEqual(
        await write(`INSERT INTO ${table} (id, x) SELECT 7, NULL UNION ALL SELECT 8, 1`),
        [2, [...missing('sdtb'), ...nulls('x')]],
      );
      await db.query("SET sql_mode = 'STRICT_TRANS_TABLES'");
      assert.equal(await errno(`INSERT INTO ${table} (id) VALUES (9)`), 1364);
      assert.deepEqual(await write(`INSERT IGNORE INTO ${table} (id) VALUES (10)`), [
        1,
        missing('xsdtb'),
      ]);
      const [rows] = await db.query<RowDataPacket[]>({
        sql: `SELECT id, x, s, d, e, t, HEX(b) FROM ${table} ORDER BY id`,
        rowsAsArray: true,
      });
      const empty = [0, '', '0.00', 'p', '00:00:00', ''];
      assert.deepEqual(rows, [
        [2, ...empty],
        [3, 1, 's', '1.00', 'q', '01:00:00', '62'],
        [4, ...empty],
        [5, 0, 'a', '1.00', 'p', '00:00:01', '63'],
        [6, ...empty],
        [7, ...empty],
        [8, 1, '', '0.00', 'p', '00:00:00', ''],
        [10, ...empty],
      ]);
    });
  }

  it('defaults a NOT NULL ENUM to its first member in strict mode', async () => {
    await db.query("SET sql_mode = 'STRICT_TRANS_TABLES'");
    await db.query("CREATE TABLE en (id INT PRIMARY KEY, e ENUM('p','q') NOT NULL)");
    assert.deepEqual(await write('INSERT INTO en (id) VALUES (1)'), [1, []]);
    const [rows] = await db.query<RowDataPacket[]>({ sql: 'SELECT * FROM en', rowsAsArray: true });
    assert.deepEqual(rows, [[1, 'p']]);
  });
});
