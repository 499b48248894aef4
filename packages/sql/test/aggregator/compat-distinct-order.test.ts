/**
 * SELECT DISTINCT without ORDER BY in the order MariaDB 10.11 answers it: each value where it
 * first appears in primary-key order, or in an index's order when the items are its leading
 * columns or it holds every column read. Expected rows were recorded from MariaDB (InnoDB) with
 * the same statements; the tables span four partitions and were written out of key order.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('implicit order of SELECT DISTINCT', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true });
    return result;
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE dis PARTITIONS 4');
    await db.query('USE dis');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const kind of ['', 'ROWSTORE'])
    it(`orders DISTINCT as MariaDB reads the table (${kind || 'COLUMNSTORE'})`, async () => {
      const t = `de${kind}`;
      await db.query(
        `CREATE ${kind} TABLE ${t} (id INT PRIMARY KEY, cat VARCHAR(5), v INT, w INT, KEY (cat))`,
      );
      await db.query(
        `INSERT INTO ${t} VALUES (3, 'a', 1, 5), (1, 'b', 2, 6), (2, 'c', 1, 5), (4, 'a', 3, 7),
         (5, 'b', 9, 5)`,
      );
      const cases: [string, unknown[][]][] = [
        // First appearance in key order: ids 1, 2, 3, … hold w 6, 5, 5, 7.
        [`SELECT DISTINCT w FROM ${t} WHERE v < 5`, [[6], [5], [7]]],
        [`SELECT DISTINCT w FROM ${t} WHERE id > 1`, [[5], [7]]],
        [
          `SELECT DISTINCT cat, v FROM ${t}`,
          [
            ['b', 2],
            ['c', 1],
            ['a', 1],
            ['a', 3],
            ['b', 9],
          ],
        ],
        [
          `SELECT DISTINCT w, v FROM ${t} LIMIT 3`,
          [
            [6, 2],
            [5, 1],
            [7, 3],
          ],
        ],
        // KEY (cat) leads with the item, or holds every column read: its order.
        [`SELECT DISTINCT cat FROM ${t}`, [['a'], ['b'], ['c']]],
        [`SELECT DISTINCT cat FROM ${t} WHERE w = 5`, [['a'], ['b'], ['c']]],
        [`SELECT DISTINCT LEFT(cat, 1) FROM ${t}`, [['a'], ['b'], ['c']]],
        // Equality on the index's first column: MariaDB looks the rows up in that index.
        [
          `SELECT DISTINCT v, w FROM ${t} WHERE cat = 'b'`,
          [
            [2, 6],
            [9, 5],
          ],
        ],
        [`SELECT DISTINCT w FROM ${t} WHERE cat = 'a'`, [[5], [7]]],
        [`SELECT COUNT(*) FROM (SELECT DISTINCT w FROM ${t}) d`, [[3]]],
      ];
      for (const [sql, expected] of cases) assert.deepEqual(await rows(sql), expected, sql);
    });

  it('orders DISTINCT over a composite primary key', async () => {
    await db.query('CREATE TABLE dc (a INT, b INT, name VARCHAR(5), PRIMARY KEY (a, b))');
    await db.query(
      "INSERT INTO dc VALUES (2, 1, 'x'), (1, 2, 'y'), (1, 1, 'z'), (3, 0, 'x'), (2, 2, 'w')",
    );
    assert.deepEqual(await rows('SELECT DISTINCT name FROM dc'), [['z'], ['y'], ['x'], ['w']]);
    assert.deepEqual(await rows('SELECT DISTINCT b FROM dc'), [[1], [2], [0]]);
    assert.deepEqual(await rows('SELECT DISTINCT a FROM dc'), [[1], [2], [3]]);
    assert.deepEqual(await rows('SELECT DISTINCT name FROM dc LIMIT 2'), [['z'], ['y']]);
  });
});
