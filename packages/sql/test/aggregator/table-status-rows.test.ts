/**
 * SHOW TABLE STATUS Rows and information_schema.TABLES TABLE_ROWS count the rows (they were
 * NULL), on columnstore, rowstore, reference and keyless tables, and follow writes; the lengths
 * are estimated from them (Data_length is Rows × Avg_row_length). Rows and Auto_increment are
 * MariaDB 10.11's answers for the same statements (InnoDB's lengths are pages, 16384 here).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

async function rows(db: Connection, sql: string): Promise<unknown[][]> {
  const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
  return result as unknown[][];
}

describe('row counts in SHOW TABLE STATUS and information_schema.TABLES', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE st PARTITIONS 4');
    await db.query('USE st');
    await db.query('CREATE TABLE a (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10))');
    await db.query('CREATE ROWSTORE TABLE r (id INT AUTO_INCREMENT PRIMARY KEY, v TEXT)');
    await db.query('CREATE REFERENCE TABLE ref (id INT PRIMARY KEY)');
    await db.query('CREATE TABLE k (v INT)');
    await db.query('CREATE TABLE e (id INT PRIMARY KEY)');
  });
  after(async () => {
    await db.end();
    await cluster.close();
  });

  const tables = (): Promise<unknown[][]> =>
    rows(
      db,
      'SELECT TABLE_NAME, TABLE_ROWS, AUTO_INCREMENT FROM information_schema.TABLES ' +
        "WHERE TABLE_SCHEMA = 'st' ORDER BY TABLE_NAME",
    );

  it('counts each kind of table and follows writes', async () => {
    await db.query("INSERT INTO a (v) VALUES ('a'), ('b'), ('c'), ('d'), ('e')");
    await db.query("INSERT INTO r (v) VALUES ('x'), ('y')");
    await db.query('INSERT INTO ref VALUES (1), (2), (3)');
    await db.query('INSERT INTO k VALUES (1), (1), (NULL), (4)');
    assert.deepEqual(await tables(), [
      ['a', 5, 6],
      ['e', 0, null],
      ['k', 4, null],
      ['r', 2, 3],
      ['ref', 3, null],
    ]);
    await db.query('DELETE FROM a WHERE id <= 2');
    await db.query("INSERT INTO r (v) VALUES ('z')");
    assert.deepEqual(await tables(), [
      ['a', 3, 6],
      ['e', 0, null],
      ['k', 4, null],
      ['r', 3, 4],
      ['ref', 3, null],
    ]);
  });

  it('answers SHOW TABLE STATUS with the same counts and lengths from them', async () => {
    const status = await rows(db, 'SHOW TABLE STATUS');
    // Name, Rows, Auto_increment
    assert.deepEqual(
      status.map((row) => [row[0], row[4], row[10]]),
      [
        ['a', 3, 6],
        ['e', 0, null],
        ['k', 4, null],
        ['r', 3, 4],
        ['ref', 3, null],
      ],
    );
    for (const row of status) {
      const [name, , , , count, average, length] = row as number[];
      assert.equal(length, count! * average!, String(name));
      assert.ok(count === 0 ? average === 0 : average! > 0, String(name));
    }
  });
});
