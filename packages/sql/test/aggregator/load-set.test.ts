/**
 * LOAD DATA LOCAL INFILE ... (col, @var, ...) SET col = expr: the same files and statements go
 * to a real cluster (2 leaves, 4 partitions) and to a throwaway MariaDB server, through mysql2,
 * and the loaded rows must be the same, also where a SET value does not fit its column.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { createConnection, type Connection, type ConnectionOptions } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

interface Target {
  readonly db: Connection;
  file: string;
}

function options(extra: ConnectionOptions, target: { file: string }): ConnectionOptions {
  return {
    user: 'root',
    multipleStatements: false,
    dateStrings: true,
    infileStreamFactory: () => Readable.from([Buffer.from(target.file)]),
    ...extra,
  };
}

async function rowsOf(db: Connection, sql: string): Promise<(string | null)[][]> {
  const [rows] = await db.query({
    sql,
    rowsAsArray: true,
    typeCast: (field) => field.string(),
  });
  return rows as (string | null)[][];
}

async function errno(db: Connection, sql: string): Promise<number | undefined> {
  try {
    await db.query(sql);
    return undefined;
  } catch (error) {
    return (error as { errno?: number }).errno;
  }
}

describe('LOAD DATA ... SET', () => {
  let cluster: SqlCluster;
  let mariaDir: string;
  let maria: ChildProcess;
  const ours: Target = { db: undefined as unknown as Connection, file: '' };
  const theirs: Target = { db: undefined as unknown as Connection, file: '' };

  before(async () => {
    mariaDir = await mkdtemp(join(tmpdir(), 'exo-load-set-mariadb-'));
    execFileSync('mariadb-install-db', ['--no-defaults', `--datadir=${mariaDir}/data`], {
      stdio: 'ignore',
    });
    const socket = join(mariaDir, 's');
    maria = spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${mariaDir}/data`,
        `--socket=${socket}`,
        '--skip-networking',
        '--skip-grant-tables',
        '--user=root',
      ],
      { stdio: 'ignore' },
    );
    cluster = await startSqlCluster({ leaves: 2 });
    for (let attempt = 0; attempt < 200 && !existsSync(socket); attempt += 1) await delay(50);
    (theirs as { db: Connection }).db = await createConnection(
      options({ socketPath: socket }, theirs),
    );
    (ours as { db: Connection }).db = await createConnection(
      options({ host: '127.0.0.1', port: cluster.port }, ours),
    );
    await ours.db.query('CREATE DATABASE lset PARTITIONS 4');
    await theirs.db.query('CREATE DATABASE lset');
    for (const target of [ours, theirs]) {
      await target.db.query('USE lset');
      await target.db.query("SET sql_mode = 'STRICT_TRANS_TABLES', time_zone = '+00:00'");
    }
  });

  after(async () => {
    await ours.db?.end();
    await theirs.db?.end();
    await cluster?.close();
    maria?.kill('SIGKILL');
    await rm(mariaDir, { recursive: true, force: true });
  });

  async function both(sql: string, file?: string): Promise<void> {
    for (const target of [ours, theirs]) {
      if (file !== undefined) target.file = file;
      await target.db.query(sql);
    }
  }

  for (const storage of ['ROWSTORE', '']) {
    const name = storage === '' ? 'c' : 'r';
    it(`${storage || 'COLUMNSTORE'}: loads like MariaDB`, async () => {
      const ddl =
        `CREATE ${storage} TABLE ${name} (id INT PRIMARY KEY, total DECIMAL(10,2), ` +
        `label VARCHAR(20), note VARCHAR(20), day DATE, qty INT)`;
      await ours.db.query(ddl);
      await theirs.db.query(ddl.replace('ROWSTORE ', ''));
      const file =
        '1,2.50,4,abc,,03/01/2024,x\n' +
        '2,1.25,3,Hello,note,31/12/2023,y\n' +
        '3,10,1,  pad  ,,15/06/2024,z\n' +
        '4,\\N,2,x,\\N,\\N,w\n';
      await both(
        `LOAD DATA LOCAL INFILE 'f.csv' INTO TABLE ${name} FIELDS TERMINATED BY ',' ` +
          `(id, @price, @count, @text, @note, @day, @skipped) ` +
          `SET total = @price * @count, qty = @count + 1, label = UPPER(TRIM(@text)), ` +
          `note = NULLIF(@note, ''), day = STR_TO_DATE(@day, '%d/%m/%Y')`,
        file,
      );
      const query = `SELECT * FROM ${name} ORDER BY id`;
      const loaded = await rowsOf(ours.db, query);
      assert.equal(loaded.length, 4);
      assert.deepEqual(loaded, await rowsOf(theirs.db, query));
    });
  }

  it('reads file columns and earlier SET columns in later expressions', async () => {
    const ddl = 'CREATE TABLE chained (id INT PRIMARY KEY, a INT, b INT, c VARCHAR(30))';
    await both(ddl);
    await both(
      "LOAD DATA LOCAL INFILE 'g.tsv' INTO TABLE chained (id, a, @x) " +
        "SET b = a * 10 + @x, c = CONCAT(id, '-', b, '-', LENGTH(@x))",
      '1\t5\t7\n2\t6\t12\n',
    );
    const query = 'SELECT * FROM chained ORDER BY id';
    assert.deepEqual(await rowsOf(ours.db, query), await rowsOf(theirs.db, query));
    assert.equal((await rowsOf(ours.db, query)).length, 2);
  });

  it("adjusts SET values that fail the column checks, with MariaDB's warnings", async () => {
    // LOCAL implies IGNORE: a value that does not fit is adjusted (or NULL in a NOT NULL column
    // takes its implicit value) with a warning, as MariaDB does; an unknown column fails whole.
    const ddl = 'CREATE ROWSTORE TABLE failing (id INT PRIMARY KEY, v VARCHAR(3) NOT NULL)';
    await ours.db.query(ddl);
    await theirs.db.query(ddl.replace('ROWSTORE ', ''));
    const statement =
      "LOAD DATA LOCAL INFILE 'h.tsv' INTO TABLE failing (id, @v) SET v = CONCAT(@v, 'x')";
    const query = 'SELECT * FROM failing ORDER BY id';
    for (const file of ['1\tab\n2\tabc\n3\ta\n', '5\t\\N\n']) {
      await both(statement, file);
      const shown = [];
      for (const target of [ours, theirs])
        shown.push([await rowsOf(target.db, query), await rowsOf(target.db, 'SHOW WARNINGS')]);
      assert.deepEqual(shown[0], shown[1], file);
    }
    assert.equal((await rowsOf(ours.db, query)).length, 4);
    assert.equal(
      await errno(ours.db, "LOAD DATA LOCAL INFILE 'h.tsv' INTO TABLE failing (id) SET nope = 1"),
      1054,
    );
    assert.equal((await rowsOf(ours.db, query)).length, 4);
  });
});
