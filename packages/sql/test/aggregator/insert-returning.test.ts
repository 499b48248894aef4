/**
 * INSERT/REPLACE … RETURNING (MariaDB 10.5; `aggregator/insert-returning.ts`): a result set of
 * the items over the rows written — generated AUTO_INCREMENT ids, defaults, expressions, `*`,
 * qualified names — for VALUES, SET and INSERT … SELECT, REPLACE, and INSERT IGNORE (the rows it
 * kept), on both storages, as a text query and as a prepared statement (mysql2's binary
 * protocol). An unknown column is 1054 in 'RETURNING', an aggregate 1111, a window function
 * 4015, a subquery reading the table 1093 — each before anything is written. The expected rows are
 * MariaDB 10.11's answers to the same statements (columnstore: MariaDB's InnoDB table).
 * ON DUPLICATE KEY UPDATE … RETURNING gives each row as the statement left it, in statement
 * order.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('INSERT … RETURNING', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE ret');
    await db.query('USE ret');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  async function rows(sql: string): Promise<unknown[][]> {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown as unknown[][];
  }

  for (const storage of ['', 'ROWSTORE']) {
    it(`returns the rows written${storage === '' ? '' : ' (rowstore)'}`, async () => {
      const table = storage === '' ? 'a' : 'r';
      await db.query(
        `CREATE ${storage} TABLE ${table} (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(20), score INT DEFAULT 7, created DATE DEFAULT '2024-01-01', price DECIMAL(8,2) DEFAULT 1.50)`,
      );
      assert.deepEqual(
        await rows(
          `INSERT INTO ${table} (name, score) VALUES ('x', 1), ('y', 2) RETURNING id, name`,
        ),
        [
          [1, 'x'],
          [2, 'y'],
        ],
      );
      assert.deepEqual(await rows(`INSERT INTO ${table} (name) VALUES ('z') RETURNING *`), [
        [3, 'z', 7, '2024-01-01', '1.50'],
      ]);
      const [named, fields] = await db.query<RowDataPacket[]>(
        `INSERT INTO ${table} SET name = 'w', score = 10 RETURNING id * 2 AS double_id, CONCAT(name, '!'), score + 1`,
      );
      assert.deepEqual(
        fields.map((field) => field.name),
        ['double_id', "CONCAT(name, '!')", 'score + 1'],
      );
      assert.deepEqual(
        named.map((row) => ({ ...row })),
        [{ double_id: 8, "CONCAT(name, '!')": 'w!', 'score + 1': 11 }],
      );
      assert.deepEqual(
        await rows(
          `INSERT INTO ${table} (name, score) SELECT name, score + 100 FROM ${table} WHERE id <= 2 ORDER BY id RETURNING id, name, score`,
        ),
        [
          [5, 'x', 101],
          [6, 'y', 102],
        ],
      );
      assert.deepEqual(
        await rows(`REPLACE INTO ${table} (id, name) VALUES (1, 'xx') RETURNING id, name, score`),
        [[1, 'xx', 7]],
      );
      assert.deepEqual(
        await rows(
          `INSERT IGNORE INTO ${table} (id, name) VALUES (1, 'dup'), (50, 'new') RETURNING id, name`,
        ),
        [[50, 'new']],
      );
      assert.deepEqual(
        await rows(
          `INSERT INTO ${table} (name) VALUES ('v') RETURNING ${table}.id, ret.${table}.name, UPPER(name) u`,
        ),
        [[51, 'v', 'V']],
      );
      assert.deepEqual(await rows('SELECT LAST_INSERT_ID()'), [[51]]);
    });
  }

  it('refuses an unknown column before writing', async () => {
    await db.query('CREATE TABLE e (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(20))');
    await assert.rejects(db.query("INSERT INTO e (name) VALUES ('bad') RETURNING nosuch"), {
      errno: 1054,
      message: "Unknown column 'nosuch' in 'RETURNING'",
    });
    // MariaDB's refusals, each before the row is written.
    const refused: [string, number][] = [
      ['COUNT(*)', 1111],
      ['SUM(id) OVER ()', 4015],
      ['(SELECT MAX(id) FROM e)', 1093],
      ['id, ?', 1210],
    ];
    for (const [items, errno] of refused)
      await assert.rejects(db.query(`INSERT INTO e (name) VALUES ('bad') RETURNING ${items}`), {
        errno,
      });
    await assert.rejects(db.query("DELETE FROM e WHERE name = 'bad' RETURNING COUNT(*)"), {
      errno: 1111,
    });
    assert.deepEqual(await rows('SELECT COUNT(*) FROM e'), [[0]]);
  });

  for (const storage of ['', 'ROWSTORE']) {
    it(`returns each row as ON DUPLICATE KEY UPDATE left it${storage === '' ? '' : ' (rowstore)'}`, async () => {
      const table = storage === '' ? 'u' : 'ur';
      await db.query(
        `CREATE ${storage} TABLE ${table} (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(20), score INT DEFAULT 7, hits INT DEFAULT 0)`,
      );
      await db.query(`INSERT INTO ${table} (name) VALUES ('x'), ('y')`);
      assert.deepEqual(
        await rows(
          `INSERT INTO ${table} (id, name) VALUES (1, 'dupval'), (70, 'fresh') ON DUPLICATE KEY UPDATE name = 'upd', hits = hits + 1 RETURNING id, name, score, hits`,
        ),
        [
          [1, 'upd', 7, 1],
          [70, 'fresh', 7, 0],
        ],
      );
      assert.deepEqual(
        await rows(
          `INSERT INTO ${table} (id, name) VALUES (70, 'again'), (70, 'twice') ON DUPLICATE KEY UPDATE hits = hits + 10 RETURNING *`,
        ),
        [
          [70, 'fresh', 7, 10],
          [70, 'fresh', 7, 20],
        ],
      );
      assert.deepEqual(
        await rows(
          `INSERT INTO ${table} (id, name) VALUES (2, 'y') ON DUPLICATE KEY UPDATE name = name RETURNING id, name`,
        ),
        [[2, 'y']],
      );
      assert.deepEqual(
        await rows(
          `INSERT INTO ${table} (name) VALUES ('z') ON DUPLICATE KEY UPDATE name = 'no' RETURNING id`,
        ),
        [[71]],
      );
    });
  }

  it('returns rows to a prepared statement', async () => {
    await db.query('CREATE TABLE p (id BIGINT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(10))');
    const [result, fields] = await db.execute<RowDataPacket[]>(
      'INSERT INTO p (v) VALUES (?), (?) RETURNING id, v',
      ['a', 'b'],
    );
    assert.deepEqual(
      fields.map((field) => field.name),
      ['id', 'v'],
    );
    assert.deepEqual(
      result.map((row) => ({ ...row })),
      [
        { id: 1, v: 'a' },
        { id: 2, v: 'b' },
      ],
    );
  });
});
