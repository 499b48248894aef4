/**
 * The same statement text run again after writes must see them. DuckDB plans a statement
 * without parameters once, pruning filters and sizing joins from the table statistics of that
 * moment, so a leaf that kept such a plan answered `WHERE id > 10` (prepared while the largest
 * id was 9) with nothing, and a join with the rows of that moment, after later inserts. Runs on
 * one partition, where whole statements reach the leaf as written, and on four.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('statements repeated after writes', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const value = async (sql: string): Promise<unknown> => {
    const [rows] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return (rows as unknown as unknown[][])[0]?.[0];
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const partitions of [1, 4]) {
    it(`see rows written since their last run (${partitions} partition(s))`, async () => {
      const database = `repeated${partitions}`;
      await db.query(`CREATE DATABASE ${database} PARTITIONS ${partitions}`);
      await db.query(`USE ${database}`);
      await db.query('CREATE TABLE facts (id INT PRIMARY KEY, acct INT)');
      await db.query('CREATE TABLE accounts (acct_id INT PRIMARY KEY, tier INT)');
      const facts = Array.from({ length: 20 }, (_, id) => `(${id}, ${id % 13})`).join(', ');
      await db.query(`INSERT INTO facts VALUES ${facts}`);
      await db.query(
        `INSERT INTO accounts VALUES ${Array.from({ length: 10 }, (_, id) => `(${id}, 0)`).join(', ')}`,
      );
      const filtered = 'SELECT COUNT(*) FROM accounts WHERE acct_id > 10';
      const joined = 'SELECT COUNT(*) FROM facts f, accounts a WHERE f.acct = a.acct_id';
      // Three runs each: texts are cached by shape from their third sighting on.
      for (let run = 0; run < 3; run++) {
        assert.equal(Number(await value(filtered)), 0);
        assert.equal(Number(await value(joined)), 17);
      }
      await db.query('INSERT INTO accounts VALUES (11, 1), (12, 1)');
      assert.equal(Number(await value(filtered)), 2);
      assert.equal(Number(await value(joined)), 19);
      const [deleted] = await db.query<{ affectedRows: number } & RowDataPacket[]>(
        'DELETE FROM accounts WHERE acct_id > 10',
      );
      assert.equal((deleted as unknown as { affectedRows: number }).affectedRows, 2);
      await db.query('INSERT INTO accounts VALUES (15, 1)');
      const [again] = await db.query('DELETE FROM accounts WHERE acct_id > 10');
      assert.equal((again as unknown as { affectedRows: number }).affectedRows, 1);
      assert.equal(Number(await value(filtered)), 0);
    });
  }
});
