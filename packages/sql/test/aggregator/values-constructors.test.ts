/**
 * Table value constructors, `VALUES (…), (…)` (MariaDB) and `VALUES ROW(…)` (MySQL 8), and
 * MySQL 8's `TABLE t`, wherever a query stands. Expected rows and column names are MariaDB
 * 10.11's for the `VALUES (…)` form (compared side by side) and MySQL 8's reference for ROW(),
 * derived-table column lists and TABLE, which MariaDB lacks.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('VALUES and TABLE', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE tvc PARTITIONS 3');
    await db.query('USE tvc');
    await db.query('CREATE TABLE h (id INT PRIMARY KEY, a VARCHAR(10))');
    await db.query("INSERT INTO h VALUES (1, 'x'), (2, 'y'), (3, 'z')");
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  async function query(sql: string): Promise<{ names: string[]; rows: unknown[][] }> {
    const [rows, fields] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return {
      names: fields.map((field) => field.name),
      rows: rows as unknown as unknown[][],
    };
  }

  it('runs VALUES as a statement, named by its first row, with ORDER BY and LIMIT', async () => {
    assert.deepEqual(await query("VALUES (1, 'a'), (3, 'bb')"), {
      names: ['1', 'a'],
      rows: [
        [1, 'a'],
        [3, 'bb'],
      ],
    });
    assert.deepEqual(await query('VALUES (1, 2), (3, 4) ORDER BY 1 DESC LIMIT 1'), {
      names: ['1', '2'],
      rows: [[3, 4]],
    });
    assert.deepEqual((await query("VALUES (1, 'a'), (2.5, NULL)")).rows, [
      ['1.0', 'a'],
      ['2.5', null],
    ]);
  });

  it('names ROW() columns column_0, column_1, … as MySQL does', async () => {
    assert.deepEqual(await query('VALUES ROW(1, 2), ROW(3, 4)'), {
      names: ['column_0', 'column_1'],
      rows: [
        [1, 2],
        [3, 4],
      ],
    });
  });

  it('reads VALUES as a derived table, a CTE and a set operation operand', async () => {
    assert.deepEqual((await query('SELECT * FROM (VALUES (1, 2), (3, 4)) AS v')).rows, [
      [1, 2],
      [3, 4],
    ]);
    assert.deepEqual(
      (
        await query(
          "SELECT h.a, v.n FROM h JOIN (VALUES (1, 'one'), (2, 'two')) AS v (k, n) ON v.k = h.id ORDER BY h.id",
        )
      ).rows,
      [
        ['x', 'one'],
        ['y', 'two'],
      ],
    );
    assert.deepEqual((await query('WITH c AS (VALUES (5), (6)) SELECT SUM(`5`) FROM c')).rows, [
      ['11'],
    ]);
    assert.deepEqual(
      (await query('SELECT 1 UNION VALUES (2) UNION ALL VALUES (2) ORDER BY 1')).rows,
      [[1], [2], [2]],
    );
  });

  it('runs TABLE t as SELECT * FROM t', async () => {
    assert.deepEqual(await query('TABLE h ORDER BY id DESC LIMIT 2'), {
      names: ['id', 'a'],
      rows: [
        [3, 'z'],
        [2, 'y'],
      ],
    });
    assert.deepEqual((await query('SELECT COUNT(*) FROM (TABLE h) AS t')).rows, [[3]]);
  });

  it('refuses rows of different lengths with 1136', async () => {
    await assert.rejects(db.query('VALUES (1, 2), (3)'), { errno: 1136 });
    await assert.rejects(db.query('VALUES ROW(1), ROW(2, 3)'), { errno: 1136 });
  });
});
