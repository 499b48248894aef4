/**
 * READ ONLY transactions and @@in_transaction as MariaDB 10.11 answers them (the same
 * sequences run side by side on the throwaway server of bench/sql): inside START TRANSACTION
 * READ ONLY, or while the session's tx_read_only is 1, writes to tables are 1792 and change
 * nothing on both storages; the session's temporary tables may be written but not created or
 * dropped. Real cluster: 2 leaves, 4 partitions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('READ ONLY transactions', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const value = async (sql: string): Promise<unknown> => {
    const [rows] = await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true });
    return rows[0]?.[0];
  };
  const refused = (sql: string): Promise<void> =>
    assert.rejects(db.query(sql), {
      errno: 1792,
      message: 'Cannot execute statement in a READ ONLY transaction',
    });

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE ro PARTITIONS 4');
    await db.query('USE ro');
    await db.query('CREATE TABLE c (id INT PRIMARY KEY, v INT)');
    await db.query('CREATE ROWSTORE TABLE r (id INT PRIMARY KEY, v INT)');
    await db.query('INSERT INTO c VALUES (1, 10), (2, 20)');
    await db.query('INSERT INTO r VALUES (1, 10), (2, 20)');
    await db.query('CREATE TEMPORARY TABLE tt (x INT)');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('refuses writes to tables inside START TRANSACTION READ ONLY and still reads', async () => {
    await db.query('START TRANSACTION READ ONLY');
    for (const table of ['c', 'r']) {
      await refused(`UPDATE ${table} SET v = 0`);
      await refused(`INSERT INTO ${table} VALUES (3, 30)`);
      await refused(`DELETE FROM ${table} WHERE id = 1`);
      await refused(`REPLACE INTO ${table} VALUES (1, 0)`);
      assert.equal(await value(`SELECT SUM(v) FROM ${table}`), '30');
    }
    await refused('CREATE TEMPORARY TABLE t2 (x INT)');
    await refused('DROP TEMPORARY TABLE tt');
    await db.query('INSERT INTO tt VALUES (1)');
    await db.query('UPDATE tt SET x = 2');
    assert.equal(await value('SELECT x FROM tt'), 2);
    assert.equal(await value('SELECT @@in_transaction'), 1);
    await db.query('COMMIT');
    assert.equal(await value('SELECT @@in_transaction'), 0);
    // The next transaction writes again.
    await db.query('BEGIN');
    await db.query('INSERT INTO c VALUES (3, 30)');
    await db.query('COMMIT');
    assert.equal(await value('SELECT COUNT(*) FROM c'), 3);
  });

  it('refuses writes while the session is READ ONLY, until it is READ WRITE again', async () => {
    await db.query('SET SESSION TRANSACTION READ ONLY');
    assert.equal(await value('SELECT @@tx_read_only'), 1);
    await refused('INSERT INTO r VALUES (4, 40)');
    await db.query('SET SESSION TRANSACTION READ WRITE');
    await db.query('INSERT INTO r VALUES (4, 40)');
    assert.equal(await value('SELECT COUNT(*) FROM r'), 3);
  });

  it('counts an autocommit=0 transaction as open once it used a table', async () => {
    await db.query('SET autocommit = 0');
    try {
      assert.equal(await value('SELECT @@in_transaction'), 0);
      await value('SELECT COUNT(*) FROM c');
      assert.equal(await value('SELECT @@in_transaction'), 1);
      await db.query('ROLLBACK');
      assert.equal(await value('SELECT @@in_transaction'), 0);
    } finally {
      await db.query('SET autocommit = 1');
    }
  });
});
