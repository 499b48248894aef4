/**
 * DELETE … RETURNING (MariaDB; `aggregator/delete-returning.ts`): the rows deleted, as a result
 * set of the items over them, on both storages, a reference table, a routed single-partition
 * delete and a prepared statement, and deletes that pick their rows first (ORDER BY, LIMIT, a
 * subquery: rows in the order picked); an unknown column is 1054 in 'RETURNING' and deletes
 * nothing. The expected rows are MariaDB 10.11's answers to the same statements (its rows come
 * in primary-key order when nothing else orders them).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('DELETE … RETURNING', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE delret');
    await db.query('USE delret');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  async function rows(sql: string): Promise<unknown[][]> {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown as unknown[][];
  }

  for (const kind of ['', 'ROWSTORE', 'REFERENCE']) {
    it(`returns the rows deleted${kind === '' ? '' : ` (${kind.toLowerCase()})`}`, async () => {
      const table = `q${kind.toLowerCase()}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY AUTO_INCREMENT, job VARCHAR(10), pri INT, at DATETIME DEFAULT '2024-01-01 10:00:00')`,
      );
      await db.query(
        `INSERT INTO ${table} (job, pri) VALUES ('a', 1), ('b', 2), ('c', 3), ('d', 1), ('e', 5)`,
      );
      assert.deepEqual(
        await rows(`DELETE FROM ${table} WHERE pri = 1 RETURNING id, job, UPPER(job) u, at`),
        [
          [1, 'a', 'A', '2024-01-01 10:00:00'],
          [4, 'd', 'D', '2024-01-01 10:00:00'],
        ],
      );
      assert.deepEqual(await rows(`DELETE FROM ${table} WHERE id = 99 RETURNING id`), []);
      await assert.rejects(db.query(`DELETE FROM ${table} WHERE id = 3 RETURNING nosuch`), {
        errno: 1054,
        message: "Unknown column 'nosuch' in 'RETURNING'",
      });
      // Picked first (ORDER BY, LIMIT): the lowest id left is 2.
      assert.deepEqual(await rows(`DELETE FROM ${table} ORDER BY id LIMIT 1 RETURNING *`), [
        [2, 'b', 2, '2024-01-01 10:00:00'],
      ]);
      assert.deepEqual(
        await rows(`DELETE FROM ${table} RETURNING ${table}.id, delret.${table}.job`),
        [
          [3, 'c'],
          [5, 'e'],
        ],
      );
      assert.deepEqual(await rows(`SELECT COUNT(*) FROM ${table}`), [[0]]);
    });
  }

  it('returns picked rows in the order of ORDER BY (a queue pop), keyless tables too', async () => {
    await db.query(
      'CREATE TABLE jobs (id INT PRIMARY KEY AUTO_INCREMENT, job VARCHAR(10), pri INT)',
    );
    await db.query(
      "INSERT INTO jobs (job, pri) VALUES ('a', 3), ('b', 2), ('c', 3), ('d', 1), ('e', 5), ('f', 2)",
    );
    assert.deepEqual(
      await rows('DELETE FROM jobs ORDER BY pri DESC, id LIMIT 2 RETURNING id, job, pri'),
      [
        [5, 'e', 5],
        [1, 'a', 3],
      ],
    );
    assert.deepEqual(await rows('DELETE FROM jobs WHERE id IN (SELECT 4) RETURNING id'), [[4]]);
    assert.deepEqual(
      await rows('DELETE FROM jobs WHERE pri = 2 ORDER BY id DESC RETURNING id, job'),
      [
        [6, 'f'],
        [2, 'b'],
      ],
    );
    await assert.rejects(db.query('DELETE FROM jobs ORDER BY id LIMIT 5 RETURNING nosuch'), {
      errno: 1054,
    });
    assert.deepEqual(await rows('SELECT id FROM jobs'), [[3]]);
    await db.query('CREATE TABLE nk (a INT, b VARCHAR(5))');
    await db.query("INSERT INTO nk VALUES (1, 'x'), (1, 'x'), (2, 'y')");
    assert.deepEqual(await rows('DELETE FROM nk WHERE a = 1 LIMIT 1 RETURNING a, b'), [[1, 'x']]);
    assert.deepEqual(await rows('SELECT COUNT(*) FROM nk'), [[2]]);
  });

  it('returns rows to a prepared statement', async () => {
    await db.query('CREATE TABLE p (id BIGINT PRIMARY KEY, v VARCHAR(10))');
    await db.query("INSERT INTO p VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    const [result] = await db.execute<RowDataPacket[]>(
      'DELETE FROM p WHERE id >= ? RETURNING id, v',
      [2],
    );
    assert.deepEqual(
      result.map((row) => ({ ...row })),
      [
        { id: 2, v: 'b' },
        { id: 3, v: 'c' },
      ],
    );
  });
});
