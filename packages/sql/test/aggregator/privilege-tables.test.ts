/**
 * Accounts as MariaDB 10.11's privilege tables show them (each expected row taken from MariaDB
 * after the same CREATE USER and GRANT statements): information_schema.USER_PRIVILEGES and
 * SCHEMA_PRIVILEGES, with ALL PRIVILEGES spelled out, mysql.user's Y/N columns, and SHOW GRANTS.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('privilege tables', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true });
    return result;
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE shop');
    await db.query("CREATE USER 'app'@'%' IDENTIFIED BY 'pw'");
    await db.query("GRANT SELECT, INSERT ON shop.* TO 'app'@'%'");
    await db.query("CREATE USER 'ops'@'localhost'");
    await db.query("GRANT ALL ON shop.* TO 'ops'@'localhost' WITH GRANT OPTION");
    await db.query("GRANT PROCESS, SELECT ON *.* TO 'ops'@'localhost'");
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('lists global privileges, and USAGE for an account without any', async () => {
    assert.deepEqual(
      await rows(
        `SELECT * FROM information_schema.USER_PRIVILEGES WHERE GRANTEE IN ("'app'@'%'", "'ops'@'localhost'") ORDER BY GRANTEE, PRIVILEGE_TYPE`,
      ),
      [
        ["'app'@'%'", 'def', 'USAGE', 'NO'],
        ["'ops'@'localhost'", 'def', 'PROCESS', 'NO'],
        ["'ops'@'localhost'", 'def', 'SELECT', 'NO'],
      ],
    );
  });

  it('lists database grants, ALL spelled out in MariaDB order', async () => {
    assert.deepEqual(
      await rows(
        "SELECT PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = \"'ops'@'localhost'\" AND TABLE_SCHEMA = 'shop'",
      ),
      [
        'SELECT',
        'INSERT',
        'UPDATE',
        'DELETE',
        'CREATE',
        'DROP',
        'REFERENCES',
        'INDEX',
        'ALTER',
        'CREATE TEMPORARY TABLES',
        'LOCK TABLES',
        'EXECUTE',
        'CREATE VIEW',
        'SHOW VIEW',
        'CREATE ROUTINE',
        'ALTER ROUTINE',
        'EVENT',
        'TRIGGER',
        'DELETE HISTORY',
      ].map((name) => [name, 'YES']),
    );
    assert.deepEqual(
      await rows(
        "SELECT GRANTEE, TABLE_CATALOG, TABLE_SCHEMA, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = \"'app'@'%'\"",
      ),
      [
        ["'app'@'%'", 'def', 'shop', 'SELECT', 'NO'],
        ["'app'@'%'", 'def', 'shop', 'INSERT', 'NO'],
      ],
    );
    assert.deepEqual(
      await rows(
        'SELECT (SELECT COUNT(*) FROM information_schema.TABLE_PRIVILEGES), (SELECT COUNT(*) FROM information_schema.COLUMN_PRIVILEGES)',
      ),
      [[0, 0]],
    );
  });

  it('shows each account in mysql.user with its password hash and global flags', async () => {
    assert.deepEqual(
      await rows(
        "SELECT User, Host, Password, authentication_string, plugin, Select_priv, Process_priv, Insert_priv, Grant_priv FROM mysql.user WHERE User IN ('app', 'ops') ORDER BY User",
      ),
      [
        [
          'app',
          '%',
          '*D821809F681A40A6E379B50D0463EFAE20BDD122',
          '*D821809F681A40A6E379B50D0463EFAE20BDD122',
          'mysql_native_password',
          'N',
          'N',
          'N',
          'N',
        ],
        ['ops', 'localhost', '', '', 'mysql_native_password', 'Y', 'Y', 'N', 'N'],
      ],
    );
    assert.deepEqual(await rows("SELECT COUNT(*) FROM mysql.user WHERE User = 'root'"), [[1]]);
  });

  it('shows grants with global privileges and the password hash on the first line', async () => {
    assert.deepEqual(await rows("SHOW GRANTS FOR 'app'@'%'"), [
      [
        "GRANT USAGE ON *.* TO `app`@`%` IDENTIFIED BY PASSWORD '*D821809F681A40A6E379B50D0463EFAE20BDD122'",
      ],
      ['GRANT SELECT, INSERT ON `shop`.* TO `app`@`%`'],
    ]);
    assert.deepEqual(await rows("SHOW GRANTS FOR 'ops'@'localhost'"), [
      ['GRANT SELECT, PROCESS ON *.* TO `ops`@`localhost`'],
      ['GRANT ALL PRIVILEGES ON `shop`.* TO `ops`@`localhost` WITH GRANT OPTION'],
    ]);
    await db.query("CREATE USER 'boss'@'%'");
    await db.query("GRANT ALL ON *.* TO 'boss'@'%' WITH GRANT OPTION");
    assert.deepEqual(await rows("SHOW GRANTS FOR 'boss'@'%'"), [
      ['GRANT ALL PRIVILEGES ON *.* TO `boss`@`%` WITH GRANT OPTION'],
    ]);
  });
});
