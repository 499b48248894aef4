/**
 * VARBINARY columns sort, group, take MIN/MAX and count distinct values by their bytes (upper
 * case before lower case, no case folding) on both storages, in plain queries, DISTINCT, GROUP
 * BY, UNION and IN subqueries; they failed on the columnstore and the merge engine, which
 * refuse a collation on binary data. Mixed with text (COALESCE, IF, CASE, GREATEST, UNION) the
 * result is a binary string, text taken as its UTF-8 bytes; so is BINARY x or CAST(x AS
 * BINARY) of a text column, and a merge of the partitions' rows sorted `COLLATE utf8mb4_bin`.
 * Every expected answer is what MariaDB 10.11 gave (utf8mb4 tables).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('binary strings ordered by their bytes', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connectAsText();
    await db.query('CREATE DATABASE bin PARTITIONS 4');
    await db.query('USE bin');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const rows = async (sql: string): Promise<unknown[][]> =>
    (await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true }))[0];

  for (const storage of ['COLUMNSTORE', 'ROWSTORE']) {
    it(`sorts, groups and compares VARBINARY by bytes (${storage})`, async () => {
      const t = `t_${storage.toLowerCase()}`;
      await db.query(
        `CREATE ${storage} TABLE ${t} (id INT PRIMARY KEY, b VARBINARY(20), s VARCHAR(20))`,
      );
      await db.query(
        `INSERT INTO ${t} VALUES (1, 'bin', 'hello'), (2, '', 'World'), (3, NULL, NULL), (4, 'x', '12abc'), (5, 'B', 'b')`,
      );
      assert.deepEqual(await rows(`SELECT b FROM ${t} ORDER BY b`), [
        [null],
        [''],
        ['B'],
        ['bin'],
        ['x'],
      ]);
      assert.deepEqual(await rows(`SELECT DISTINCT b FROM ${t} ORDER BY b DESC`), [
        ['x'],
        ['bin'],
        ['B'],
        [''],
        [null],
      ]);
      assert.deepEqual(await rows(`SELECT b, COUNT(*) FROM ${t} GROUP BY b ORDER BY b`), [
        [null, '1'],
        ['', '1'],
        ['B', '1'],
        ['bin', '1'],
        ['x', '1'],
      ]);
      assert.deepEqual(
        await rows(`SELECT MAX(b), MIN(b), COUNT(DISTINCT b), MAX(s), MIN(s) FROM ${t}`),
        [['x', '', '4', 'World', '12abc']],
      );
      assert.deepEqual(
        await rows(
          `(SELECT b FROM ${t} WHERE id < 3) UNION (SELECT b FROM ${t} WHERE id > 2) ORDER BY b`,
        ),
        [[null], [''], ['B'], ['bin'], ['x']],
      );
      assert.deepEqual(
        await rows(`SELECT id FROM ${t} WHERE b IN (SELECT b FROM ${t} WHERE id = 5) ORDER BY id`),
        [['5']],
      );
      assert.deepEqual(await rows(`SELECT id FROM ${t} WHERE b = 'b'`), []);
    });

    it(`mixes binary strings with text as binary strings (${storage})`, async () => {
      const t = `m_${storage.toLowerCase()}`;
      await db.query(
        `CREATE ${storage} TABLE ${t} (id INT PRIMARY KEY, b VARBINARY(20), s VARCHAR(20))`,
      );
      await db.query(
        `INSERT INTO ${t} VALUES (1, 'bin', 'hello'), (2, '', 'Wörld'), (3, NULL, NULL), (4, 'x', '12abc'), (5, 'B', 'b')`,
      );
      assert.deepEqual(
        await rows(
          `SELECT COALESCE(b, s), IFNULL(s, b), IF(id > 2, b, s), CASE WHEN id = 1 THEN b ELSE s END,
             GREATEST(b, 'a'), LEAST(b, s), COALESCE(b, 1) FROM ${t} ORDER BY id`,
        ),
        [
          ['bin', 'hello', 'hello', 'bin', 'bin', 'bin', 'bin'],
          ['', 'Wörld', 'Wörld', 'Wörld', 'a', '', ''],
          [null, null, null, null, null, null, '1'],
          ['x', '12abc', 'x', '12abc', 'x', '12abc', 'x'],
          ['B', 'b', 'B', 'b', 'a', 'B', 'B'],
        ],
      );
      assert.deepEqual(await rows(`SELECT s FROM ${t} UNION SELECT b FROM ${t} ORDER BY 1`), [
        [null],
        [''],
        ['12abc'],
        ['B'],
        ['Wörld'],
        ['b'],
        ['bin'],
        ['hello'],
        ['x'],
      ]);
    });

    it(`orders, groups and matches BINARY x and CAST(x AS BINARY) by bytes (${storage})`, async () => {
      const t = `c_${storage.toLowerCase()}`;
      await db.query(`CREATE ${storage} TABLE ${t} (id INT PRIMARY KEY, s VARCHAR(20))`);
      await db.query(
        `INSERT INTO ${t} VALUES (1, 'x'), (2, 'Y'), (3, 'w'), (4, 'X'), (5, 'é'), (6, 'É')`,
      );
      const bytesOrder = [['X'], ['Y'], ['w'], ['x'], ['É'], ['é']];
      assert.deepEqual(await rows(`SELECT s FROM ${t} ORDER BY BINARY s`), bytesOrder);
      assert.deepEqual(await rows(`SELECT DISTINCT BINARY s FROM ${t} ORDER BY 1`), bytesOrder);
      assert.deepEqual(
        await rows(
          `SELECT CAST(s AS BINARY), COUNT(*) FROM ${t} GROUP BY CAST(s AS BINARY) ORDER BY 1`,
        ),
        bytesOrder.map(([s]) => [s, '1']),
      );
      assert.deepEqual(await rows(`SELECT MAX(BINARY s), MIN(BINARY s) FROM ${t}`), [['é', 'X']]);
      assert.deepEqual(await rows(`SELECT id FROM ${t} WHERE BINARY s LIKE 'é%'`), [['5']]);
      assert.deepEqual(await rows(`SELECT id FROM ${t} WHERE BINARY s = 'x'`), [['1']]);
      // Binary strings have no letter case; a binary collation keeps it.
      assert.deepEqual(
        await rows(
          `SELECT UPPER(BINARY s), LOWER(CAST(s AS BINARY)), UPPER(s), UPPER(s COLLATE utf8mb4_bin) FROM ${t} WHERE id IN (4, 5) ORDER BY id`,
        ),
        [
          ['X', 'X', 'X', 'X'],
          ['é', 'é', 'É', 'É'],
        ],
      );
    });
  }

  it('merges rows sorted under a binary collation by their bytes, not by the column', async () => {
    await db.query('CREATE TABLE o (id INT PRIMARY KEY, s VARCHAR(20))');
    await db.query(
      "INSERT INTO o VALUES (1, 'x'), (2, 'Y'), (3, 'w'), (4, 'X'), (5, 'é'), (6, 'É'), (7, 'ab')",
    );
    const bytes = ['X', 'Y', 'ab', 'w', 'x', 'É', 'é'].map((s) => [s]);
    assert.deepEqual(await rows('SELECT s FROM o ORDER BY s COLLATE utf8mb4_bin'), bytes);
    assert.deepEqual(
      await rows('SELECT s COLLATE utf8mb4_bin AS k FROM o ORDER BY k DESC'),
      [...bytes].reverse(),
    );
    assert.deepEqual(
      await rows('SELECT s COLLATE utf8mb4_bin FROM o ORDER BY 1 LIMIT 3'),
      bytes.slice(0, 3),
    );
    assert.deepEqual(await rows('SELECT s FROM o ORDER BY s LIMIT 1'), [['ab']]);
  });
});
