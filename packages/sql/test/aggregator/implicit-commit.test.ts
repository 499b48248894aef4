/**
 * Statements that commit the open transaction before they run (aggregator/implicit-commit.ts):
 * for each, `BEGIN; INSERT …; <statement>; ROLLBACK` keeps the row exactly when MariaDB 10.11
 * keeps it — checked by running the same sequence on a mariadbd. CREATE and DROP TEMPORARY
 * TABLE commit nothing; DROP TABLE, ALTER, TRUNCATE and the index statements commit even on a
 * temporary table. Real cluster: 2 leaves, 4 partitions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

/** [statement, whether MariaDB committed the transaction before it]. */
const STATEMENTS: readonly (readonly [string, boolean])[] = [
  ['ALTER TABLE t ADD COLUMN b INT', true],
  ['CREATE INDEX i ON t (a)', true],
  ['DROP INDEX i ON t', true],
  ['TRUNCATE TABLE t', true],
  ['DROP TABLE t', true],
  ['CREATE TEMPORARY TABLE t (a INT)', false],
  ['RENAME TABLE t TO t2', true],
  ['ALTER TABLE t2 RENAME TO t', true],
  ['CREATE TEMPORARY TABLE t3 LIKE p', false],
  ['DROP TEMPORARY TABLE t3', false],
  ['CREATE TEMPORARY TABLE t5 (a INT) SELECT 1 AS a', false],
  ['ANALYZE TABLE t5', true],
  ['CREATE TABLE perm1 (a INT)', true],
  ['ALTER TABLE perm1 ADD COLUMN b INT', true],
  ['TRUNCATE TABLE perm1', true],
  ['CREATE INDEX j ON perm1 (a)', true],
  ['RENAME TABLE perm1 TO perm2', true],
  ['DROP TABLE perm2', true],
  ['CREATE VIEW vv AS SELECT 1 AS x', true],
  ['DROP VIEW vv', true],
  ['CREATE DATABASE dx', true],
  ['DROP DATABASE dx', true],
  ["CREATE USER 'u1'@'%'", true],
  ["GRANT SELECT ON implicit.* TO 'u1'@'%'", true],
  ["REVOKE SELECT ON implicit.* FROM 'u1'@'%'", true],
  ["DROP USER 'u1'@'%'", true],
  ['OPTIMIZE TABLE p', true],
  ['CHECK TABLE p', true],
  ['FLUSH TABLES', true],
  ['CREATE TABLE IF NOT EXISTS p (a INT)', true],
  ['SELECT 1', false],
  ['USE implicit', false],
  ['SET @x = 1', false],
  ['SAVEPOINT s', false],
];

describe('implicit commits', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE implicit PARTITIONS 4');
    await db.query('USE implicit');
    await db.query('CREATE TABLE p (a INT PRIMARY KEY)');
    await db.query('CREATE TEMPORARY TABLE t (a INT)');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('commit the open transaction where MariaDB does', async () => {
    let kept = 0;
    for (const [index, [statement, commits]] of STATEMENTS.entries()) {
      await db.query('BEGIN');
      await db.query(`INSERT INTO p VALUES (${index + 1})`);
      await db.query(statement);
      await db.query('ROLLBACK');
      if (commits) kept += 1;
      const [[row]] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM p');
      assert.equal(row?.['n'], kept, statement);
    }
  });

  it('lets DDL on a rowstore table follow rowstore writes of the transaction', async () => {
    await db.query('CREATE ROWSTORE TABLE rp (a INT PRIMARY KEY)');
    await db.query('BEGIN');
    await db.query('INSERT INTO rp VALUES (1)');
    // Without the commit this waited for the transaction's own write locks (1205).
    await db.query('CREATE ROWSTORE TABLE rp2 (a INT)');
    await db.query('ALTER TABLE rp ADD COLUMN b INT');
    await db.query('ROLLBACK');
    const [rows] = await db.query<RowDataPacket[]>({ sql: 'SELECT * FROM rp', rowsAsArray: true });
    assert.deepEqual(rows, [[1, null]]);
  });

  it('commits at SET autocommit = 1 when autocommit was off, as MariaDB does', async () => {
    await db.query('CREATE TABLE ac (a INT PRIMARY KEY)');
    const count = async (): Promise<unknown> => {
      const [[row]] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM ac');
      return row?.['n'];
    };
    await db.query('SET autocommit = 0');
    await db.query('INSERT INTO ac VALUES (1)');
    await db.query('SET autocommit = 1');
    await db.query('ROLLBACK');
    assert.equal(await count(), 1, 'committed by SET autocommit = 1');
    await db.query('SET autocommit = 0');
    await db.query('INSERT INTO ac VALUES (2)');
    await db.query('SET autocommit = ON');
    await db.query('ROLLBACK');
    assert.equal(await count(), 2, 'committed by SET autocommit = ON');
    // With autocommit on already, BEGIN's transaction stays open (MariaDB: 2 rows).
    await db.query('BEGIN');
    await db.query('INSERT INTO ac VALUES (3)');
    await db.query('SET autocommit = 1');
    await db.query('ROLLBACK');
    assert.equal(await count(), 2);
  });
});
