/**
 * SELECT … FOR UPDATE in a transaction locks what it reads until the transaction ends, as
 * InnoDB does (here: each partition it reads, by the partition's write lock). Read-modify-write
 * loops from several clients lose no update on either storage; a second locking reader waits
 * for the first transaction's commit and then reads its value; a plain read does not wait; a
 * cycle of waits is a deadlock (1213). Without the lock, rowstore clients lost most updates
 * and columnstore ones failed with write conflicts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const CLIENTS = 5;
const ROUNDS = 8;

async function balance(db: Connection, table: string, id = 1): Promise<number> {
  const [rows] = await db.query<RowDataPacket[]>(`SELECT bal FROM ${table} WHERE id = ?`, [id]);
  return Number(rows[0]?.bal);
}

describe('SELECT … FOR UPDATE', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let other: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    for (const name of ['fu', 'fu_a', 'fu_b']) await db.query(`CREATE DATABASE ${name}`);
    await db.query('USE fu');
    await db.query('CREATE ROWSTORE TABLE r (id INT PRIMARY KEY, bal INT NOT NULL)');
    await db.query('CREATE TABLE c (id INT PRIMARY KEY, bal INT NOT NULL)');
    other = await cluster.connect('fu');
  });

  after(async () => {
    await db.end();
    await other.end();
    await cluster.close();
  });

  for (const table of ['r', 'c']) {
    it(`loses no update of concurrent read-modify-write transactions (${table === 'r' ? 'rowstore' : 'columnstore'})`, async () => {
      await db.query(`INSERT INTO ${table} VALUES (1, 0), (2, 0)`);
      const errors: number[] = [];
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          const client = await cluster.connect('fu');
          try {
            for (let round = 0; round < ROUNDS; round++) {
              await client.query('BEGIN');
              const [rows] = await client.query<RowDataPacket[]>(
                `SELECT bal FROM ${table} WHERE id = 1 FOR UPDATE`,
              );
              await client.query(`UPDATE ${table} SET bal = ? WHERE id = 1`, [
                Number(rows[0]?.bal) + 1,
              ]);
              await client.query('COMMIT');
            }
          } catch (error) {
            errors.push((error as { errno: number }).errno);
            await client.query('ROLLBACK');
          } finally {
            await client.end();
          }
        }),
      );
      assert.deepEqual(errors, []);
      assert.equal(await balance(db, table), CLIENTS * ROUNDS);
    });

    it(`makes a second locking reader wait for the commit, not a plain one (${table})`, async () => {
      const before = await balance(db, table, 2);
      await db.query('BEGIN');
      await db.query(`SELECT bal FROM ${table} WHERE id = 2 FOR UPDATE`);
      await other.query('BEGIN');
      let read: number | undefined;
      const waiting = other
        .query<RowDataPacket[]>(`SELECT bal FROM ${table} WHERE id = 2 FOR UPDATE`)
        .then(([rows]) => {
          read = Number(rows[0]?.bal);
        });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(read, undefined, 'the second FOR UPDATE waits');
      const [plain] = await cluster.connect('fu').then(async (third) => {
        try {
          return await third.query<RowDataPacket[]>(`SELECT bal FROM ${table} WHERE id = 2`);
        } finally {
          await third.end();
        }
      });
      assert.equal(Number(plain[0]?.bal), before, 'a plain read does not wait');
      await db.query(`UPDATE ${table} SET bal = bal + 10 WHERE id = 2`);
      await db.query('COMMIT');
      await waiting;
      assert.equal(read, before + 10);
      await other.query('COMMIT');
    });
  }

  it('locks every partition a range read reads', async () => {
    await db.query('BEGIN');
    await db.query('SELECT COUNT(*) FROM r WHERE bal >= 0 FOR UPDATE');
    await other.query('BEGIN');
    let done = false;
    const waiting = other.query('SELECT bal FROM r WHERE id = 1 FOR UPDATE').then(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(done, false, 'a point FOR UPDATE waits for the range one');
    await db.query('COMMIT');
    await waiting;
    await other.query('COMMIT');
  });

  it('reports a cycle of locking reads as a deadlock (1213)', async () => {
    for (const name of ['fu_a', 'fu_b']) {
      await db.query(`CREATE ROWSTORE TABLE ${name}.t (id INT PRIMARY KEY, bal INT NOT NULL)`);
      await db.query(`INSERT INTO ${name}.t VALUES (1, 0)`);
    }
    await db.query('BEGIN');
    await other.query('BEGIN');
    await db.query('SELECT bal FROM fu_a.t WHERE id = 1 FOR UPDATE');
    await other.query('SELECT bal FROM fu_b.t WHERE id = 1 FOR UPDATE');
    const first = db.query('SELECT bal FROM fu_b.t WHERE id = 1 FOR UPDATE');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await assert.rejects(
      other.query('SELECT bal FROM fu_a.t WHERE id = 1 FOR UPDATE'),
      (error: { errno: number }) => error.errno === 1213,
    );
    await other.query('ROLLBACK');
    await first;
    await db.query('COMMIT');
  });
});
