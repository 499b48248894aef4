/**
 * Inside an explicit transaction a failed or killed statement is rolled back alone, as MariaDB
 * does: the transaction stays open with its earlier writes and COMMIT keeps them. Against a
 * real cluster of 2 leaves and 4 partitions through mysql2, on rowstore (SQLite) and
 * columnstore (DuckDB, which ends its engine transaction on any error) tables. The expected
 * rows and errors are what MariaDB 10.11 answered to the same statements.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { waitRunning } from '../support/processlist.js';

/** Rows of the reference table `r`: its triple cross join takes minutes to insert from. */
const REFERENCE_ROWS = 4000;

async function rowsOf(db: Connection, sql: string): Promise<unknown[][]> {
  const [rows] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
  return rows as unknown[][];
}

async function errnoOf(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { errno?: number }).errno;
  }
}

async function connectionId(db: Connection): Promise<number> {
  const [[row]] = (await rowsOf(db, 'SELECT CONNECTION_ID()')) as [[number]];
  return Number(row);
}

describe('statement rollback inside a transaction', () => {
  let cluster: SqlCluster;
  let admin: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    admin = await cluster.connect();
    await admin.query('CREATE DATABASE stmt PARTITIONS 4');
    await admin.query('USE stmt');
    await admin.query('CREATE REFERENCE TABLE r (x INT PRIMARY KEY)');
    const values = Array.from({ length: REFERENCE_ROWS }, (_, index) => `(${index})`).join(',');
    await admin.query(`INSERT INTO r VALUES ${values}`);
  });

  after(async () => {
    await admin.end();
    await cluster.close();
  });

  for (const storage of ['ROWSTORE', 'COLUMNSTORE']) {
    const kind = storage === 'ROWSTORE' ? 'ROWSTORE' : '';
    const name = storage.toLowerCase();

    it(`${storage}: a duplicate key fails only its statement; COMMIT keeps the rest`, async () => {
      const table = `dup_${name}`;
      await admin.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, v INT)`);
      await admin.query(`INSERT INTO ${table} VALUES (1, 1)`);
      const db = await cluster.connect('stmt');
      try {
        await db.query('BEGIN');
        await db.query(`INSERT INTO ${table} VALUES (2, 2)`);
        // Rows on several partitions, the last one a duplicate: none of them stays.
        const failed = db.query(`INSERT INTO ${table} VALUES (3, 3), (5, 5), (7, 7), (1, 9)`);
        assert.equal(await errnoOf(failed), 1062);
        await db.query(`INSERT INTO ${table} VALUES (4, 4)`);
        assert.deepEqual(await rowsOf(db, `SELECT id, v FROM ${table} ORDER BY id`), [
          [1, 1],
          [2, 2],
          [4, 4],
        ]);
        await db.query('COMMIT');
        assert.deepEqual(await rowsOf(admin, `SELECT id, v FROM ${table} ORDER BY id`), [
          [1, 1],
          [2, 2],
          [4, 4],
        ]);
      } finally {
        await db.end();
      }
    });

    it(`${storage}: statement rollback keeps user savepoints working`, async () => {
      const table = `sp_${name}`;
      await admin.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, v INT)`);
      const db = await cluster.connect('stmt');
      try {
        await db.query('BEGIN');
        await db.query(`INSERT INTO ${table} VALUES (1, 1), (2, 2), (3, 3), (4, 4)`);
        await db.query(`UPDATE ${table} SET v = v + 10 WHERE id IN (1, 3)`);
        await db.query('SAVEPOINT s');
        await db.query(`INSERT INTO ${table} VALUES (5, 5), (6, 6)`);
        assert.equal(await errnoOf(db.query(`INSERT INTO ${table} VALUES (7, 7), (2, 0)`)), 1062);
        await db.query(`UPDATE ${table} SET v = v + 100`);
        assert.equal(await errnoOf(db.query(`INSERT INTO ${table} VALUES (8, 8), (3, 0)`)), 1062);
        await db.query('ROLLBACK TO SAVEPOINT s');
        await db.query(`INSERT INTO ${table} VALUES (9, 9)`);
        assert.equal(await errnoOf(db.query(`INSERT INTO ${table} VALUES (10, 10), (4, 0)`)), 1062);
        await db.query('COMMIT');
        assert.deepEqual(await rowsOf(admin, `SELECT id, v FROM ${table} ORDER BY id`), [
          [1, 11],
          [2, 2],
          [3, 13],
          [4, 4],
          [9, 9],
        ]);
      } finally {
        await db.end();
      }
    });
  }

  it('KILL QUERY of a columnstore write: only the statement is rolled back', async () => {
    await admin.query('CREATE TABLE big (id INT, v INT)');
    const db = await cluster.connect('stmt');
    try {
      const id = await connectionId(db);
      await db.query('BEGIN');
      await db.query('INSERT INTO big VALUES (1, 1), (2, 2), (3, 3)');
      const running = errnoOf(
        db.query(
          'INSERT INTO big SELECT a.x, b.x FROM r a, r b, r c WHERE a.x + b.x + c.x <> -1 AND c.x >= 0',
        ),
      );
      await waitRunning(admin, id);
      await admin.query(`KILL QUERY ${id}`);
      assert.equal(await running, 1317);
      // The transaction goes on: it sees its own rows and writes more.
      assert.deepEqual(await rowsOf(db, 'SELECT COUNT(*) FROM big'), [[3]]);
      await db.query('INSERT INTO big VALUES (4, 4)');
      await db.query('COMMIT');
      assert.deepEqual(await rowsOf(admin, 'SELECT id, v FROM big ORDER BY id'), [
        [1, 1],
        [2, 2],
        [3, 3],
        [4, 4],
      ]);
    } finally {
      await db.end();
    }
  });

  it('KILL QUERY of a rowstore write waiting for a lock keeps the transaction', async () => {
    await admin.query('CREATE ROWSTORE TABLE locked (id INT PRIMARY KEY, v INT)');
    await admin.query('INSERT INTO locked VALUES (1, 1), (2, 2), (3, 3), (4, 4)');
    await admin.query('CREATE TABLE kept (id INT PRIMARY KEY)');
    const holder = await cluster.connect('stmt');
    const db = await cluster.connect('stmt');
    try {
      await holder.query('BEGIN');
      await holder.query('UPDATE locked SET v = 10 WHERE id = 1');
      const id = await connectionId(db);
      await db.query('BEGIN');
      await db.query('INSERT INTO kept VALUES (1), (2), (3), (4)');
      // Updates the partitions it can, then waits for the one the holder locked.
      const running = errnoOf(db.query('UPDATE locked SET v = v + 100'));
      await waitRunning(admin, id);
      await admin.query(`KILL QUERY ${id}`);
      assert.equal(await running, 1317);
      await holder.query('COMMIT');
      await db.query('INSERT INTO kept VALUES (5)');
      await db.query('COMMIT');
      assert.deepEqual(await rowsOf(admin, 'SELECT id, v FROM locked ORDER BY id'), [
        [1, 10],
        [2, 2],
        [3, 3],
        [4, 4],
      ]);
      assert.deepEqual(await rowsOf(admin, 'SELECT id FROM kept ORDER BY id'), [
        [1],
        [2],
        [3],
        [4],
        [5],
      ]);
    } finally {
      await holder.end();
      await db.end();
    }
  });
});
