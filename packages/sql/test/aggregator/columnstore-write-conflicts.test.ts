/**
 * Autocommit writes to columnstore rows that another transaction is writing: DuckDB detects
 * the conflict optimistically and rolls the statement back, where InnoDB would make it wait for
 * the row lock. The statement runs again (on the leaf for one partition, as a new implicit
 * transaction on the aggregator for several) until the other commits or the lock wait timeout
 * (1205): concurrent increments all apply, none answers 1213. Before, most of them failed; and
 * concurrent upserts of a new key, INSERT IGNORE and REPLACE answered 1062 where the second
 * should update, skip or replace the first's row.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const CLIENTS = 6;
const ROUNDS = 6;

describe('columnstore autocommit writes that conflict', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE wc PARTITIONS 4');
    await db.query('USE wc');
    await db.query('CREATE TABLE c (id INT PRIMARY KEY, bal INT NOT NULL)');
    await db.query('INSERT INTO c VALUES (1, 0), (2, 0), (3, 0), (4, 0), (5, 0)');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  async function concurrently(sql: string): Promise<number[]> {
    const errors: number[] = [];
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        const client = await cluster.connect('wc');
        try {
          for (let round = 0; round < ROUNDS; round++)
            await client.query(sql).catch((error: { errno: number }) => errors.push(error.errno));
        } finally {
          await client.end();
        }
      }),
    );
    return errors;
  }

  const balances = async (): Promise<number[]> => {
    const [rows] = await db.query<RowDataPacket[]>('SELECT bal FROM c ORDER BY id');
    return rows.map((row) => Number(row.bal));
  };

  it('applies every increment of one row', async () => {
    assert.deepEqual(await concurrently('UPDATE c SET bal = bal + 1 WHERE id = 1'), []);
    assert.equal((await balances())[0], CLIENTS * ROUNDS);
  });

  it('applies every increment of rows on several partitions', async () => {
    assert.deepEqual(await concurrently('UPDATE c SET bal = bal + 1 WHERE id > 1'), []);
    assert.deepEqual(
      (await balances()).slice(1),
      [1, 2, 3, 4].map(() => CLIENTS * ROUNDS),
    );
  });

  it('inserts a new key once and updates it for every other upsert', async () => {
    const errors = await concurrently(
      'INSERT INTO c VALUES (9, 1) ON DUPLICATE KEY UPDATE bal = bal + 1',
    );
    assert.deepEqual(errors, []);
    const [rows] = await db.query<RowDataPacket[]>('SELECT bal FROM c WHERE id = 9');
    assert.equal(Number(rows[0]?.bal), CLIENTS * ROUNDS);
  });

  it('skips or replaces, never refuses, a key another INSERT IGNORE or REPLACE just wrote', async () => {
    await db.query('CREATE TABLE k (id INT PRIMARY KEY, v INT)');
    // One row per statement (one partition), and rows on several partitions per statement.
    const errors = [
      ...(await concurrently('INSERT IGNORE INTO k VALUES (1, 1)')),
      ...(await concurrently('REPLACE INTO k VALUES (2, 2)')),
      ...(await concurrently('INSERT IGNORE INTO k VALUES (3, 3), (4, 4), (5, 5), (6, 6)')),
      ...(await concurrently('REPLACE INTO k VALUES (7, 7), (8, 8), (9, 9), (10, 10)')),
    ];
    assert.deepEqual(errors, []);
    const [rows] = await db.query<RowDataPacket[]>('SELECT id, v FROM k ORDER BY id');
    assert.deepEqual(
      rows.map((row) => [Number(row.id), Number(row.v)]),
      Array.from({ length: 10 }, (_, index) => [index + 1, index + 1]),
    );
  });

  it('waits for an open transaction’s write, then applies on top of it', async () => {
    const holder = await cluster.connect('wc');
    const writer = await cluster.connect('wc');
    try {
      await holder.query('BEGIN');
      await holder.query('UPDATE c SET bal = 1000 WHERE id = 1');
      let done = false;
      const waiting = writer.query('UPDATE c SET bal = bal + 1 WHERE id = 1').then(() => {
        done = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(done, false, 'the autocommit UPDATE waits');
      await holder.query('COMMIT');
      await waiting;
      assert.equal((await balances())[0], 1001);
    } finally {
      await holder.end();
      await writer.end();
    }
  });

  it('answers 1205 once the lock wait timeout passes', async () => {
    const holder = await cluster.connect('wc');
    const writer = await cluster.connect('wc');
    try {
      await holder.query('BEGIN');
      await holder.query('UPDATE c SET bal = 0 WHERE id = 2');
      await assert.rejects(
        writer.query('UPDATE c SET bal = bal + 1 WHERE id = 2'),
        (error: { errno: number }) => error.errno === 1205,
      );
      await holder.query('ROLLBACK');
      assert.equal((await balances())[1], CLIENTS * ROUNDS);
    } finally {
      await holder.end();
      await writer.end();
    }
  });
});
