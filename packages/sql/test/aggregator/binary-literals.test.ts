/**
 * Hexadecimal literals are binary strings of their bytes, as in MariaDB (they were text of
 * one character per byte, so X'FF' stored the two bytes C3 BF), and a statement that carries
 * bytes that are not UTF-8 inside a string literal (mariadb-dump writes BLOBs so) stores them
 * as they are in a binary column. Expected values are MariaDB 10.11's.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const CLIENT = '/usr/bin/mariadb';

async function rows(db: Connection, sql: string): Promise<unknown[][]> {
  const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
  return result as unknown[][];
}

/** Runs SQL bytes through the `mariadb` CLI, which sends them unchanged. */
function cli(port: number, input: Buffer): Promise<string> {
  const args = ['--no-defaults', '-h', '127.0.0.1', '-P', String(port), '-u', 'root'];
  return new Promise((resolve, reject) => {
    const child = execFile(CLIENT, args, (error, _stdout, stderr) =>
      error === null ? resolve(stderr) : reject(new Error(stderr)),
    );
    child.stdin?.end(input);
  });
}

describe('binary literals', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE bin');
    await db.query('USE bin');
  });
  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('computes with the bytes of X and 0x literals', async () => {
    assert.deepEqual(
      await rows(
        db,
        "SELECT HEX(X'FF'), LENGTH(X'C3A9'), CHAR_LENGTH(X'C3A9'), X'41' = 'A', MD5(X'00FF'), " +
          "SHA1(0x00), SHA2(X'00', 256), X'41', HEX(CONCAT('é', X'FF', 1)), CONCAT(X'41', 'b')",
      ),
      [
        [
          'FF',
          2,
          2,
          1,
          'd07d34efac6328007ad67c7e0a985e00',
          '5ba93c9db0cff93f52b521d7420e43f6eda2784f',
          '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
          Buffer.from('A'),
          'C3A9FF31',
          Buffer.from('Ab'),
        ],
      ],
    );
  });

  for (const storage of ['', 'ROWSTORE ']) {
    it(`stores hex literals byte for byte (${storage || 'COLUMNSTORE '}table)`, async () => {
      const table = storage === '' ? 'c' : 'r';
      await db.query(
        `CREATE ${storage}TABLE ${table} (id INT PRIMARY KEY, b BLOB, v VARBINARY(8))`,
      );
      await db.query(`INSERT INTO ${table} VALUES (1, X'00FF80', 0xFE), (2, X'', UNHEX('C3A9'))`);
      await db.query(`INSERT INTO ${table} SELECT 3, X'7F80', X'FF'`);
      assert.deepEqual(
        await rows(
          db,
          `SELECT id, HEX(b), HEX(v), LENGTH(b), MD5(b), HEX(CONCAT(b, 'é', v)) FROM ${table} ORDER BY id`,
        ),
        [
          [1, '00FF80', 'FE', 3, '4fd64cb80c3f86e1e9d0f559af8b370f', '00FF80C3A9FE'],
          [2, '', 'C3A9', 0, 'd41d8cd98f00b204e9800998ecf8427e', 'C3A9C3A9'],
          [3, '7F80', 'FF', 2, 'a494a8690b72391b13d3cbe27edb5c58', '7F80C3A9FF'],
        ],
      );
    });
  }

  for (const storage of ['', 'ROWSTORE ']) {
    it(`stores 0x literals in numeric columns as numbers (${storage || 'COLUMNSTORE '}table)`, async () => {
      // MariaDB 10.11's answers: 0x41 is 65 in INT, DECIMAL and DOUBLE columns and 'A' in
      // VARCHAR; X'41' stays text (1366 in strict mode).
      const table = storage === '' ? 'hc' : 'hr';
      await db.query(
        `CREATE ${storage}TABLE ${table} (id INT PRIMARY KEY, c INT, d DECIMAL(10,2), v VARCHAR(10), f DOUBLE)`,
      );
      await db.query(`INSERT INTO ${table} VALUES (1, 0x41, 0x41, 0x41, 0x41)`);
      await db.query(`INSERT INTO ${table} (id, c) VALUES (0x02, 0x7FFFFFFF)`);
      await db.query(`INSERT INTO ${table} SET id = 3, c = 0x05`);
      assert.deepEqual(await rows(db, `SELECT id, c, d, v, f FROM ${table} ORDER BY id`), [
        [1, 65, '65.00', 'A', 65],
        [2, 2147483647, null, null, null],
        [3, 5, null, null, null],
      ]);
      await assert.rejects(db.query(`INSERT INTO ${table} (id, c) VALUES (4, X'41')`), {
        errno: 1366,
      });
    });
  }

  it(
    'keeps bytes that are not UTF-8 in a string literal',
    { skip: !existsSync(CLIENT) },
    async () => {
      await db.query('CREATE TABLE raw (id INT PRIMARY KEY, b VARBINARY(300), t TEXT)');
      const all = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte));
      // Escaped as mysql_real_escape_string does: NUL, newline, CR, quote, backslash, Ctrl-Z.
      const escapes: Record<string, string> = {
        '\0': '\\0',
        '\n': '\\n',
        '\r': '\\r',
        '\u001a': '\\Z',
        "'": "\\'",
        '"': '\\"',
        '\\': '\\\\',
      };
      const escaped = [...all.toString('latin1')].map((c) => escapes[c] ?? c).join('');
      const sql = Buffer.concat([
        Buffer.from('INSERT INTO bin.raw VALUES (1, '),
        Buffer.from(`'${escaped}'`, 'latin1'),
        Buffer.from(", 'é€');\n"),
      ]);
      await cli(cluster.port, sql);
      assert.deepEqual(await rows(db, 'SELECT HEX(b), t FROM raw'), [
        [all.toString('hex').toUpperCase(), 'é€'],
      ]);
    },
  );
});
