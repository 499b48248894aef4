/**
 * A prepared statement's `?` is typed by the value bound at each execute, as MariaDB types it:
 * mysql2 sends a JS number as DOUBLE, a boolean as TINY, a Date as DATETIME, a Buffer as BLOB,
 * text (and a bigint) as VAR_STRING, and the execute's column definitions and values follow
 * (`SELECT ?` was VAR_STRING whatever was bound; `? + 1` with text failed on columnstore and
 * `COALESCE(?, 1)` cut 2.5 to 2). A statement run with values of other kinds is planned again;
 * a number compared with a column still uses the column's own type. Every expected type, length
 * and value is what MariaDB 10.11 answered to the same executes through mysql2.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, FieldPacket, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

type Bound = string | number | boolean | bigint | Date | Buffer | null;

describe('prepared statement parameters typed by their values', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE bound');
    await db.query('USE bound');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  /** The value of `x` and its column's type, length and decimals. */
  const execute = async (sql: string, value: Bound): Promise<unknown[]> => {
    const [rows, fields] = await db.execute<RowDataPacket[]>(sql, [value]);
    const field = fields[0] as FieldPacket;
    const x: unknown = rows[0]?.['x'];
    return [
      Buffer.isBuffer(x) ? x.toString('hex') : x,
      field.columnType,
      field.columnLength,
      field.decimals,
    ];
  };

  it('describes a bare parameter by the type it was bound with', async () => {
    const date = new Date(2024, 0, 2, 3, 4, 5, 678);
    assert.deepEqual(await execute('SELECT ? AS x', 5), [5, 5, 23, 31]);
    assert.deepEqual(await execute('SELECT ? AS x', 2.5), [2.5, 5, 23, 31]);
    assert.deepEqual(await execute('SELECT ? AS x', 'abc'), ['abc', 253, 12, 39]);
    assert.deepEqual(await execute('SELECT ? AS x', 9007199254740993n), [
      '9007199254740993',
      253,
      64,
      39,
    ]);
    assert.deepEqual(await execute('SELECT ? AS x', true), [1, 1, 4, 0]);
    assert.deepEqual((await execute('SELECT ? AS x', date)).slice(0, 2), [
      '2024-01-02 03:04:05.678000',
      12,
    ]);
    assert.deepEqual((await execute('SELECT ? AS x', Buffer.from('xyz'))).slice(0, 3), [
      '78797a',
      252,
      3,
    ]);
  });

  it('computes simple expressions of parameters as MariaDB does', async () => {
    assert.deepEqual(await execute('SELECT ? + 1 AS x', 5), [6, 5, 23, 31]);
    assert.deepEqual(await execute('SELECT ? + 1 AS x', 'abc'), [1, 5, 23, 31]);
    assert.deepEqual(await execute('SELECT ? * 2 AS x', '42'), [84, 5, 23, 31]);
    assert.deepEqual(await execute('SELECT ? + 1 AS x', Buffer.from('xyz')), [1, 5, 23, 31]);
    assert.deepEqual(await execute('SELECT COALESCE(?, 1) AS x', 2.5), [2.5, 5, 23, 31]);
    assert.deepEqual(await execute('SELECT COALESCE(?, 1) AS x', 'abc'), ['abc', 253, 12, 39]);
    assert.deepEqual((await execute('SELECT CONCAT(?, "") AS x', 2.5)).slice(0, 2), ['2.5', 253]);
    // The same statement with a value of another kind is planned again.
    assert.deepEqual(await execute('SELECT ? AS x', 5), [5, 5, 23, 31]);
    assert.deepEqual(await execute('SELECT ? AS x', 'abc'), ['abc', 253, 12, 39]);
  });

  for (const kind of ['', 'ROWSTORE']) {
    it(`compares parameters with columns (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `p_${(kind || 'columnstore').toLowerCase()}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, i INT, d DOUBLE, s VARCHAR(10))`,
      );
      await db.query(
        `INSERT INTO ${table} VALUES (1, 5, 2.5, 'hello'), (2, -3, 1, 'world'), (4, 0, 9, 'x')`,
      );
      const ids = async (sql: string, values: Bound[]): Promise<unknown[]> => {
        const [rows] = await db.execute<RowDataPacket[]>(sql, values);
        return rows.map((row): unknown => row['id']);
      };
      assert.deepEqual(await ids(`SELECT id FROM ${table} WHERE id = ?`, [2]), [2]);
      assert.deepEqual(
        await ids(`SELECT id FROM ${table} WHERE id IN (?, ?) ORDER BY id`, [1, 4]),
        [1, 4],
      );
      assert.deepEqual(await ids(`SELECT id FROM ${table} WHERE i > ? ORDER BY id`, [2.5]), [1]);
      assert.deepEqual(await ids(`SELECT id FROM ${table} WHERE d = ? ORDER BY id`, [2.5]), [1]);
      assert.deepEqual(await ids(`SELECT id FROM ${table} WHERE s = ?`, ['hello']), [1]);
      const [rows] = await db.execute<RowDataPacket[]>(
        `SELECT i + ? AS x FROM ${table} WHERE id = ?`,
        [0.5, 1],
      );
      assert.deepEqual(rows, [{ x: 5.5 }]);
      // A bound Buffer beside a number is a binary string (MariaDB: '5' and 'zz' as bytes).
      const [mixed] = await db.execute<RowDataPacket[]>(
        `SELECT COALESCE(i, ?) AS x, COALESCE(?, i) AS y FROM ${table} WHERE id = 1`,
        [Buffer.from('7'), Buffer.from('zz')],
      );
      assert.deepEqual(
        mixed.map((row) => [String(row['x']), String(row['y'])]),
        [['5', 'zz']],
      );
    });
  }
});
