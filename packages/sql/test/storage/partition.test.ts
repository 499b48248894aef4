import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../../src/leaf/api.js';
import { SqlError } from '../../src/errors.js';
import { openLeaf, SHOP, type LeafFixture } from './leaf-fixture.js';

const TABLES: Record<Engine, string> = {
  // The rowstore keeps decimals as TEXT affinity so they stay exact; the declared type names the scale.
  row: 'CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL, price DECIMAL_TEXT(12,2), born DATE, seen DATETIME(3), ok BOOLEAN, data BLOB, UNIQUE (name))',
  column:
    'CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR NOT NULL UNIQUE, price DECIMAL(12,2), born DATE, seen TIMESTAMP, ok BOOLEAN, data BLOB)',
};

function assertSqlError(errno: number, pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof SqlError, `expected SqlError, got ${String(error)}`);
    assert.equal(error.errno, errno, error.message);
    assert.match(error.message, pattern);
    return true;
  };
}

for (const engine of ['row', 'column'] as const) {
  describe(`partition ${engine}store`, () => {
    let fixture: LeafFixture;
    before(async () => {
      fixture = await openLeaf();
      await fixture.run(engine, TABLES[engine]);
    });
    after(() => fixture.close());

    it('inserts, selects, updates and deletes with parameters', async () => {
      const insert =
        'INSERT INTO items (id, name, price, born, seen, ok, data) VALUES (?, ?, ?, ?, ?, ?, ?)';
      const inserted = await fixture.run(engine, insert, [
        1,
        'pen',
        '1.50',
        '2024-02-29',
        '2024-02-29 13:14:15.250',
        1,
        new Uint8Array([0, 255]),
      ]);
      assert.equal(inserted.affectedRows, 1);
      await fixture.run(engine, insert, [
        2n ** 60n,
        'ink',
        '1234567890.99',
        '1999-12-31',
        '1999-12-31 23:59:59',
        0,
        null,
      ]);
      const selected = await fixture.run(
        engine,
        'SELECT id, name, price, born, ok, data FROM items ORDER BY id',
      );
      assert.deepStrictEqual(selected.rows, [
        [1, 'pen', '1.50', '2024-02-29', 1, new Uint8Array([0, 255])],
        [2n ** 60n, 'ink', '1234567890.99', '1999-12-31', 0, null],
      ]);
      assert.deepEqual(
        selected.columns.map((column) => [column.name, column.type, column.scale]),
        [
          ['id', 'bigint', undefined],
          ['name', 'varchar', undefined],
          ['price', 'decimal', 2],
          ['born', 'date', undefined],
          ['ok', 'bool', undefined],
          ['data', 'blob', undefined],
        ],
      );
      const updated = await fixture.run(engine, 'UPDATE items SET name = ? WHERE id = ?', [
        'pencil',
        1,
      ]);
      assert.equal(updated.affectedRows, 1);
      const deleted = await fixture.run(engine, 'DELETE FROM items WHERE id = ?', [2n ** 60n]);
      assert.equal(deleted.affectedRows, 1);
      const left = await fixture.run(engine, 'SELECT name FROM items');
      assert.deepStrictEqual(left.rows, [['pencil']]);
    });

    it('formats timestamps with the requested fraction digits', async () => {
      const columns = [{ name: 'seen', type: 'datetime', scale: 3 }] as const;
      const [result] = await fixture.leaf.exec([
        {
          partition: SHOP,
          engine,
          sql: 'SELECT seen FROM items WHERE id = ?',
          params: [1],
          columns,
        },
      ]);
      assert.deepStrictEqual(result?.rows, [['2024-02-29 13:14:15.250']]);
      const [plain] = await fixture.leaf.exec([
        {
          partition: SHOP,
          engine,
          sql: 'SELECT seen FROM items WHERE id = ?',
          params: [1],
          columns: [{ name: 'seen', type: 'datetime', scale: 0 }],
        },
      ]);
      assert.deepStrictEqual(plain?.rows, [['2024-02-29 13:14:15']]);
    });

    it('coerces to requested column types (exact decimals, booleans)', async () => {
      const [result] = await fixture.leaf.exec([
        {
          partition: SHOP,
          engine,
          sql: 'SELECT price, ok FROM items WHERE id = ?',
          params: [1],
          columns: [
            { name: 'price', type: 'decimal', precision: 14, scale: 4 },
            { name: 'ok', type: 'bool' },
          ],
        },
      ]);
      assert.deepStrictEqual(result?.rows, [['1.5000', 1]]);
    });

    it('reports duplicate keys as 1062 and NULL in NOT NULL as 1048', async () => {
      const insert = 'INSERT INTO items (id, name) VALUES (?, ?)';
      await assert.rejects(
        fixture.run(engine, insert, [1, 'other']),
        assertSqlError(1062, /^Duplicate entry '1' for key 'PRIMARY'$/),
      );
      await assert.rejects(
        fixture.run(engine, insert, [7, 'pencil']),
        assertSqlError(1062, /^Duplicate entry 'pencil' for key '\w*name\w*'$/),
      );
      await assert.rejects(
        fixture.run(engine, insert, [8, null]),
        assertSqlError(1048, /^Column 'name' cannot be null$/),
      );
      await assert.rejects(
        fixture.run(engine, 'SELECT * FROM missing'),
        assertSqlError(1146, /missing/),
      );
    });

    it('bulk inserts with each conflict mode', async () => {
      const base = {
        partition: SHOP,
        engine,
        table: 'items',
        columns: ['id', 'name', 'price'],
      } as const;
      const first = await fixture.leaf.insert({
        ...base,
        rows: [
          [10, 'a', '1'],
          [11, 'b', 2.5],
        ],
        onConflict: 'error',
      });
      assert.equal(first.affectedRows, 2);
      await assert.rejects(
        fixture.leaf.insert({
          ...base,
          rows: [
            [12, 'c', '3'],
            [10, 'dup', '4'],
          ],
          onConflict: 'error',
        }),
        assertSqlError(1062, /^Duplicate entry '10' for key 'PRIMARY'$/),
      );
      const ignored = await fixture.leaf.insert({
        ...base,
        rows: [
          [10, 'x', '9'],
          [13, 'd', '4.125'],
        ],
        onConflict: 'ignore',
      });
      assert.equal(ignored.affectedRows, 1);
      const replaced = await fixture.leaf.insert({
        ...base,
        rows: [
          [11, 'B', '7'],
          [14, 'e', '5'],
        ],
        onConflict: 'replace',
      });
      // A replaced row counts twice, as MySQL counts it (SQLite's deletions are probed).
      assert.equal(replaced.affectedRows, 3);
      const rows = await fixture.run(
        engine,
        'SELECT id, name, price FROM items WHERE id >= 10 ORDER BY id',
      );
      // The failed bulk insert left nothing behind (row 12 is absent).
      assert.deepStrictEqual(rows.rows, [
        [10, 'a', '1.00'],
        [11, 'B', '7.00'],
        [13, 'd', '4.13'],
        [14, 'e', '5.00'],
      ]);
    });
  });
}

describe('partitions', () => {
  it('are created, listed, reopened and dropped', async () => {
    const fixture = await openLeaf();
    try {
      const other = { database: 'weird db/../name', ordinal: -1 };
      await fixture.leaf.createPartition(other);
      await fixture.leaf.createPartition(other);
      await fixture.run('column', 'CREATE TABLE r (a INT)', [], undefined, other);
      await fixture.run('column', 'INSERT INTO r VALUES (42)', [], undefined, other);
      // The same bare name in another partition is another table.
      await assert.rejects(fixture.run('column', 'SELECT a FROM r'), assertSqlError(1146, /r/));
      const info = await fixture.leaf.info();
      assert.deepEqual(
        new Set(info.partitions.map((partition) => partition.database)),
        new Set(['shop', 'weird db/../name']),
      );
      await fixture.leaf.dropPartition(other);
      await fixture.leaf.dropPartition(other);
      await assert.rejects(
        fixture.run('column', 'SELECT a FROM r', [], undefined, other),
        assertSqlError(1049, /Unknown partition/),
      );
    } finally {
      await fixture.close();
    }
  });
});
