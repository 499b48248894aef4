/**
 * A session's innodb_lock_wait_timeout bounds its waits for another transaction's locks, as
 * in InnoDB: the leaves here would wait 30 s, a session that sets 1 gets 1205 after about a
 * second — for UPDATE, DELETE and upserts, autocommit or in a transaction, on both storages
 * (a columnstore DELETE waits for another transaction's UPDATE of the row too) — and a session
 * that sets nothing keeps the leaf's limit.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

/** The leaves' own limit: far longer than any wait this test allows. */
const LEAF_WAIT_MS = 30_000;
/** A session's 1 s limit, with room for a busy machine. */
const ANSWERED_WITHIN_MS = 10_000;

describe("a session's innodb_lock_wait_timeout", () => {
  let cluster: SqlCluster;
  let holder: Connection;
  let waiter: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1, lockWaitTimeoutMs: LEAF_WAIT_MS });
    holder = await cluster.connect();
    await holder.query('CREATE DATABASE waits PARTITIONS 2');
    await holder.query('USE waits');
    waiter = await cluster.connect('waits');
  });

  after(async () => {
    await holder.end();
    await waiter.end();
    await cluster.close();
  });

  async function timesOut(sql: string): Promise<void> {
    const started = Date.now();
    await assert.rejects(waiter.query(sql), { errno: 1205, sqlState: 'HY000' }, sql);
    const waited = Date.now() - started;
    assert.ok(waited >= 900, `${sql}: answered after ${waited} ms, before the limit`);
    assert.ok(waited < ANSWERED_WITHIN_MS, `${sql}: answered after ${waited} ms`);
  }

  for (const kind of ['ROWSTORE', '']) {
    it(`ends a blocked write after the session's limit (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `held_${kind.toLowerCase() || 'column'}`;
      await holder.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, v INT)`);
      await holder.query(`INSERT INTO ${table} VALUES (1, 10), (2, 20)`);
      await waiter.query('SET SESSION innodb_lock_wait_timeout = 1');
      await holder.query('BEGIN');
      await holder.query(`UPDATE ${table} SET v = 11 WHERE id = 1`);
      await timesOut(`UPDATE ${table} SET v = 99 WHERE id = 1`);
      await timesOut(`DELETE FROM ${table} WHERE id = 1`);
      await timesOut(`INSERT INTO ${table} VALUES (1, 5) ON DUPLICATE KEY UPDATE v = 7`);
      await waiter.query('BEGIN');
      await timesOut(`UPDATE ${table} SET v = v + 1`);
      await waiter.query('ROLLBACK');
      await holder.query('COMMIT');
      await waiter.query('SET SESSION innodb_lock_wait_timeout = DEFAULT');
      const [rows] = await waiter.query(`SELECT id, v FROM ${table} ORDER BY id`);
      assert.deepEqual(rows, [
        { id: 1, v: 11 },
        { id: 2, v: 20 },
      ]);
    });
  }

  it("keeps the leaf's limit for a session that sets none", async () => {
    await holder.query('CREATE ROWSTORE TABLE patient (id INT PRIMARY KEY, v INT)');
    await holder.query('INSERT INTO patient VALUES (1, 10)');
    await holder.query('BEGIN');
    await holder.query('UPDATE patient SET v = 11 WHERE id = 1');
    const write = waiter.query('UPDATE patient SET v = 12 WHERE id = 1');
    // Still waiting well past a second: then the holder commits and the write goes through.
    const early = await Promise.race([
      write.then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 2_000)),
    ]);
    assert.equal(early, 'waiting');
    await holder.query('COMMIT');
    await write;
    const [rows] = await waiter.query('SELECT v FROM patient');
    assert.deepEqual(rows, [{ v: 12 }]);
  });
});
