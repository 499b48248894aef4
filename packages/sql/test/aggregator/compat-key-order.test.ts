/**
 * A plain read of one table without ORDER BY answers in primary-key order, as MariaDB (InnoDB,
 * whose tables are clustered on the primary key) answers it: the expected orders are what
 * MariaDB 10.11 returns for the same statements. Rows are inserted out of order into 4
 * partitions, so any other order (partition by partition, insertion order) fails the test.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const IDS = Array.from({ length: 40 }, (_, index) => (index * 17) % 40);
const SORTED = [...IDS].sort((a, b) => a - b);

describe('primary-key order without ORDER BY', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const rows = async (sql: string, values?: unknown[]): Promise<unknown[][]> => {
    const [result] =
      values === undefined
        ? await db.query<RowDataPacket[]>({ sql, rowsAsArray: true })
        : await db.execute<RowDataPacket[]>({ sql, rowsAsArray: true, values });
    return result as unknown as unknown[][];
  };
  const column = async (sql: string, values?: unknown[]): Promise<unknown[]> =>
    (await rows(sql, values)).map((row) => row[0]);

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE keyorder PARTITIONS 4');
    await db.query('USE keyorder');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const kind of ['', 'ROWSTORE']) {
    const label = kind || 'COLUMNSTORE';
    const table = `items_${label.toLowerCase()}`;

    it(`reads a whole table in key order (${label})`, async () => {
      await db.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, name VARCHAR(20))`);
      const values = IDS.map((id) => `(${id}, 'n${id}')`).join(', ');
      await db.query(`INSERT INTO ${table} VALUES ${values}`);
      assert.deepEqual(await column(`SELECT * FROM ${table}`), SORTED);
      assert.deepEqual(
        await column(`SELECT name FROM ${table}`),
        SORTED.map((id) => `n${id}`),
      );
    });

    it(`applies the order before LIMIT, and to filtered reads (${label})`, async () => {
      assert.deepEqual(await column(`SELECT id FROM ${table} LIMIT 3`), [0, 1, 2]);
      assert.deepEqual(await column(`SELECT id FROM ${table} LIMIT 2, 2`), [2, 3]);
      assert.deepEqual(
        await column(`SELECT id FROM ${table} WHERE id IN (31, 4, 17, 9)`),
        [4, 9, 17, 31],
      );
      assert.deepEqual(
        await column(`SELECT id FROM ${table} WHERE name LIKE 'n3%'`),
        [3, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39],
      );
    });

    it(`orders by the table's key, not by a result column of the same name (${label})`, async () => {
      const names = await column(`SELECT CONCAT('z', 40 - id) AS id FROM ${table} LIMIT 3`);
      assert.deepEqual(names, ['z40', 'z39', 'z38']);
      assert.deepEqual(await column(`SELECT t.id FROM ${table} AS t LIMIT 2`), [0, 1]);
    });

    it(`keeps the order for a prepared statement run again (${label})`, async () => {
      const sql = `SELECT id FROM ${table} WHERE id >= ?`;
      assert.deepEqual(await column(sql, [35]), [35, 36, 37, 38, 39]);
      assert.deepEqual(await column(sql, [36]), [36, 37, 38, 39]);
      assert.deepEqual(await column(`SELECT name FROM ${table} WHERE id = ?`, [7]), ['n7']);
      assert.deepEqual(await column(`SELECT name FROM ${table} WHERE id = ?`, [8]), ['n8']);
    });
  }

  it('orders by every column of a composite key', async () => {
    await db.query('CREATE TABLE pairs (a INT, b INT, v INT, PRIMARY KEY (a, b))');
    await db.query(
      'INSERT INTO pairs VALUES (2, 1, 0), (1, 2, 0), (2, 0, 0), (1, 1, 0), (0, 9, 0)',
    );
    assert.deepEqual(await rows('SELECT a, b FROM pairs'), [
      [0, 9],
      [1, 1],
      [1, 2],
      [2, 0],
      [2, 1],
    ]);
    // Only part of the key is fixed: the rest still orders the rows.
    assert.deepEqual(await rows('SELECT b FROM pairs WHERE a = 1'), [[1], [2]]);
  });

  it('leaves aggregates, DISTINCT, keyless tables and joins to their own rules', async () => {
    assert.deepEqual(await rows('SELECT COUNT(*), MAX(id) FROM items_columnstore'), [[40, 39]]);
    assert.deepEqual(await rows('SELECT DISTINCT a FROM pairs ORDER BY a DESC'), [[2], [1], [0]]);
    await db.query('CREATE TABLE loose (v INT)');
    await db.query('INSERT INTO loose VALUES (3), (1), (2)');
    const loose = (await column('SELECT v FROM loose')) as number[];
    assert.deepEqual(
      [...loose].sort((a, b) => a - b),
      [1, 2, 3],
    );
  });
});
