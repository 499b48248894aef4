/**
 * The Debian `mariadb` command line against the data plane: a script of DDL, writes and
 * queries in batch mode, error output and exit codes, and LOAD DATA LOCAL INFILE.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const run = promisify(execFile);

describe('mariadb command line', () => {
  let cluster: SqlCluster;
  const cli = (sql: string, database?: string): Promise<{ stdout: string; stderr: string }> =>
    run('mariadb', [
      '-h',
      '127.0.0.1',
      '-P',
      String(cluster.port),
      '-u',
      'root',
      '-B',
      '--local-infile=1',
      ...(database ? [database] : []),
      '-e',
      sql,
    ]);

  before(async () => {
    cluster = await startSqlCluster();
  });

  after(async () => {
    await cluster.close();
  });

  it('runs a script and prints batch output', async () => {
    await cli(
      'CREATE DATABASE cli; USE cli; CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(6,2))',
    );
    await cli("INSERT INTO t VALUES (1,'a',1.5),(2,'b',NULL),(3,'c',10)", 'cli');
    await cli("UPDATE t SET name = 'z' WHERE id = 3", 'cli');
    const { stdout } = await cli('SELECT id, name, price FROM t ORDER BY id', 'cli');
    assert.equal(stdout, 'id\tname\tprice\n1\ta\t1.50\n2\tb\tNULL\n3\tz\t10.00\n');
  });

  it('prints MySQL errors and exits with code 1', async () => {
    await assert.rejects(
      cli('SELECT * FROM nope', 'cli'),
      (error: { code: number; stderr: string }) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr, /ERROR 1146 \(42S02\)/);
        return true;
      },
    );
  });

  it('loads a local file', async () => {
    const file = join(cluster.home, 'rows.csv');
    await writeFile(file, '10,"x, with comma",2.25\n11,y,\\N\n');
    const { stdout } = await cli(
      `LOAD DATA LOCAL INFILE '${file}' INTO TABLE t FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"'; SELECT name, price FROM t WHERE id >= 10 ORDER BY id`,
      'cli',
    );
    assert.equal(stdout, 'name\tprice\nx, with comma\t2.25\ny\tNULL\n');
  });
});
