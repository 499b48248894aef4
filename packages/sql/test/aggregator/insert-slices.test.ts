/**
 * A partition's rows of one INSERT go to its leaf in slices (`aggregator/insert-slices.ts`): a
 * large INSERT … SELECT in one request outgrew the leaf protocol's frames. The slices of one
 * statement share its transaction: a duplicate key in the last slice leaves nothing written.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'mysql2/promise';
import { INSERT_SLICE_ROWS, rowSlices } from '../../src/aggregator/insert-slices.js';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('INSERT in slices', () => {
  it('cuts rows by count and by the size of their values', () => {
    const rows = Array.from({ length: 2 * INSERT_SLICE_ROWS + 1 }, (_, index) => [index]);
    assert.deepEqual(
      rowSlices(rows).map((slice) => slice.length),
      [INSERT_SLICE_ROWS, INSERT_SLICE_ROWS, 1],
    );
    const big = 'x'.repeat(30 * 1024 * 1024);
    assert.deepEqual(
      rowSlices([
        [1, big],
        [2, big],
        [3, big],
      ]).map((slice) => slice.length),
      [2, 1],
    );
    assert.deepEqual(rowSlices([[1]]), [[[1]]]);
  });

  describe('on a cluster', () => {
    let cluster: SqlCluster;
    let db: Connection;
    let inserts = 0;

    before(async () => {
      cluster = await startSqlCluster({ leaves: 1 });
      const leaf = cluster.leaves[0]?.leaf;
      assert.ok(leaf);
      const insert = leaf.insert.bind(leaf);
      leaf.insert = (request) => {
        inserts += 1;
        return insert(request);
      };
      db = await cluster.connect();
      await db.query('CREATE DATABASE sliced PARTITIONS 1');
      await db.query('USE sliced');
      await db.query('CREATE TABLE small (id INT PRIMARY KEY)');
      await db.query('INSERT INTO small VALUES ?', [Array.from({ length: 1000 }, (_, id) => [id])]);
      await db.query('CREATE TABLE src (id INT PRIMARY KEY, label VARCHAR(20))');
      await db.query('CREATE TABLE dst (id INT PRIMARY KEY, label VARCHAR(20))');
    });

    after(async () => {
      await db.end();
      await cluster.close();
    });

    it('writes an INSERT … SELECT larger than a slice, every row once', async () => {
      const before = inserts;
      const [result] = await db.query(
        "INSERT INTO src SELECT a.id * 1000 + b.id, CONCAT('row ', a.id) FROM small a, small b WHERE a.id < 120",
      );
      assert.equal((result as { affectedRows: number }).affectedRows, 120_000);
      assert.ok(inserts - before >= 3, `${inserts - before} requests`);
      const [rows] = await db.query(
        'SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS ids, MAX(id) AS top FROM src',
      );
      assert.deepEqual(rows, [{ n: 120_000, ids: 120_000, top: 119_999 }]);
    });

    it('writes nothing when a later slice fails', async () => {
      // The last row of the SELECT, in the last slice.
      await db.query("INSERT INTO dst VALUES (119999, 'taken')");
      await assert.rejects(db.query('INSERT INTO dst SELECT id, label FROM src ORDER BY id'), {
        errno: 1062,
      });
      const [rows] = await db.query('SELECT COUNT(*) AS n FROM dst');
      assert.deepEqual(rows, [{ n: 1 }]);
    });
  });
});
