/**
 * Result column definitions in the connection's character set, as MariaDB 10.11 sends them: a
 * client that asks for utf8mb3 (as the `mariadb` client does) gets collation 33 and 3 bytes a
 * character, mysql2's utf8mb4_unicode_ci gets collation 224 and 4 bytes, and SET NAMES switches
 * between them. Every expected collation, length and variable below is MariaDB's answer to the
 * same statements through mysql2, on both storage engines.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('result column definitions follow the connection character set', () => {
  let cluster: SqlCluster;
  const open: Connection[] = [];

  const connect = async (charset: string): Promise<Connection> => {
    const db = await createConnection({
      host: '127.0.0.1',
      port: cluster.port,
      user: 'root',
      database: 'charsets',
      charset,
    });
    open.push(db);
    return db;
  };
  /** Each column's `name/collation/length`. */
  const labels = async (db: Connection, sql: string): Promise<string[]> => {
    const [, fields] = await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true });
    return fields.map((field) => `${field.name}/${field.characterSet}/${field.columnLength}`);
  };
  const values = async (db: Connection, sql: string): Promise<unknown[][]> =>
    (await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true }))[0];

  before(async () => {
    cluster = await startSqlCluster();
    const setup = await cluster.connect();
    await setup.query('CREATE DATABASE charsets');
    await setup.query('USE charsets');
    await setup.query(
      'CREATE TABLE c_col (id INT PRIMARY KEY, name VARCHAR(100), c CHAR(10), bio TEXT)',
    );
    await setup.query(
      'CREATE ROWSTORE TABLE c_row (id INT PRIMARY KEY, name VARCHAR(100), c CHAR(10), bio TEXT)',
    );
    await setup.end();
  });

  after(async () => {
    for (const db of open) await db.end();
    await cluster.close();
  });

  for (const table of ['c_col', 'c_row']) {
    it(`labels text as the handshake asked (${table})`, async () => {
      const utf8mb3 = await connect('UTF8_GENERAL_CI');
      const sql = `SELECT name, c, bio, 'x' AS k, id FROM ${table}`;
      assert.deepEqual(await labels(utf8mb3, sql), [
        'name/33/300',
        'c/33/30',
        'bio/33/196605',
        'k/33/3',
        'id/63/11',
      ]);
      assert.deepEqual(await values(utf8mb3, "SHOW VARIABLES LIKE 'c%_connection'"), [
        ['character_set_connection', 'utf8mb3'],
        ['collation_connection', 'utf8mb3_general_ci'],
      ]);
      const unicode = await connect('UTF8MB4_UNICODE_CI');
      assert.deepEqual(await labels(unicode, sql), [
        'name/224/400',
        'c/224/40',
        'bio/224/262140',
        'k/224/4',
        'id/63/11',
      ]);
      assert.deepEqual(await values(unicode, "SHOW VARIABLES LIKE 'c%_connection'"), [
        ['character_set_connection', 'utf8mb4'],
        ['collation_connection', 'utf8mb4_unicode_ci'],
      ]);
      await unicode.query('SET NAMES utf8');
      assert.deepEqual(await labels(unicode, `SELECT name FROM ${table}`), ['name/33/300']);
      await unicode.query('SET NAMES utf8mb4');
      assert.deepEqual(await labels(unicode, `SELECT name FROM ${table}`), ['name/45/400']);
    });
  }
});
