/**
 * Affected rows and info strings of UPDATE and INSERT … ON DUPLICATE KEY UPDATE, with and
 * without CLIENT_FOUND_ROWS (mysql2 sets it by default; the `mariadb` command line does not),
 * on both storage engines. The expected values are what MariaDB 10.11 answered to the same
 * statements, run side by side through mysql2 and the `mariadb` command line.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  createConnection,
  type Connection,
  type ResultSetHeader,
  type RowDataPacket,
} from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const run = promisify(execFile);

describe('UPDATE and upsert counts', () => {
  let cluster: SqlCluster;
  let found: Connection;
  let changed: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    found = await cluster.connect();
    await found.query('CREATE DATABASE counts PARTITIONS 4');
    await found.query('USE counts');
    changed = await createConnection({
      host: '127.0.0.1',
      port: cluster.port,
      user: 'root',
      database: 'counts',
      flags: ['-FOUND_ROWS'],
    });
  });

  after(async () => {
    await found.end();
    await changed.end();
    await cluster.close();
  });

  const answer = async (db: Connection, sql: string): Promise<[number, string]> => {
    const [result] = await db.query<ResultSetHeader>(sql);
    return [result.affectedRows, result.info];
  };

  for (const kind of ['', 'ROWSTORE']) {
    const engine = kind || 'COLUMNSTORE';
    it(`counts UPDATE rows matched and changed (${engine})`, async () => {
      // The same statements on two copies of a table: one through a client with
      // CLIENT_FOUND_ROWS (affected = matched), one without (affected = changed).
      for (const [db, table] of [
        [found, `up_${engine.toLowerCase()}`],
        [changed, `up_${engine.toLowerCase()}_changed`],
      ] as const) {
        await db.query(
          `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, a INT, s VARCHAR(10), n INT)`,
        );
        await db.query(
          `INSERT INTO ${table} VALUES (1, 1, 'a', NULL), (2, 2, 'b', NULL), (3, 3, 'c', 5)`,
        );
        // [statement, rows matched, rows changed] as MariaDB counts them.
        const cases: [string, number, number][] = [
          [`UPDATE ${table} SET a = 1 WHERE id = 1`, 1, 0],
          [`UPDATE ${table} SET a = 1`, 3, 2],
          [`UPDATE ${table} SET n = NULL`, 3, 1],
          // Case changes are changes: MySQL compares the stored record, not by the collation.
          [`UPDATE ${table} SET s = 'A' WHERE id = 1`, 1, 1],
          [`UPDATE ${table} SET s = 'b ', a = 2 WHERE id = 2`, 1, 1],
          [`UPDATE ${table} SET a = '2' WHERE id = 2`, 1, 0],
          [`UPDATE ${table} SET a = 7 WHERE id = 99`, 0, 0],
          [`UPDATE ${table} SET a = a + 1 WHERE id < 3`, 2, 2],
        ];
        for (const [sql, matched, rowsChanged] of cases) {
          assert.deepEqual(
            await answer(db, sql),
            [
              db === found ? matched : rowsChanged,
              `Rows matched: ${matched}  Changed: ${rowsChanged}  Warnings: 0`,
            ],
            sql,
          );
        }
      }
    });

    it(`counts upserts with and without CLIENT_FOUND_ROWS (${engine})`, async () => {
      const table = `ups_${engine.toLowerCase()}`;
      await found.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, a INT)`);
      await found.query(`INSERT INTO ${table} VALUES (1, 5)`);
      const upsert = (values: string, a: number): string =>
        `INSERT INTO ${table} VALUES ${values} ON DUPLICATE KEY UPDATE a = ${a}`;
      assert.deepEqual(await answer(found, upsert('(1, 1)', 5)), [1, '']);
      assert.deepEqual(await answer(changed, upsert('(1, 1)', 5)), [0, '']);
      assert.deepEqual(await answer(found, upsert('(1, 1), (9, 9)', 5)), [
        2,
        'Records: 2  Duplicates: 1  Warnings: 0',
      ]);
      assert.deepEqual(await answer(changed, upsert('(1, 1), (10, 9)', 5)), [
        1,
        'Records: 2  Duplicates: 0  Warnings: 0',
      ]);
      assert.deepEqual(await answer(changed, upsert('(1, 1), (9, 9), (11, 1)', 6)), [
        5,
        'Records: 3  Duplicates: 2  Warnings: 0',
      ]);
    });
  }

  it('answers ROW_COUNT() as MariaDB: the count of the statement before, -1 after rows', async () => {
    // [statement, ROW_COUNT() right after it] as MariaDB answers them (mysql2 sets
    // CLIENT_FOUND_ROWS, so an UPDATE counts the rows it matched).
    const steps: [string, number][] = [
      ['CREATE TABLE rc (id INT PRIMARY KEY, a INT)', 0],
      ['INSERT INTO rc VALUES (1, 1), (2, 2), (3, 3)', 3],
      ['SELECT ROW_COUNT()', -1],
      ['UPDATE rc SET a = 2 WHERE id < 3', 2],
      ['SHOW TABLES', -1],
      ['DELETE FROM rc WHERE id = 3', 1],
      ['SET @x = 1', 0],
    ];
    for (const [sql, expected] of steps) {
      await found.query(sql);
      const [rows] = await found.query<RowDataPacket[]>({
        sql: 'SELECT ROW_COUNT()',
        rowsAsArray: true,
      });
      assert.deepEqual(rows, [[expected]], sql);
    }
  });

  it('prints the counts through the mariadb command line', async () => {
    const { stdout } = await run('mariadb', [
      ...['-h', '127.0.0.1', '-P', String(cluster.port), '-u', 'root', '-vvv', 'counts'],
      '-e',
      'CREATE TABLE cli (id INT PRIMARY KEY, a INT); INSERT INTO cli VALUES (1, 1), (2, 2); UPDATE cli SET a = 2; INSERT INTO cli VALUES (2, 0) ON DUPLICATE KEY UPDATE a = 2',
    ]);
    const lines = stdout
      .split('\n')
      .filter((line) => /^(Query OK|Rows matched|Records)/.test(line));
    assert.deepEqual(
      lines.map((line) => line.replace(/ \(\d+\.\d+ sec\)/, '')),
      [
        'Query OK, 0 rows affected',
        'Query OK, 2 rows affected',
        'Records: 2  Duplicates: 0  Warnings: 0',
        'Query OK, 1 row affected',
        'Rows matched: 2  Changed: 1  Warnings: 0',
        'Query OK, 0 rows affected',
      ],
    );
  });
});
