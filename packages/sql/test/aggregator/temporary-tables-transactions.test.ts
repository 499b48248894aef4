/**
 * Temporary tables inside transactions, as MariaDB 10.11 with InnoDB has them: CREATE and
 * DROP TEMPORARY TABLE do not commit the open transaction; the rows written to a temporary
 * table roll back with it, the table itself stays (after a ROLLBACK TO SAVEPOINT too, with
 * warning 1196); a transaction reads and writes the temporary tables it created, even after
 * it read the partitions (whose engine snapshots predate the table) or wrote rowstore rows
 * (whose write locks it holds). Every expected answer was checked against MariaDB 10.11 with
 * the same statements (ROWSTORE aside: MariaDB has no such word, its tables were plain).
 * A database of 4 partitions over 2 leaves, and one of 1 partition.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

async function rowsOf(db: Connection, sql: string): Promise<unknown[][]> {
  const [rows] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
  return rows as unknown[][];
}

describe('temporary tables in transactions', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE txn4 PARTITIONS 4; CREATE DATABASE txn1 PARTITIONS 1');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const database of ['txn4', 'txn1']) {
    describe(`in a database of ${database === 'txn4' ? 4 : 1} partitions`, () => {
      before(async () => {
        await db.query(`USE ${database}`);
        await db.query('CREATE TABLE p (a INT PRIMARY KEY)');
        await db.query('CREATE ROWSTORE TABLE rp (a INT PRIMARY KEY)');
        await db.query('INSERT INTO p VALUES (1)');
      });

      it('rolls back the rows, not the table, and commits nothing early', async () => {
        await db.query('BEGIN');
        await db.query('INSERT INTO p VALUES (2)');
        await db.query('CREATE TEMPORARY TABLE tt (a INT PRIMARY KEY)');
        await db.query('INSERT INTO tt VALUES (10)');
        await db.query('ROLLBACK');
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM p'), [[1]]);
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM tt'), []);
        await db.query('BEGIN');
        await db.query('INSERT INTO tt VALUES (11)');
        await db.query('INSERT INTO p VALUES (3)');
        await db.query('COMMIT');
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM tt'), [[11]]);
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM p ORDER BY a'), [[1], [3]]);
        await db.query('BEGIN');
        await db.query('INSERT INTO tt VALUES (12)');
        await db.query('DROP TEMPORARY TABLE tt');
        await db.query('ROLLBACK');
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM p ORDER BY a'), [[1], [3]]);
        await assert.rejects(db.query('SELECT * FROM tt'), { errno: 1146 });
      });

      it('reads and writes a table it created after reading the partitions', async () => {
        await db.query('BEGIN');
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM p ORDER BY a'), [[1], [3]]);
        await db.query('INSERT INTO p VALUES (4)');
        await db.query('CREATE TEMPORARY TABLE ct (a INT)');
        await db.query('INSERT INTO ct VALUES (5)');
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM ct'), [[5]]);
        await db.query('INSERT INTO ct SELECT a FROM p');
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM ct ORDER BY a'), [[1], [3], [4], [5]]);
        await db.query('INSERT INTO p SELECT a + 10 FROM ct');
        await db.query('DROP TEMPORARY TABLE ct');
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM p ORDER BY a'), [
          [1],
          [3],
          [4],
          [11],
          [13],
          [14],
          [15],
        ]);
        await db.query('ROLLBACK');
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM p ORDER BY a'), [[1], [3]]);
        await db.query('BEGIN');
        await db.query('INSERT INTO p VALUES (4)');
        await db.query('CREATE TEMPORARY TABLE ct2 AS SELECT * FROM p');
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM ct2 ORDER BY a'), [[1], [3], [4]]);
        await db.query('COMMIT');
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM ct2 ORDER BY a'), [[1], [3], [4]]);
        await db.query('DROP TEMPORARY TABLE ct2');
        await db.query('DELETE FROM p WHERE a = 4');
      });

      it('keeps a table created after a savepoint rolled back to', async () => {
        await db.query('BEGIN');
        await db.query('SELECT * FROM p');
        await db.query('SAVEPOINT s');
        await db.query('CREATE TEMPORARY TABLE x (a INT)');
        await db.query('INSERT INTO x VALUES (1)');
        await db.query('ROLLBACK TO SAVEPOINT s');
        assert.deepEqual(await rowsOf(db, 'SHOW WARNINGS'), [
          ['Warning', 1196, "Some non-transactional changed tables couldn't be rolled back"],
        ]);
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM x'), []);
        await db.query('INSERT INTO x VALUES (2)');
        await db.query('INSERT INTO p SELECT a + 10 FROM x');
        await db.query('COMMIT');
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM p ORDER BY a'), [[1], [3], [12]]);
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM x'), [[2]]);
        await db.query('DROP TEMPORARY TABLE x');
        await db.query('DELETE FROM p WHERE a = 12');
      });

      it('works beside the rowstore write locks the transaction holds', async () => {
        await db.query('BEGIN');
        await db.query('INSERT INTO rp VALUES (1)');
        await db.query('CREATE ROWSTORE TEMPORARY TABLE y (a INT PRIMARY KEY)');
        await db.query('INSERT INTO y VALUES (5)');
        await db.query('INSERT INTO rp SELECT a FROM y');
        await db.query('DROP TEMPORARY TABLE y');
        await assert.rejects(db.query('SELECT * FROM y'), { errno: 1146 });
        await db.query('COMMIT');
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM rp ORDER BY a'), [[1], [5]]);
        await db.query('BEGIN');
        await db.query('INSERT INTO rp VALUES (2)');
        await db.query('CREATE ROWSTORE TEMPORARY TABLE z (a INT PRIMARY KEY)');
        await db.query('INSERT INTO z VALUES (6)');
        await db.query('ROLLBACK');
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM z'), []);
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM rp ORDER BY a'), [[1], [5]]);
        await db.query('INSERT INTO z VALUES (7)');
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM z'), [[7]]);
        await db.query('DROP TEMPORARY TABLE z');
      });

      it('follows autocommit = 0', async () => {
        await db.query('SET autocommit = 0');
        await db.query('CREATE TEMPORARY TABLE w (a INT)');
        await db.query('INSERT INTO w VALUES (1)');
        await db.query('ROLLBACK');
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM w'), []);
        await db.query('INSERT INTO w VALUES (2)');
        await db.query('COMMIT');
        await db.query('DROP TEMPORARY TABLE w');
        await assert.rejects(db.query('SELECT * FROM w'), { errno: 1146 });
        await db.query('INSERT INTO p VALUES (50)');
        await db.query('ROLLBACK');
        await db.query('SET autocommit = 1');
        assert.deepEqual(await rowsOf(db, 'SELECT * FROM p ORDER BY a'), [[1], [3]]);
      });
    });
  }
});
