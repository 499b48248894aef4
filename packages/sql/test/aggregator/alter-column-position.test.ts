/**
 * ALTER TABLE … ADD/MODIFY/CHANGE COLUMN with FIRST or AFTER: the column takes that place in
 * `SELECT *`, `INSERT` without a column list, SHOW COLUMNS and SHOW CREATE TABLE, and the rows
 * keep their values, on both storages and over several partitions. Expected orders and rows
 * are MariaDB 10.11's for the same statements (compared side by side); a rename alone answers
 * without the "Records" line, as MariaDB does.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('ALTER TABLE column positions', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE positions PARTITIONS 3');
    await db.query('USE positions');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  async function rows(sql: string): Promise<unknown[][]> {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown as unknown[][];
  }

  for (const kind of ['', 'ROWSTORE']) {
    it(`places columns FIRST and AFTER another (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `placed_${kind.toLowerCase() || 'column'}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, title VARCHAR(20), n INT)`,
      );
      await db.query(`INSERT INTO ${table} VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30)`);
      await db.query(`ALTER TABLE ${table} ADD COLUMN slug VARCHAR(10) AFTER title`);
      await db.query(`ALTER TABLE ${table} ADD COLUMN tag INT FIRST`);
      await db.query(`ALTER TABLE ${table} MODIFY COLUMN n BIGINT AFTER tag`);
      await db.query(`ALTER TABLE ${table} CHANGE COLUMN title name VARCHAR(30) FIRST`);
      assert.deepEqual(
        (await rows(`SHOW COLUMNS FROM ${table}`)).map((row) => row[0]),
        ['name', 'tag', 'n', 'id', 'slug'],
      );
      await db.query(`INSERT INTO ${table} VALUES ('d', 4, 40, 4, 'dd')`);
      assert.deepEqual(await rows(`SELECT * FROM ${table} ORDER BY id`), [
        ['a', null, 10, 1, null],
        ['b', null, 20, 2, null],
        ['c', null, 30, 3, null],
        ['d', 4, 40, 4, 'dd'],
      ]);
      const [[, text]] = (await rows(`SHOW CREATE TABLE ${table}`)) as [[string, string]];
      assert.match(text, /\(\n {2}`name`[^\n]*\n {2}`tag`[^\n]*\n {2}`n`[^\n]*\n {2}`id`/);
    });
  }

  it('refuses AFTER an unknown column and changes nothing', async () => {
    await db.query('CREATE TABLE unplaced (id INT PRIMARY KEY, a INT)');
    await assert.rejects(db.query('ALTER TABLE unplaced ADD COLUMN b INT AFTER nosuch'), {
      errno: 1054,
    });
    assert.deepEqual(
      (await rows('SHOW COLUMNS FROM unplaced')).map((row) => row[0]),
      ['id', 'a'],
    );
  });

  it('answers a rename without the Records line', async () => {
    await db.query('CREATE TABLE renamed_from (id INT PRIMARY KEY)');
    const [result] = await db.query<ResultSetHeader>(
      'ALTER TABLE renamed_from RENAME TO renamed_to',
    );
    assert.equal(result.info, '');
    const [added] = await db.query<ResultSetHeader>('ALTER TABLE renamed_to ADD COLUMN b INT');
    assert.equal(added.info, 'Records: 0  Duplicates: 0  Warnings: 0');
  });
});
