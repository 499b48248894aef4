/**
 * The errors of a statement the account may not run, as MariaDB 10.11 answers them (texts
 * taken from a MariaDB server given the same grants): a statement on a table is 1142 and names
 * the table and the privileges it lacks, with the client's address; one on a database itself
 * (USE, DROP DATABASE, CREATE TEMPORARY TABLE) is 1044, with the account's host. Real
 * aggregator and leaf through mysql2.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import mysql, { type Connection } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const denied = (what: string, table: string): string =>
  `${what} command denied to user 'w2'@'127.0.0.1' for table ${table}`;
const noDatabase = "Access denied for user 'w2'@'%' to database 'pe2'";

const CASES: readonly (readonly [string, number, string])[] = [
  ['DESCRIBE pe2.kv', 1142, denied('SELECT', '`pe2`.`kv`')],
  ['SHOW COLUMNS FROM pe2.kv', 1142, denied('SELECT', '`pe2`.`kv`')],
  ['SHOW FULL COLUMNS FROM pe2.kv', 1142, denied('SELECT', '`pe2`.`kv`')],
  ['SHOW INDEX FROM pe2.kv', 1142, denied('SELECT', '`pe2`.`kv`')],
  ['SHOW CREATE TABLE pe2.kv', 1142, denied('SHOW', '`pe2`.`kv`')],
  ['SHOW TABLES FROM pe2', 1044, noDatabase],
  ['SHOW TABLE STATUS FROM pe2', 1044, noDatabase],
  ['SELECT * FROM pe.kv, pe2.kv', 1142, denied('SELECT', '`pe2`.`kv`')],
  ['INSERT INTO pe2.kv VALUES (1)', 1142, denied('INSERT', '`pe2`.`kv`')],
  ['INSERT INTO pe2.kv SELECT * FROM pe.kv', 1142, denied('INSERT', '`pe2`.`kv`')],
  ['REPLACE INTO pe2.kv VALUES (1)', 1142, denied('INSERT, DELETE', '`pe2`.`kv`')],
  // Only the privilege missing (INSERT is granted on pe).
  ['REPLACE INTO pe.kv VALUES (1)', 1142, denied('DELETE', '`pe`.`kv`')],
  ['UPDATE pe2.kv SET id = 1', 1142, denied('UPDATE', '`pe2`.`kv`')],
  ['DELETE FROM pe2.kv', 1142, denied('DELETE', '`pe2`.`kv`')],
  ['TRUNCATE TABLE pe2.kv', 1142, denied('DROP', '`pe2`.`kv`')],
  ['DROP TABLE pe2.kv', 1142, denied('DROP', '`pe2`.`kv`')],
  ['ALTER TABLE pe2.kv ADD COLUMN b INT', 1142, denied('ALTER', '`pe2`.`kv`')],
  ['CREATE INDEX i ON pe2.kv (id)', 1142, denied('INDEX', '`pe2`.`kv`')],
  ['DROP INDEX i ON pe2.kv', 1142, denied('INDEX', '`pe2`.`kv`')],
  ['RENAME TABLE pe2.kv TO pe2.kv2', 1142, denied('DROP, ALTER', '`pe2`.`kv`')],
  ['CREATE TABLE pe2.t (a INT)', 1142, denied('CREATE', '`pe2`.`t`')],
  ['CREATE VIEW pe2.v AS SELECT 1', 1142, denied('CREATE VIEW', '`pe2`.`v`')],
  ['DROP VIEW pe2.v', 1142, denied('DROP', '`pe2`.`v`')],
  ['CREATE TEMPORARY TABLE pe2.tt (a INT)', 1044, noDatabase],
  ['USE pe2', 1044, noDatabase],
  ['DROP DATABASE pe2', 1044, noDatabase],
];

describe('statements refused for want of a privilege', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let user: Connection;

  before(async () => {
    cluster = await startSqlCluster();
    db = await cluster.connect();
    await db.query(`
      CREATE DATABASE pe; CREATE TABLE pe.kv (id INT PRIMARY KEY);
      CREATE DATABASE pe2; CREATE TABLE pe2.kv (id INT PRIMARY KEY); CREATE VIEW pe2.pv AS SELECT id FROM pe2.kv;
      CREATE USER 'w2'@'%' IDENTIFIED BY 'pw'; GRANT SELECT, INSERT ON pe.* TO 'w2'@'%'`);
    user = await mysql.createConnection({
      host: '127.0.0.1',
      port: cluster.port,
      user: 'w2',
      password: 'pw',
      database: 'pe',
      multipleStatements: true,
    });
  });

  after(async () => {
    await user.end();
    await db.end();
    await cluster.close();
  });

  for (const [sql, errno, message] of CASES)
    it(`answers ${errno} to ${sql}`, async () => {
      await assert.rejects(user.query(sql), { errno, sqlState: '42000', message });
    });

  it('lists only the databases the account holds a privilege on', async () => {
    const [names] = await user.query('SHOW DATABASES');
    assert.deepEqual(names, [{ Database: 'information_schema' }, { Database: 'pe' }]);
  });

  it('shows only those databases in information_schema', async () => {
    const [schemata] = await user.query('SELECT SCHEMA_NAME AS s FROM information_schema.SCHEMATA');
    assert.deepEqual(schemata, [{ s: 'information_schema' }, { s: 'pe' }]);
    const [tables] = await user.query(
      "SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA <> 'information_schema'",
    );
    assert.deepEqual(tables, [{ s: 'pe', t: 'kv' }]);
    const [columns] = await user.query(
      'SELECT DISTINCT TABLE_SCHEMA AS s FROM information_schema.COLUMNS ORDER BY s',
    );
    assert.deepEqual(columns, [{ s: 'information_schema' }, { s: 'pe' }]);
    const [views] = await user.query('SELECT TABLE_NAME AS t FROM information_schema.VIEWS');
    assert.deepEqual(views, []);
  });

  it('changed nothing, and the connection goes on', async () => {
    const [tables] = await db.query('SHOW TABLES FROM pe2');
    assert.deepEqual(tables, [{ Tables_in_pe2: 'kv' }, { Tables_in_pe2: 'pv' }]);
    const [rows] = await user.query('SELECT COUNT(*) AS n FROM kv');
    assert.deepEqual(rows, [{ n: 0 }]);
  });
});
