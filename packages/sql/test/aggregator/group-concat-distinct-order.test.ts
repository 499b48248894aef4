/**
 * GROUP_CONCAT(DISTINCT x ORDER BY y) where y is another expression than x: each value once,
 * in the ORDER BY's order. The expected strings are what MariaDB 10.11 answered to the same
 * statements over the same rows (run side by side through mysql2 with the throwaway server of
 * bench/sql), written in as it printed them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('GROUP_CONCAT(DISTINCT … ORDER BY another expression)', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const rowsOf = async (sql: string): Promise<unknown[][]> => {
    const [rows] = await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true });
    return rows;
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connectAsText();
    await db.query('CREATE DATABASE concat_order PARTITIONS 4');
    await db.query('USE concat_order');
    // Columnstore: the partitions and the merge run DuckDB, where DISTINCT and ORDER BY are
    // built by hand (dialect/functions/group-concat.ts).
    await db.query('CREATE TABLE t (id INT PRIMARY KEY, g INT, x INT, y INT, s VARCHAR(10))');
    await db.query(
      "INSERT INTO t VALUES (1,1,3,1,'b'),(2,1,1,2,'A'),(3,1,3,3,'a'),(4,1,2,4,'B'),(5,1,1,5,'c'),(6,1,2,6,'b'),(7,2,5,1,'x'),(8,2,5,2,'X')",
    );
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('keeps each value once, in the order of the other expression', async () => {
    assert.deepEqual(
      await rowsOf('SELECT g, GROUP_CONCAT(DISTINCT x ORDER BY y) FROM t GROUP BY g ORDER BY g'),
      [
        ['1', '3,1,2'],
        ['2', '5'],
      ],
    );
    assert.deepEqual(
      await rowsOf(
        'SELECT g, GROUP_CONCAT(DISTINCT x ORDER BY y DESC) FROM t GROUP BY g ORDER BY g',
      ),
      [
        ['1', '2,1,3'],
        ['2', '5'],
      ],
    );
    assert.deepEqual(
      await rowsOf(
        'SELECT g, GROUP_CONCAT(DISTINCT x ORDER BY x DESC) FROM t GROUP BY g ORDER BY g',
      ),
      [
        ['1', '3,2,1'],
        ['2', '5'],
      ],
    );
  });

  it('compares text without case and keeps the spelling met first in that order', async () => {
    assert.deepEqual(
      await rowsOf('SELECT g, GROUP_CONCAT(DISTINCT s ORDER BY y) FROM t GROUP BY g ORDER BY g'),
      [
        ['1', 'b,A,c'],
        ['2', 'x'],
      ],
    );
    assert.deepEqual(
      await rowsOf('SELECT g, GROUP_CONCAT(DISTINCT x, s ORDER BY y) FROM t GROUP BY g ORDER BY g'),
      [
        ['1', '3b,1A,3a,2B,1c'],
        ['2', '5x'],
      ],
    );
  });
});
