/**
 * CREATE TABLE … SELECT without a column list, CREATE TABLE … LIKE, adding and dropping
 * PRIMARY and UNIQUE keys on tables with rows, RENAME, and savepoints — through mysql2 against
 * a real cluster with 2 leaves and 4 partitions. Derived column types follow what MariaDB
 * 10.11 creates for the same CREATE TABLE … SELECT.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

async function rowsOf(db: Connection, sql: string): Promise<unknown[][]> {
  const [rows] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
  return rows as unknown[][];
}

async function errno(db: Connection, sql: string): Promise<number | undefined> {
  try {
    await db.query(sql);
    return undefined;
  } catch (error) {
    return (error as { errno?: number }).errno;
  }
}

async function columnTypes(db: Connection, table: string): Promise<string[]> {
  const rows = await rowsOf(db, `SHOW COLUMNS FROM ${table}`);
  return rows.map((row) => `${String(row[0])} ${String(row[1])} ${String(row[2])}`);
}

describe('DDL keys and savepoints', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE ddl PARTITIONS 4');
    await db.query('USE ddl');
    await db.query(
      'CREATE TABLE src (id INT PRIMARY KEY, v VARCHAR(20) NOT NULL, d DECIMAL(10,2), t DATETIME)',
    );
    await db.query(
      "INSERT INTO src VALUES (1,'a',1.50,'2024-01-01 10:00:00'),(2,'b',NULL,NULL),(3,'c',2,NULL)",
    );
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('CREATE TABLE … SELECT derives the columns from the result', async () => {
    const [result] = await db.query<ResultSetHeader>(
      "CREATE TABLE derived AS SELECT 1 AS a, 'abc' AS b, 1.5 AS c, v, d, t, id FROM src",
    );
    assert.equal(result.affectedRows, 3);
    assert.equal(result.info, 'Records: 3  Duplicates: 0  Warnings: 0');
    assert.deepEqual(await columnTypes(db, 'derived'), [
      'a int(1) NO',
      'b varchar(3) NO',
      'c decimal(2,1) NO',
      'v varchar(20) NO',
      'd decimal(10,2) YES',
      't datetime YES',
      'id int(11) NO',
    ]);
    assert.deepEqual(await rowsOf(db, 'SELECT id, b, d FROM derived ORDER BY id'), [
      [1, 'abc', '1.50'],
      [2, 'abc', null],
      [3, 'abc', '2.00'],
    ]);
    await db.query('CREATE TABLE copied SELECT id, v FROM src WHERE id > 1');
    assert.deepEqual(await rowsOf(db, 'SELECT id, v FROM copied ORDER BY id'), [
      [2, 'b'],
      [3, 'c'],
    ]);
    assert.equal(await errno(db, 'CREATE TABLE twice SELECT 1 AS a, 2 AS a'), 1060);
    assert.equal(await errno(db, 'SELECT * FROM twice'), 1146);
  });

  it('CREATE TABLE (columns) … SELECT fills the columns by name, in MariaDB order', async () => {
    // MariaDB 10.11's columns, rows and OK info for the same statements.
    const [result] = await db.query<ResultSetHeader>(
      'CREATE TABLE listed (a INT, z INT DEFAULT 7) SELECT 1 AS b, 2 AS a',
    );
    assert.equal(result.info, 'Records: 1  Duplicates: 0  Warnings: 0');
    assert.deepEqual(await columnTypes(db, 'listed'), [
      'z int(11) YES',
      'b int(1) NO',
      'a int(11) YES',
    ]);
    assert.deepEqual(await rowsOf(db, 'SELECT * FROM listed'), [[7, 1, 2]]);
    await db.query('CREATE TABLE keyed (id INT PRIMARY KEY) SELECT id, v FROM src');
    assert.deepEqual(await columnTypes(db, 'keyed'), ['id int(11) NO', 'v varchar(20) NO']);
    assert.deepEqual(await rowsOf(db, 'SELECT * FROM keyed ORDER BY id'), [
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
    await db.query('CREATE TABLE retyped (v VARCHAR(5)) SELECT 1 AS v');
    assert.deepEqual(await columnTypes(db, 'retyped'), ['v varchar(5) YES']);
    assert.deepEqual(await rowsOf(db, 'SELECT * FROM retyped'), [['1']]);
  });

  it('CREATE TABLE … SELECT over an outer join makes the filled side nullable', async () => {
    // MariaDB's columns and rows for the same statements (it refused nothing).
    await db.query(
      'CREATE TABLE outer_joined AS SELECT a.id, b.v AS bv, b.id AS bid FROM src a LEFT JOIN src b ON b.id = a.id + 1',
    );
    assert.deepEqual(await columnTypes(db, 'outer_joined'), [
      'id int(11) NO',
      'bv varchar(20) YES',
      'bid int(11) YES',
    ]);
    assert.deepEqual(await rowsOf(db, 'SELECT * FROM outer_joined ORDER BY id'), [
      [1, 'b', 2],
      [2, 'c', 3],
      [3, null, null],
    ]);
    await db.query(
      'CREATE TABLE right_joined AS SELECT a.v AS av, b.id FROM src a RIGHT JOIN src b ON a.id = b.id - 1',
    );
    assert.deepEqual(await columnTypes(db, 'right_joined'), [
      'av varchar(20) YES',
      'id int(11) NO',
    ]);
    assert.deepEqual(await rowsOf(db, 'SELECT * FROM right_joined ORDER BY id'), [
      [null, 1],
      ['a', 2],
      ['b', 3],
    ]);
  });

  it('CREATE TABLE … LIKE copies the definition, not the rows', async () => {
    await db.query('CREATE TABLE shaped LIKE src');
    assert.deepEqual(await rowsOf(db, 'SELECT COUNT(*) FROM shaped'), [[0]]);
    await db.query("INSERT INTO shaped VALUES (1,'x',NULL,NULL)");
    assert.equal(await errno(db, "INSERT INTO shaped VALUES (1,'y',NULL,NULL)"), 1062);
  });

  for (const storage of ['', 'ROWSTORE']) {
    const name = storage === '' ? 'keyed_column' : 'keyed_row';
    it(`${storage || 'COLUMNSTORE'}: adds and drops PRIMARY and UNIQUE keys on a table with rows`, async () => {
      await db.query(
        `CREATE ${storage} TABLE ${name} (id INT NOT NULL, v INT, w INT, KEY kw (w), SHARD KEY (id))`,
      );
      await db.query(`INSERT INTO ${name} VALUES (1,1,1),(2,2,2),(3,3,3),(4,4,4),(4,5,5)`);
      // A unique key without the shard key cannot be enforced per partition.
      assert.equal(await errno(db, `ALTER TABLE ${name} ADD UNIQUE (v)`), 1705);
      // Existing duplicates refuse the key and leave the table as it was.
      assert.equal(await errno(db, `ALTER TABLE ${name} ADD PRIMARY KEY (id)`), 1062);
      assert.deepEqual(await rowsOf(db, `SELECT COUNT(*) FROM ${name}`), [[5]]);
      await db.query(`DELETE FROM ${name} WHERE v = 5`);
      await db.query(`ALTER TABLE ${name} ADD PRIMARY KEY (id), ADD UNIQUE uv (id, v)`);
      assert.equal(await errno(db, `INSERT INTO ${name} VALUES (1,9,9)`), 1062);
      assert.equal(await errno(db, `ALTER TABLE ${name} ADD PRIMARY KEY (id, v)`), 1068);
      await db.query(`ALTER TABLE ${name} DROP PRIMARY KEY`);
      await db.query(`INSERT INTO ${name} VALUES (1,9,9)`);
      await db.query(`DROP INDEX uv ON ${name}`);
      await db.query(`CREATE UNIQUE INDEX uw ON ${name} (id, w)`);
      assert.equal(await errno(db, `INSERT INTO ${name} VALUES (2,7,2)`), 1062);
      await db.query(`ALTER TABLE ${name} DROP INDEX uw`);
      await db.query(`INSERT INTO ${name} VALUES (2,7,2)`);
      // The plain index survived every rebuild.
      const keys = await rowsOf(db, `SHOW INDEX FROM ${name}`);
      assert.deepEqual(
        keys.map((row) => row[2]),
        ['kw'],
      );
      assert.deepEqual(await rowsOf(db, `SELECT id, v FROM ${name} ORDER BY id, v`), [
        [1, 1],
        [1, 9],
        [2, 2],
        [2, 7],
        [3, 3],
        [4, 4],
      ]);
      await db.query(`ALTER TABLE ${name} RENAME COLUMN v TO vv, RENAME TO ${name}_2`);
      await db.query(`RENAME TABLE ${name}_2 TO ${name}_3`);
      assert.deepEqual(await rowsOf(db, `SELECT SUM(vv) FROM ${name}_3`), [['26']]);
    });
  }

  it('accepts savepoints and rolls back to them', async () => {
    await db.query('CREATE ROWSTORE TABLE saved (id INT PRIMARY KEY)');
    await db.query('SAVEPOINT outside');
    await db.query('BEGIN');
    await db.query('INSERT INTO saved VALUES (1)');
    await db.query('SAVEPOINT a');
    await db.query('SELECT COUNT(*) FROM saved');
    await db.query('ROLLBACK TO SAVEPOINT a');
    await db.query('SAVEPOINT b');
    await db.query('INSERT INTO saved VALUES (2)');
    await db.query('ROLLBACK TO SAVEPOINT b');
    await db.query('INSERT INTO saved VALUES (2)');
    assert.equal(await errno(db, 'ROLLBACK TO nope'), 1305);
    await db.query('RELEASE SAVEPOINT a');
    assert.equal(await errno(db, 'RELEASE SAVEPOINT b'), 1305);
    await db.query('COMMIT');
    assert.deepEqual(await rowsOf(db, 'SELECT id FROM saved ORDER BY id'), [[1], [2]]);
    assert.equal(await errno(db, 'ROLLBACK TO SAVEPOINT a'), 1305);
  });
});
