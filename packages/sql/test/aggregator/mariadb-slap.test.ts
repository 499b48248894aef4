/**
 * The Debian `mariadb-slap` load tool against the data plane. It counts its C strings'
 * terminators in COM_QUERY lengths (every statement ends with a NUL byte, which MariaDB ignores)
 * and declares its auto-increment key as SERIAL (BIGINT UNSIGNED NOT NULL AUTO_INCREMENT
 * UNIQUE); each generated workload must run to its report and exit 0. SHOW CREATE TABLE of
 * SERIAL columns is what MariaDB 10.11 printed for the same statements.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { toolArgs } from '../support/refusals.js';

const run = promisify(execFile);

describe('mariadb-slap', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const slap = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
    run('mariadb-slap', [
      ...toolArgs(cluster.port),
      '--auto-generate-sql',
      '--concurrency=4',
      '--iterations=1',
      '--number-of-queries=100',
      ...args,
    ]);

  before(async () => {
    cluster = await startSqlCluster();
    db = await cluster.connect();
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const workload of [
    ['--auto-generate-sql-load-type=mixed'],
    ['--auto-generate-sql-load-type=write', '--number-char-cols=2', '--number-int-cols=3'],
    ['--auto-generate-sql-load-type=key', '--auto-generate-sql-add-autoincrement'],
    ['--auto-generate-sql-load-type=update', '--auto-generate-sql-add-autoincrement'],
    ['--auto-generate-sql-load-type=read', '--auto-generate-sql-guid-primary'],
  ])
    it(`runs ${workload.join(' ')}`, async () => {
      const { stdout, stderr } = await slap(...workload);
      assert.equal(stderr, '');
      assert.match(
        stdout,
        /Benchmark\s+Average number of seconds to run all queries: [\d.]+ seconds/,
      );
      // Its schema is dropped at the end.
      const [rows] = await db.query<RowDataPacket[]>("SHOW DATABASES LIKE 'mysqlslap'");
      assert.deepEqual(rows, []);
    });

  it('keeps SERIAL and SERIAL DEFAULT VALUE as MariaDB does', async () => {
    await db.query('CREATE DATABASE serials; USE serials');
    await db.query('CREATE TABLE ser (id SERIAL, a INT)');
    await db.query('CREATE TABLE ser2 (a INT SERIAL DEFAULT VALUE, b INT)');
    const created = async (table: string): Promise<string> => {
      const [rows] = await db.query<RowDataPacket[]>(`SHOW CREATE TABLE ${table}`);
      return String(rows[0]?.['Create Table']).replace(/\n {2}\/\*!90618 [^\n]*\*\//, '');
    };
    assert.equal(
      await created('ser'),
      'CREATE TABLE `ser` (\n  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,\n  `a` int(11) DEFAULT NULL,\n  UNIQUE KEY `id` (`id`)\n) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci',
    );
    assert.equal(
      await created('ser2'),
      'CREATE TABLE `ser2` (\n  `a` int(11) NOT NULL AUTO_INCREMENT,\n  `b` int(11) DEFAULT NULL,\n  UNIQUE KEY `a` (`a`)\n) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci',
    );
    await db.query('INSERT INTO ser (a) VALUES (5), (6)');
    const [rows] = await db.query<RowDataPacket[]>('SELECT id, a FROM ser ORDER BY id');
    assert.deepEqual(
      rows.map((row) => [Number(row.id), Number(row.a)]),
      [
        [1, 5],
        [2, 6],
      ],
    );
  });
});
