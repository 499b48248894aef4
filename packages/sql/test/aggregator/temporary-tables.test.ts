/**
 * CREATE TEMPORARY TABLE: who sees a temporary table, how it shadows a permanent table of its
 * name, DROP's rules, the errors, what SHOW and information_schema list, and temporary tables
 * in joins, subqueries and INSERT … SELECT with permanent tables — on a database of 4
 * partitions over 2 leaves and on one of 1 partition. Every expected answer, error and note was
 * checked against MariaDB 10.11 (the same statements on two connections of a mariadbd).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

async function rowsOf(db: Connection, sql: string): Promise<unknown[][]> {
  const [rows] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
  return rows as unknown[][];
}

async function failure(db: Connection, sql: string): Promise<[number, string] | undefined> {
  try {
    await db.query(sql);
    return undefined;
  } catch (error) {
    const { errno, message } = error as { errno: number; message: string };
    return [errno, message];
  }
}

async function notes(db: Connection, sql: string): Promise<unknown[][]> {
  await db.query(sql);
  return rowsOf(db, 'SHOW WARNINGS');
}

describe('temporary tables', () => {
  let cluster: SqlCluster;
  let a: Connection;
  let b: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    a = await cluster.connect();
    b = await cluster.connect();
    await a.query('CREATE DATABASE tmp4 PARTITIONS 4; CREATE DATABASE tmp1 PARTITIONS 1');
  });

  after(async () => {
    await a.end();
    await b.end();
    await cluster.close();
  });

  for (const database of ['tmp4', 'tmp1']) {
    describe(`in a database of ${database === 'tmp4' ? 4 : 1} partitions`, () => {
      before(async () => {
        await a.query(`USE ${database}`);
        await b.query(`USE ${database}`);
        await a.query('CREATE TABLE t (a INT PRIMARY KEY, b VARCHAR(10))');
        await a.query("INSERT INTO t VALUES (1, 'perm')");
      });

      it('is seen by its session only, and shadows the permanent table there', async () => {
        await a.query('CREATE TEMPORARY TABLE t (a INT, z INT)');
        await a.query('INSERT INTO t VALUES (7, 70)');
        assert.deepEqual(await rowsOf(a, 'SELECT * FROM t'), [[7, 70]]);
        assert.deepEqual(await rowsOf(a, `SELECT * FROM ${database}.t`), [[7, 70]]);
        assert.deepEqual(await rowsOf(a, `SELECT ${database}.t.a FROM t`), [[7]]);
        assert.deepEqual(await rowsOf(b, 'SELECT * FROM t'), [[1, 'perm']]);
        // The other session's temporary table of the same name is its own.
        await b.query('CREATE TEMPORARY TABLE t (q INT)');
        await b.query('INSERT INTO t VALUES (8)');
        assert.deepEqual(await rowsOf(b, 'SELECT * FROM t'), [[8]]);
        assert.deepEqual(await rowsOf(a, 'SELECT * FROM t'), [[7, 70]]);
        await b.query('DROP TEMPORARY TABLE t');
        assert.deepEqual(await rowsOf(b, 'SELECT * FROM t'), [[1, 'perm']]);
        // UPDATE, DELETE, DESCRIBE and SHOW CREATE TABLE reach the temporary one.
        await a.query('UPDATE t SET z = z + 1');
        assert.deepEqual(await rowsOf(a, 'SELECT z FROM t'), [[71]]);
        assert.deepEqual(await rowsOf(a, 'DESCRIBE t'), [
          ['a', 'int(11)', 'YES', '', null, ''],
          ['z', 'int(11)', 'YES', '', null, ''],
        ]);
        const [[name, text]] = (await rowsOf(a, 'SHOW CREATE TABLE t')) as [[string, string]];
        assert.equal(name, 't');
        assert.match(text, /^CREATE TEMPORARY TABLE `t` \(\n {2}`a` int\(11\) DEFAULT NULL,/);
        // Result columns name the table as the session does.
        const [, columns] = await a.query('SELECT * FROM t');
        assert.deepEqual(
          columns?.map((column) => [column.table, column.orgTable]),
          [
            ['t', 't'],
            ['t', 't'],
          ],
        );
        await a.query('DELETE FROM t');
        assert.deepEqual(await rowsOf(a, 'SELECT * FROM t'), []);
        await a.query('DROP TEMPORARY TABLE t');
        assert.deepEqual(await rowsOf(a, 'SELECT * FROM t'), [[1, 'perm']]);
      });

      it('lets two sessions create and fill one of the same name at once', async () => {
        const fill = async (db: Connection, base: number): Promise<void> => {
          await db.query('CREATE TEMPORARY TABLE same (id INT PRIMARY KEY, n INT)');
          const rows = Array.from({ length: 50 }, (_, i) => `(${i}, ${base + i})`).join(', ');
          await db.query(`INSERT INTO same VALUES ${rows}`);
        };
        await Promise.all([fill(a, 1000), fill(b, 2000)]);
        assert.deepEqual(await rowsOf(a, 'SELECT COUNT(*), MIN(n), MAX(n) FROM same'), [
          [50, 1000, 1049],
        ]);
        assert.deepEqual(await rowsOf(b, 'SELECT COUNT(*), MIN(n), MAX(n) FROM same'), [
          [50, 2000, 2049],
        ]);
        await Promise.all([a.query('DROP TABLE same'), b.query('DROP TEMPORARY TABLE same')]);
        assert.deepEqual(await rowsOf(a, 'SHOW TABLES'), [['t']]);
      });

      it('follows MariaDB for CREATE and DROP of a name taken', async () => {
        await a.query('CREATE TEMPORARY TABLE t (a INT, z INT)');
        assert.deepEqual(await failure(a, 'CREATE TEMPORARY TABLE t (x INT)'), [
          1050,
          "Table 't' already exists",
        ]);
        assert.deepEqual(await notes(a, 'CREATE TEMPORARY TABLE IF NOT EXISTS t (x INT)'), [
          ['Note', 1050, "Table 't' already exists"],
        ]);
        // The permanent t exists: CREATE TABLE refuses, as it would without the temporary one.
        assert.deepEqual(await failure(a, 'CREATE TABLE t (x INT)'), [
          1050,
          "Table 't' already exists",
        ]);
        assert.deepEqual(await failure(a, 'DROP TEMPORARY TABLE nope'), [
          1051,
          `Unknown table '${database}.nope'`,
        ]);
        assert.deepEqual(await notes(a, 'DROP TEMPORARY TABLE IF EXISTS nope, t'), [
          ['Note', 1051, `Unknown table '${database}.nope'`],
        ]);
        assert.deepEqual(await rowsOf(a, 'SELECT * FROM t'), [[1, 'perm']]);
        // DROP TEMPORARY never reaches a permanent table.
        assert.deepEqual(await failure(a, 'DROP TEMPORARY TABLE t'), [
          1051,
          `Unknown table '${database}.t'`,
        ]);
        // A permanent table may take a temporary table's name; DROP TABLE drops the temporary
        // one first, then the permanent one.
        await a.query('CREATE TEMPORARY TABLE t2 (a INT)');
        await a.query('CREATE TABLE t2 (b INT)');
        await a.query('INSERT INTO t2 VALUES (5)');
        assert.deepEqual(await rowsOf(b, 'SELECT * FROM t2'), []);
        await a.query('DROP TABLE t2');
        assert.deepEqual(await rowsOf(a, 'SELECT * FROM t2'), []);
        await a.query('DROP TABLE t2');
        assert.deepEqual(await failure(a, 'DROP TABLE t2'), [
          1051,
          `Unknown table '${database}.t2'`,
        ]);
        // The names that exist are dropped even when another one is unknown.
        await a.query('CREATE TEMPORARY TABLE t3 (a INT)');
        assert.deepEqual(await failure(a, 'DROP TABLE t3, nope'), [
          1051,
          `Unknown table '${database}.nope'`,
        ]);
        assert.deepEqual(await failure(a, 'SELECT * FROM t3'), [
          1146,
          `Table '${database}.t3' doesn't exist`,
        ]);
        await a.query('CREATE TEMPORARY TABLE t5 (a INT)');
        assert.deepEqual(await failure(a, 'DROP TEMPORARY TABLE t5, nope'), [
          1051,
          `Unknown table '${database}.nope'`,
        ]);
        assert.deepEqual(await failure(a, 'SELECT * FROM t5'), [
          1146,
          `Table '${database}.t5' doesn't exist`,
        ]);
        assert.deepEqual(await notes(a, 'DROP TEMPORARY TABLE IF EXISTS n1, n2'), [
          ['Note', 1051, `Unknown table '${database}.n1,${database}.n2'`],
        ]);
      });

      it('is listed by neither SHOW TABLES nor information_schema', async () => {
        await a.query('CREATE TEMPORARY TABLE hidden (a INT)');
        await a.query('CREATE TEMPORARY TABLE t (a INT, c INT)');
        assert.deepEqual(await rowsOf(a, 'SHOW TABLES'), [['t']]);
        assert.deepEqual(await rowsOf(a, 'SHOW FULL TABLES'), [['t', 'BASE TABLE']]);
        assert.deepEqual(
          await rowsOf(
            a,
            `SELECT table_name FROM information_schema.TABLES WHERE table_schema = '${database}'`,
          ),
          [['t']],
        );
        assert.deepEqual(
          await rowsOf(
            a,
            `SELECT column_name FROM information_schema.COLUMNS WHERE table_schema = '${database}' ORDER BY 1`,
          ),
          [['a'], ['b']],
        );
        assert.deepEqual((await rowsOf(a, "SHOW TABLE STATUS LIKE 't'")).length, 1);
        assert.deepEqual(await rowsOf(b, 'SHOW TABLES'), [['t']]);
        await a.query('DROP TEMPORARY TABLE hidden, t');
      });

      it('is made by CREATE … SELECT, CREATE … LIKE, and kept by ALTER and RENAME', async () => {
        await a.query('CREATE TEMPORARY TABLE c2 SELECT * FROM t');
        assert.deepEqual(await rowsOf(a, 'SELECT * FROM c2'), [[1, 'perm']]);
        await a.query('CREATE TEMPORARY TABLE c3 LIKE t');
        const [[, like]] = (await rowsOf(a, 'SHOW CREATE TABLE c3')) as [[string, string]];
        assert.match(like, /^CREATE TEMPORARY TABLE `c3` \(\n {2}`a` int\(11\) NOT NULL,/);
        await a.query('INSERT INTO c3 VALUES (1, NULL)');
        assert.deepEqual(await failure(a, 'INSERT INTO c3 VALUES (1, NULL)'), [
          1062,
          "Duplicate entry '1' for key 'PRIMARY'",
        ]);
        await a.query('ALTER TABLE c3 ADD COLUMN c INT DEFAULT 5');
        assert.deepEqual(await rowsOf(a, 'SELECT * FROM c3'), [[1, null, 5]]);
        // A temporary table may take a permanent table's name, not another temporary one's.
        assert.deepEqual(await failure(a, 'ALTER TABLE c3 RENAME TO c2'), [
          1050,
          "Table 'c2' already exists",
        ]);
        await a.query('ALTER TABLE c3 RENAME TO t');
        assert.deepEqual(await rowsOf(a, 'SELECT * FROM t'), [[1, null, 5]]);
        const [[shown]] = (await rowsOf(a, 'SHOW CREATE TABLE t')) as [[string]];
        assert.equal(shown, 't');
        await a.query('RENAME TABLE t TO c4, c2 TO c5');
        assert.deepEqual(await rowsOf(a, 'SELECT * FROM t'), [[1, 'perm']]);
        assert.deepEqual(await rowsOf(a, 'SELECT * FROM c4'), [[1, null, 5]]);
        assert.deepEqual(await rowsOf(a, 'SELECT * FROM c5'), [[1, 'perm']]);
        await a.query('TRUNCATE TABLE c4');
        assert.deepEqual(await rowsOf(a, 'SELECT * FROM c4'), []);
        assert.deepEqual(await rowsOf(b, 'SHOW TABLES'), [['t']]);
        await a.query('DROP TEMPORARY TABLE c4, c5');
      });

      it('joins, filters and copies rows with permanent tables', async () => {
        await a.query('CREATE TABLE big (id INT PRIMARY KEY, g INT, v VARCHAR(10))');
        await a.query(
          "INSERT INTO big VALUES (1,1,'a'),(2,1,'b'),(3,2,'c'),(4,2,'d'),(5,3,'e'),(6,3,'f'),(7,4,'g'),(8,4,'h')",
        );
        await a.query('CREATE TEMPORARY TABLE tk (id INT PRIMARY KEY, w INT)');
        await a.query('INSERT INTO tk VALUES (1,10),(3,30),(5,50),(7,70),(9,90)');
        assert.deepEqual(
          await rowsOf(a, 'SELECT b.id, tk.w FROM big b JOIN tk ON tk.id = b.id ORDER BY b.id'),
          [
            [1, 10],
            [3, 30],
            [5, 50],
            [7, 70],
          ],
        );
        assert.deepEqual(
          await rowsOf(
            a,
            'SELECT b.g, SUM(tk.w) FROM big b JOIN tk ON tk.id = b.id GROUP BY b.g ORDER BY b.g',
          ),
          [
            [1, '10'],
            [2, '30'],
            [3, '50'],
            [4, '70'],
          ],
        );
        assert.deepEqual(
          await rowsOf(a, 'SELECT COUNT(*) FROM tk WHERE id IN (SELECT id FROM big WHERE g > 1)'),
          [[3]],
        );
        assert.deepEqual(
          await rowsOf(a, 'SELECT id FROM big WHERE id NOT IN (SELECT id FROM tk) ORDER BY id'),
          [[2], [4], [6], [8]],
        );
        await a.query('INSERT INTO tk SELECT id + 100, g FROM big WHERE g = 4');
        await a.query("INSERT INTO big SELECT id + 1000, 9, 'fromtmp' FROM tk WHERE id > 100");
        assert.deepEqual(await rowsOf(a, 'SELECT id, v FROM big WHERE g = 9 ORDER BY id'), [
          [1107, 'fromtmp'],
          [1108, 'fromtmp'],
        ]);
        await a.query(
          "UPDATE big b JOIN tk ON tk.id = b.id SET b.v = CONCAT(b.v, '!') WHERE tk.w > 40",
        );
        assert.deepEqual(await rowsOf(a, "SELECT id FROM big WHERE v LIKE '%!' ORDER BY id"), [
          [5],
          [7],
        ]);
        await a.query('DELETE tk FROM tk JOIN big ON big.id = tk.id WHERE big.g = 1');
        assert.deepEqual(await rowsOf(a, 'SELECT id FROM tk ORDER BY id'), [
          [3],
          [5],
          [7],
          [9],
          [107],
          [108],
        ]);
        await a.query('INSERT INTO tk VALUES (3, 0) ON DUPLICATE KEY UPDATE w = tk.w + 1');
        assert.deepEqual(await rowsOf(a, 'SELECT w FROM tk WHERE id = 3'), [[31]]);
        // A CTE of the name wins over the temporary table.
        assert.deepEqual(await rowsOf(a, 'WITH tk AS (SELECT 1 AS id) SELECT * FROM tk'), [[1]]);
        // The other session has no tk.
        assert.deepEqual(await failure(b, 'SELECT * FROM tk'), [
          1146,
          `Table '${database}.tk' doesn't exist`,
        ]);
        await a.query('CREATE ROWSTORE TEMPORARY TABLE tr (id INT PRIMARY KEY, n INT)');
        await a.query('CREATE TEMPORARY REFERENCE TABLE tf (g INT PRIMARY KEY, name VARCHAR(5))');
        await a.query('INSERT INTO tr VALUES (1, 1), (2, 2)');
        await a.query("INSERT INTO tf VALUES (1, 'one'), (2, 'two')");
        assert.deepEqual(
          await rowsOf(
            a,
            'SELECT tr.id, tf.name FROM tr JOIN big ON big.id = tr.id JOIN tf ON tf.g = big.g ORDER BY 1',
          ),
          [
            [1, 'one'],
            [2, 'one'],
          ],
        );
        await a.query('DROP TABLE tk, tr, tf, big');
      });

      it('keeps views on what they named, and may not be named by one', async () => {
        await a.query('CREATE VIEW v AS SELECT * FROM t');
        await a.query('CREATE TEMPORARY TABLE t (a INT, z INT)');
        await a.query('INSERT INTO t VALUES (5, 5)');
        assert.deepEqual(await rowsOf(a, 'SELECT * FROM v'), [[1, 'perm']]);
        assert.deepEqual(await failure(a, 'CREATE VIEW w AS SELECT * FROM t'), [
          1352,
          "View's SELECT refers to a temporary table 't'",
        ]);
        assert.deepEqual(
          await failure(a, 'CREATE VIEW w AS SELECT 1 FROM DUAL WHERE EXISTS (SELECT * FROM t)'),
          [1352, "View's SELECT refers to a temporary table 't'"],
        );
        await a.query('DROP TEMPORARY TABLE t');
        await a.query('DROP VIEW v');
      });

      // The reserved names are this data plane's (MariaDB lets a user create `#sql-temporary-2`).
      it('keeps the names it uses out of reach of users', async () => {
        await a.query('CREATE TEMPORARY TABLE mine (a INT)');
        const [[hidden]] = (await rowsOf(
          a,
          `SELECT COUNT(*) FROM information_schema.TABLES WHERE table_schema = '${database}' AND table_name LIKE '#%'`,
        )) as [[number]];
        assert.equal(hidden, 0);
        assert.deepEqual(await failure(b, 'SELECT * FROM `#sql-temporary-1`'), [
          1146,
          `Table '${database}.#sql-temporary-1' doesn't exist`,
        ]);
        assert.deepEqual(await failure(b, 'CREATE TABLE `#sql-temporary-2` (a INT)'), [
          1103,
          "Incorrect table name '#sql-temporary-2'",
        ]);
        assert.deepEqual(await failure(b, 'DROP TABLE `#sql-temporary-2`'), [
          1051,
          `Unknown table '${database}.#sql-temporary-2'`,
        ]);
        const [result] = await a.query<ResultSetHeader>('DROP TEMPORARY TABLE mine');
        assert.equal(result.affectedRows, 0);
      });
    });
  }
});
