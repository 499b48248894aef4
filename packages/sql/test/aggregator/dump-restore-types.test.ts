/**
 * `mariadb-dump` and the `mariadb` CLI round trips over every common column type, on
 * columnstore, rowstore, reference and keyless tables, with the dump options users pick: the
 * restored tables equal the originals (rows, bytes of binary columns, SHOW CREATE TABLE with
 * its AUTO_INCREMENT), this server's own clauses are written where MariaDB skips them (the same
 * dump restored into MariaDB 10.11 gives the same rows), and --all-databases, --no-data and
 * --flush-logs restore or run. Skipped where the tools are not installed.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const DUMP = '/usr/bin/mariadb-dump';
const CLIENT = '/usr/bin/mariadb';
const skip =
  existsSync(DUMP) && existsSync(CLIENT) ? false : `${DUMP} or ${CLIENT} is not installed`;

function run(command: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      ['--no-defaults', ...args],
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024, encoding: 'latin1' },
      (error, stdout, stderr) => (error === null ? resolve(stdout) : reject(new Error(stderr))),
    );
    // The dump's bytes go back as they came (binary columns are written raw).
    child.stdin?.end(input === undefined ? '' : Buffer.from(input, 'latin1'));
  });
}

const TABLES = ['cs', 'keyless', 'ref', 'rs'];

const SETUP = [
  'CREATE DATABASE src PARTITIONS 4',
  `CREATE TABLE src.cs (
    id BIGINT AUTO_INCREMENT PRIMARY KEY, code VARCHAR(20) NOT NULL, amount DECIMAL(12,3),
    f DOUBLE, ts DATETIME(3), d DATE, t TIME, j JSON, b BLOB, vb VARBINARY(300), txt TEXT,
    e ENUM('a','b','c'), y YEAR, u INT UNSIGNED DEFAULT 7,
    UNIQUE KEY uq (id, code), KEY k_code (code), SHARD KEY (id))`,
  `INSERT INTO src.cs (code, amount, f, ts, d, t, j, b, vb, txt, e, y) VALUES
    ('a1', 12.345, 1.5, '2024-01-02 03:04:05.678', '2024-01-02', '-12:34:56',
     '{"k": [1, 2, "x\\\\"y"]}', X'00FF0A0D275C221A', X'DEADBEEF00',
     'it''s a "test"\\nline2\\\\back', 'b', 2024),
    ('a2', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    ('a3', -0.001, 1e300, '1999-12-31 23:59:59.999', '1000-01-01', '838:59:59', '[]', X'',
     X'00', '', 'c', 1901),
    ('ü€😀', 99999.999, -2.5e-10, '2038-01-19 03:14:07', '9999-12-31', '00:00:00', 'null',
     X'1A', X'${Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0')).join('')}',
     'tab\\there\\r\\n\\0zero', 'a', 2155)`,
  `CREATE ROWSTORE TABLE src.rs (
    id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(30) NOT NULL, price DECIMAL(10,2) DEFAULT 0.00,
    created DATETIME DEFAULT CURRENT_TIMESTAMP, data JSON, raw BLOB, note TEXT,
    UNIQUE KEY u_name (id, name), KEY k_price (price))`,
  `INSERT INTO src.rs (name, price, created, data, raw, note) VALUES
    ('x', 1.10, '2020-02-29 12:00:00', '{"a":1}', X'0001027F80FF', 'O''Reilly\\\\'),
    ('y', NULL, NULL, NULL, NULL, NULL),
    ('z"q', -5.55, '2001-01-01 00:00:00', '"str"', X'27', 'multi\\nline')`,
  'CREATE REFERENCE TABLE src.ref (k INT PRIMARY KEY, v VARCHAR(10))',
  "INSERT INTO src.ref VALUES (1, 'one'), (2, NULL)",
  'CREATE TABLE src.keyless (a INT, b VARCHAR(5))',
  "INSERT INTO src.keyless VALUES (1, 'a'), (NULL, NULL), (1, 'a')",
  'CREATE VIEW src.v AS SELECT id, code FROM src.cs WHERE id > 1',
];

async function rows(db: Connection, sql: string): Promise<unknown[][]> {
  const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
  return result as unknown[][];
}

describe('mariadb-dump round trips of every column type', { skip }, () => {
  let cluster: SqlCluster;
  let db: Connection;
  const target = (): string[] => ['-h', '127.0.0.1', '-P', String(cluster.port), '-u', 'root'];

  /** Each table's rows in key order and its SHOW CREATE TABLE. */
  async function contents(database: string): Promise<unknown[]> {
    const all: unknown[] = [];
    for (const table of TABLES) {
      all.push(await rows(db, `SELECT * FROM ${database}.${table} ORDER BY 1, 2`));
      all.push((await rows(db, `SHOW CREATE TABLE ${database}.${table}`))[0]?.[1]);
    }
    all.push(await rows(db, `SELECT * FROM ${database}.v ORDER BY id`));
    return all;
  }

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    for (const sql of SETUP) await db.query(sql);
  });
  after(async () => {
    await db.end();
    await cluster.close();
  });

  const options: readonly (readonly string[])[] = [
    [],
    ['--hex-blob'],
    ['--skip-extended-insert', '--complete-insert'],
    ['--single-transaction', '--quick', '--routines', '--events', '--triggers'],
  ];
  options.forEach((flags, index) => {
    it(`restores a dump made with [${flags.join(' ')}]`, async () => {
      const dump = await run(DUMP, [...target(), ...flags, 'src']);
      await db.query(`CREATE DATABASE copy${index}`);
      await run(CLIENT, [...target(), `copy${index}`], dump);
      assert.deepEqual(await contents(`copy${index}`), await contents('src'));
    });
  });

  it("writes this server's clauses in comments MariaDB skips", async () => {
    const dump = await run(DUMP, [...target(), 'src']);
    assert.match(
      dump,
      /\n {2}KEY `k_code` \(`code`\)\n {2}\/\*!90618 , SHARD KEY \(`id`\) \*\/\n\)/,
    );
    assert.match(dump, /CREATE \/\*!90618 ROWSTORE \*\/ TABLE `rs`/);
    assert.match(dump, /CREATE \/\*!90618 REFERENCE \*\/ TABLE `ref`/);
    assert.match(dump, /`b` varchar\(5\) DEFAULT NULL\n {2}\/\*!90618 , SHARD KEY \(\) \*\//);
    // MariaDB answers 1, 1, 1: it skips 5-digit versions from 5.7 on.
    assert.deepEqual(
      await rows(db, 'SELECT 1 /*!90618 + 1 */, 1 /*!90620 + 1 */, 1 /*!99999 + 1 */'),
      [[2, 1, 1]],
    );
  });

  it('restores --all-databases over the databases it names, and --no-data', async () => {
    const all = await run(DUMP, [...target(), '--all-databases', '--flush-logs']);
    assert.match(all, /CREATE DATABASE \/\*!32312 IF NOT EXISTS\*\/ `src`/);
    await run(CLIENT, target(), all);
    const before = await contents('copy0');
    assert.deepEqual(before, await contents('src'));

    const schema = await run(DUMP, [...target(), '--no-data', 'src']);
    await db.query('CREATE DATABASE bare');
    await run(CLIENT, [...target(), 'bare'], schema);
    for (const table of TABLES) {
      assert.deepEqual(await rows(db, `SELECT COUNT(*) FROM bare.${table}`), [[0]]);
      assert.deepEqual(
        await rows(db, `SHOW CREATE TABLE bare.${table}`),
        await rows(db, `SHOW CREATE TABLE src.${table}`),
      );
    }
  });

  it('goes on from the dumped AUTO_INCREMENT', async () => {
    await db.query("INSERT INTO copy0.cs (code) VALUES ('next')");
    await db.query("INSERT INTO src.cs (code) VALUES ('next')");
    assert.deepEqual(
      await rows(db, "SELECT id FROM copy0.cs WHERE code = 'next'"),
      await rows(db, "SELECT id FROM src.cs WHERE code = 'next'"),
    );
  });
});
