/**
 * Rows in the order MariaDB 10.11 returns them without ORDER BY: `GROUP BY k DESC` sorts
 * descending (with ROLLUP too); a plain read of a grouped view, derived table or CTE comes in
 * its GROUP BY order (MariaDB materializes it that way), of one over a single table in that
 * table's primary-key order (MariaDB merges it and scans the clustered index), as does a plain
 * read with a scalar subquery. Expected rows were recorded from MariaDB with the same
 * statements; the tables span four partitions and were written out of key order.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('implicit order of views, derived tables and GROUP BY DESC', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true });
    return result;
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE gro PARTITIONS 4');
    await db.query('USE gro');
    await db.query('CREATE TABLE h (id INT PRIMARY KEY, cat VARCHAR(5), v INT)');
    await db.query(
      "INSERT INTO h VALUES (1, 'a', 3), (2, 'b', 1), (3, 'a', 2), (4, 'c', 5), (5, 'b', 4), (6, 'e', 9)",
    );
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('sorts GROUP BY … DESC descending, ROLLUP rows last', async () => {
    assert.deepEqual(await rows('SELECT cat, SUM(v) FROM h GROUP BY cat DESC'), [
      ['e', '9'],
      ['c', '5'],
      ['b', '5'],
      ['a', '5'],
    ]);
    assert.deepEqual(await rows('SELECT cat, SUM(v) FROM h GROUP BY cat DESC WITH ROLLUP'), [
      ['e', '9'],
      ['c', '5'],
      ['b', '5'],
      ['a', '5'],
      [null, '24'],
    ]);
    assert.deepEqual(await rows('SELECT cat, id, COUNT(*) FROM h GROUP BY cat DESC, id LIMIT 4'), [
      ['e', 6, 1],
      ['c', 4, 1],
      ['b', 2, 1],
      ['b', 5, 1],
    ]);
  });

  it('reads a grouped view, derived table or CTE in its GROUP BY order', async () => {
    await db.query('CREATE VIEW down AS SELECT cat, COUNT(*) n FROM h GROUP BY cat DESC');
    await db.query('CREATE VIEW up AS SELECT cat AS c, COUNT(*) n FROM h GROUP BY cat');
    const up = [
      ['a', 2],
      ['b', 2],
      ['c', 1],
      ['e', 1],
    ];
    assert.deepEqual(await rows('SELECT * FROM down'), [
      ['e', 1],
      ['c', 1],
      ['b', 2],
      ['a', 2],
    ]);
    assert.deepEqual(await rows('SELECT * FROM up'), up);
    assert.deepEqual(
      await rows(
        'SELECT * FROM (SELECT cat, COUNT(*) n FROM h GROUP BY cat) d WHERE n > 0 LIMIT 3',
      ),
      up.slice(0, 3),
    );
    assert.deepEqual(
      await rows('WITH w AS (SELECT cat, COUNT(*) n FROM h GROUP BY 1) SELECT n, cat FROM w'),
      up.map(([cat, n]) => [n, cat]),
    );
    // The view keeps DESC in its definition (its text is kept as written).
    const [[definition]] = await db.query<RowDataPacket[]>({
      sql: 'SHOW CREATE VIEW down',
      rowsAsArray: true,
    });
    assert.match(String((definition as unknown as unknown[])[1]), /GROUP BY \S*cat`? DESC/i);
  });

  it('reads a plain view, derived table or CTE over one table in primary-key order', async () => {
    await db.query('CREATE TABLE k (id INT PRIMARY KEY, cat VARCHAR(5), v INT)');
    await db.query(
      "INSERT INTO k VALUES (5, 'b', 4), (3, 'a', 2), (1, 'a', 3), (6, 'e', 9), (2, 'b', 1), (4, 'c', 5)",
    );
    await db.query('CREATE VIEW kv AS SELECT * FROM k WHERE v > 1');
    await db.query('CREATE VIEW kv2 AS SELECT id, cat FROM k');
    const cases: [string, unknown[][]][] = [
      [
        'SELECT * FROM kv',
        [
          [1, 'a', 3],
          [3, 'a', 2],
          [4, 'c', 5],
          [5, 'b', 4],
          [6, 'e', 9],
        ],
      ],
      [
        'SELECT * FROM kv2 WHERE id > 2',
        [
          [3, 'a'],
          [4, 'c'],
          [5, 'b'],
          [6, 'e'],
        ],
      ],
      [
        'SELECT * FROM (SELECT id, v FROM k WHERE v < 5) d',
        [
          [1, 3],
          [2, 1],
          [3, 2],
          [5, 4],
        ],
      ],
      ['WITH w AS (SELECT * FROM k) SELECT id FROM w', [[1], [2], [3], [4], [5], [6]]],
      [
        'SELECT id, (SELECT COUNT(*) FROM k x WHERE x.cat = k.cat) c FROM k',
        [
          [1, 2],
          [2, 2],
          [3, 2],
          [4, 1],
          [5, 2],
          [6, 1],
        ],
      ],
    ];
    for (const [sql, expected] of cases) assert.deepEqual(await rows(sql), expected, sql);
  });
});
