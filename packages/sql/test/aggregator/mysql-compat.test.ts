/**
 * Answers compared with MariaDB, on both storage engines through mysql2: PAD SPACE string
 * comparison, INT versus BIGINT results of ABS/CEIL/FLOOR/DIV/MOD/DATEDIFF, GROUP_CONCAT
 * (DISTINCT …), a NULL branch of UNION under ORDER BY and LIMIT 18446744073709551615. The
 * expected values are what MariaDB 10.11 answers to the same statements (run side by side
 * with the throwaway server of bench/sql).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, FieldPacket, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('MySQL answers compared with MariaDB', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown as unknown[][];
  };
  const types = async (sql: string): Promise<number[]> => {
    const [, fields] = await db.query<RowDataPacket[]>(sql);
    return fields.map((field: FieldPacket) => field.columnType ?? -1);
  };
  const ids = async (sql: string): Promise<unknown[]> => (await rows(sql)).map((row) => row[0]);

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE compat PARTITIONS 4');
    await db.query('USE compat');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('ignores trailing spaces when comparing strings (PAD SPACE)', async () => {
    assert.deepEqual(
      await rows(
        "SELECT 'a ' = 'a', 'abc' = 'abc ', 'a' < 'a ', '' = ' ', 'a\\t' = 'a', 'a' <> 'a ', 'a ' <=> 'a', NULLIF('a', 'a '), 'a ' IN ('a', 'b'), 'b ' BETWEEN 'a' AND 'b', CASE 'x ' WHEN 'x' THEN 1 ELSE 0 END, 'abc' LIKE 'abc '",
      ),
      [[1, 1, 0, 1, 0, 0, 1, null, 1, 1, 1, 0]],
    );
  });

  for (const kind of ['', 'ROWSTORE']) {
    it(`finds values stored with trailing spaces by equality (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `pad_${kind.toLowerCase() || 'column'}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, s VARCHAR(10), KEY (s)) CHARSET utf8mb4`,
      );
      await db.query(
        `INSERT INTO ${table} VALUES (1, 'abc'), (2, 'abc '), (3, 'ABC  '), (4, 'ab'), (5, NULL), (6, 'abc\\t')`,
      );
      assert.deepEqual(await ids(`SELECT id FROM ${table} WHERE s = 'abc' ORDER BY id`), [1, 2, 3]);
      assert.deepEqual(
        await ids(`SELECT id FROM ${table} WHERE s = 'abc   ' ORDER BY id`),
        [1, 2, 3],
      );
      assert.deepEqual(await ids(`SELECT id FROM ${table} WHERE 'abc' = s ORDER BY id`), [1, 2, 3]);
      assert.deepEqual(await ids(`SELECT id FROM ${table} WHERE s <> 'abc' ORDER BY id`), [4, 6]);
      const prepared = await db.execute<RowDataPacket[]>(
        `SELECT id FROM ${table} WHERE s = ? ORDER BY id`,
        ['ABC '],
      );
      assert.deepEqual(
        prepared[0].map((row) => row['id'] as unknown),
        [1, 2, 3],
      );
      assert.deepEqual(
        await rows(
          `SELECT id, s = 'abc', s = 'ABC ' FROM ${table} WHERE id IN (1, 2, 5) ORDER BY id`,
        ),
        [
          [1, 1, 1],
          [2, 1, 1],
          [5, null, null],
        ],
      );
    });
  }

  it('types integer functions as INT or BIGINT by their width', async () => {
    await db.query(
      'CREATE TABLE widths (id INT PRIMARY KEY, d DECIMAL(10,4), i INT, b BIGINT, s SMALLINT)',
    );
    await db.query('INSERT INTO widths VALUES (1, -2.5, -7, -1, -5)');
    // INT is 3, BIGINT 8, DECIMAL 246.
    assert.deepEqual(
      await types(
        'SELECT ABS(d), ABS(i), ABS(s), CEIL(d), FLOOR(d), CEIL(i), i DIV 2, d DIV 1, b DIV 2, s DIV 2, i % 3, s % 3, MOD(i, 2), -i, -s FROM widths',
      ),
      [246, 8, 3, 3, 3, 3, 8, 3, 8, 3, 8, 3, 8, 8, 3],
    );
    assert.deepEqual(
      await rows('SELECT ABS(d), ABS(i), CEIL(d), FLOOR(d), i DIV 2, d DIV 1, i % 3 FROM widths'),
      [['2.5000', 7, -2, -3, -3, -2, -1]],
    );
    assert.deepEqual(
      await types(
        "SELECT CEIL(1.5), FLOOR(-1.5), ABS(-5), FLOOR(12345678901234), 5 DIV 2, 5.5 DIV 2, DATEDIFF('2024-01-02','2024-01-01'), -5, CEIL(12345678.5), FLOOR(123456789012.5), 1234567890 DIV 1",
      ),
      [3, 3, 3, 8, 3, 3, 3, 3, 3, 8, 8],
    );
    // Sums and products: INT while the digits and the sign fit in 9 characters.
    assert.deepEqual(
      await types(
        'SELECT 1 + 1, 2 * 3, TRUE + TRUE, 12345678 + 1, 9999 * 9999, 99999 * 9999, s + 1, s * s, i + 1, b - 1 FROM widths',
      ),
      [3, 3, 3, 8, 3, 8, 3, 8, 8, 8],
    );
    // CRC32 is INT UNSIGNED: its values pass 2³¹ and still read as a LONG.
    assert.deepEqual(await types("SELECT CRC32('abc'), CRC32(i) FROM widths"), [3, 3]);
    assert.deepEqual(await rows("SELECT CRC32('The quick brown fox'), CRC32(i) FROM widths"), [
      [3074782430, 3645828383],
    ]);
  });

  for (const kind of ['', 'ROWSTORE']) {
    it(`concatenates DISTINCT values as MariaDB does (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `concat_${kind.toLowerCase() || 'column'}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, g VARCHAR(5), name VARCHAR(10), v INT) CHARSET utf8mb4`,
      );
      await db.query(
        `INSERT INTO ${table} VALUES (1, 'a', 'Zed', 5), (2, 'a', 'amy', 3), (3, 'b', 'Bob', 3), (4, 'b', NULL, NULL), (5, 'c', 'bob', 8), (6, NULL, 'Cy', 1), (7, 'a', 'amy', 10)`,
      );
      assert.deepEqual(
        await rows(
          `SELECT g, GROUP_CONCAT(DISTINCT v ORDER BY v), GROUP_CONCAT(DISTINCT name ORDER BY name DESC SEPARATOR '; ') FROM ${table} GROUP BY g ORDER BY g`,
        ),
        [
          [null, '1', 'Cy'],
          ['a', '3,5,10', 'Zed; amy'],
          ['b', '3', 'Bob'],
          ['c', '8', 'bob'],
        ],
      );
      assert.deepEqual(
        await rows(`SELECT GROUP_CONCAT(DISTINCT name), GROUP_CONCAT(DISTINCT v) FROM ${table}`),
        [['amy,Bob,Cy,Zed', '1,3,5,8,10']],
      );
    });
  }

  for (const kind of ['', 'ROWSTORE']) {
    it(`reads an ENUM in numeric context as its position (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `states_${kind.toLowerCase() || 'column'}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, status ENUM('active','banned','pending') NOT NULL, s2 ENUM('x','y'))`,
      );
      await db.query(
        `INSERT INTO ${table} VALUES (1, 'active', 'x'), (2, 'banned', NULL), (3, 'pending', 'y'), (4, 'active', 'y')`,
      );
      assert.deepEqual(await rows(`SELECT id, status + 0, s2 + 0 FROM ${table} ORDER BY id`), [
        [1, 1, 1],
        [2, 2, null],
        [3, 3, 2],
        [4, 1, 2],
      ]);
      assert.deepEqual(await ids(`SELECT id FROM ${table} WHERE status = 1 ORDER BY id`), [1, 4]);
      assert.deepEqual(
        await ids(`SELECT id FROM ${table} WHERE status IN (2, 3) ORDER BY id`),
        [2, 3],
      );
      assert.deepEqual(await rows(`SELECT SUM(status) FROM ${table}`), [['7']]);
    });
  }

  it('orders WITH ROLLUP rows as MariaDB does and accepts ORDER BY NULL', async () => {
    await db.query('CREATE TABLE rolled (id INT PRIMARY KEY, g VARCHAR(5), v INT)');
    await db.query(
      "INSERT INTO rolled VALUES (1, 'c', 5), (2, 'a', 3), (3, 'b', 3), (4, 'b', NULL), (5, 'c', 8), (6, NULL, 1), (7, 'a', 10)",
    );
    assert.deepEqual(await rows('SELECT g, v, SUM(id) FROM rolled GROUP BY g, v WITH ROLLUP'), [
      [null, 1, '6'],
      [null, null, '6'],
      ['a', 3, '2'],
      ['a', 10, '7'],
      ['a', null, '9'],
      ['b', null, '4'],
      ['b', 3, '3'],
      ['b', null, '7'],
      ['c', 5, '1'],
      ['c', 8, '5'],
      ['c', null, '6'],
      [null, null, '28'],
    ]);
    assert.deepEqual(
      (await rows('SELECT g FROM rolled GROUP BY g ORDER BY NULL')).map((row) => row[0]).sort(),
      ['a', 'b', 'c', null],
    );
  });

  it('orders a UNION with a NULL branch and reads LIMIT 18446744073709551615', async () => {
    assert.deepEqual(await rows('SELECT 1 AS a UNION ALL SELECT NULL ORDER BY a'), [[null], [1]]);
    assert.deepEqual(await types('SELECT NULL UNION SELECT 1'), [3]);
    await db.query('CREATE TABLE many (id INT PRIMARY KEY)');
    await db.query('INSERT INTO many VALUES (1), (2), (3), (4), (5)');
    assert.deepEqual(
      await ids('SELECT id FROM many ORDER BY id LIMIT 18446744073709551615'),
      [1, 2, 3, 4, 5],
    );
    assert.deepEqual(
      await ids('SELECT id FROM many ORDER BY id LIMIT 3, 18446744073709551615'),
      [4, 5],
    );
  });
});
