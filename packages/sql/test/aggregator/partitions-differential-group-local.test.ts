/**
 * Derived tables grouped by a shard key (`planner/group-local.ts`): each partition holds whole
 * groups, so the enclosing query runs on the partitions with the derived table inside their
 * statement, and only its result (or its partial aggregates) travels. Each query runs on a
 * database with PARTITIONS 1, on one with PARTITIONS 16, and on the 16-partition database as
 * `WITH g AS (query) SELECT * FROM g`; rows and column types must match. EXPLAIN shows which
 * queries the partitions run whole, and that groups off the shard key, WITH ROLLUP, LIMIT,
 * DISTINCT and ORDER BY keep the derived table off the partitions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'mysql2/promise';
import { assertPlansAgree, explainText } from '../support/differential.js';
import { fillFacts, generateFacts } from '../support/facts-fixture.js';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

/** [query, whether the 16-partition plan sends the derived table to the partitions]. */
const QUERIES: readonly (readonly [string, boolean])[] = [
  // A histogram of groups per key, with NULL keys (events.fact_id) and a co-located join.
  [
    'SELECT n, COUNT(*) FROM (SELECT fact_id, COUNT(*) AS n FROM items GROUP BY fact_id) AS d GROUP BY n ORDER BY n',
    true,
  ],
  [
    'SELECT n, COUNT(*) AS c FROM (SELECT fact_id, COUNT(*) AS n FROM events GROUP BY fact_id) AS d GROUP BY n ORDER BY c DESC, n',
    true,
  ],
  [
    'SELECT c, COUNT(*), SUM(total), AVG(total) FROM (SELECT f.id, COUNT(i.line) AS c, SUM(i.price) AS total FROM facts f LEFT JOIN items i ON i.fact_id = f.id GROUP BY f.id) AS d GROUP BY c ORDER BY c',
    true,
  ],
  // Joined to a sharded table by the key it carries; HAVING inside.
  [
    'SELECT f.region, f.id, d.n FROM facts f JOIN (SELECT fact_id, COUNT(*) AS n FROM events GROUP BY fact_id HAVING COUNT(*) > 1) AS d ON d.fact_id = f.id ORDER BY 1, 2',
    true,
  ],
  // Column aliases, an expression grouped outside, aggregates without GROUP BY outside.
  [
    'SELECT MOD(k, 3) AS g, AVG(m), COUNT(*) FROM (SELECT fact_id, MAX(price) FROM items GROUP BY fact_id) AS d (k, m) GROUP BY g ORDER BY g',
    true,
  ],
  [
    'SELECT SUM(n), MAX(s), COUNT(DISTINCT n), MIN(k) FROM (SELECT fact_id AS k, COUNT(*) AS n, SUM(price) AS s FROM items GROUP BY fact_id) AS d',
    true,
  ],
  // Rows of the groups, merged with ORDER BY and LIMIT.
  [
    'SELECT fact_id, n FROM (SELECT fact_id, COUNT(*) AS n FROM items GROUP BY fact_id) AS d WHERE n > 1 ORDER BY n DESC, fact_id LIMIT 5',
    true,
  ],
  // Grouped by the key without showing it: whole groups still, read alone.
  [
    'SELECT n, COUNT(*) FROM (SELECT COUNT(*) AS n FROM items GROUP BY fact_id) AS d GROUP BY n ORDER BY n',
    true,
  ],
  // Case-insensitive string shard key: 'abc' and 'ABC' are one group.
  [
    'SELECT n, COUNT(*) FROM (SELECT tag, COUNT(*) AS n FROM tags GROUP BY tag) AS d GROUP BY n ORDER BY n',
    true,
  ],
  // Not partition-local: grouped off the key, WITH ROLLUP, LIMIT, DISTINCT, a key computed.
  [
    'SELECT n, COUNT(*) FROM (SELECT kind, COUNT(*) AS n FROM items GROUP BY kind) AS d GROUP BY n ORDER BY n',
    false,
  ],
  [
    'SELECT COUNT(*), SUM(n) FROM (SELECT fact_id, COUNT(*) AS n FROM items GROUP BY fact_id WITH ROLLUP) AS d',
    false,
  ],
  [
    'SELECT COUNT(*) FROM (SELECT fact_id, COUNT(*) AS n FROM items GROUP BY fact_id ORDER BY fact_id LIMIT 7) AS d',
    false,
  ],
  [
    'SELECT n, COUNT(*) FROM (SELECT DISTINCT COUNT(*) AS n FROM items GROUP BY fact_id) AS d GROUP BY n ORDER BY n',
    false,
  ],
  [
    'SELECT * FROM (SELECT fact_id, COUNT(*) AS n FROM items GROUP BY fact_id ORDER BY n DESC, fact_id) AS d',
    false,
  ],
  [
    'SELECT COUNT(*) FROM facts f JOIN (SELECT MAX(fact_id) AS k, COUNT(*) AS n FROM items GROUP BY fact_id) AS d ON d.k = f.id',
    false,
  ],
];

describe('derived tables grouped by a shard key: 1 partition, 16 partitions and the plain gather agree', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    const data = generateFacts();
    for (const [database, partitions] of [
      ['one', 1],
      ['many', 16],
    ] as const) {
      await fillFacts(db, database, partitions, data);
      await db.query('CREATE TABLE tags (tag VARCHAR(10), v INT, SHARD KEY (tag))');
      await db.query(
        "INSERT INTO tags VALUES ('abc', 1), ('ABC', 2), ('Abc ', 3), ('x', 4), ('y', 5), ('Y', 6), (NULL, 7), (NULL, 8), ('z', 9)",
      );
    }
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const [sql, local] of QUERIES) {
    it(sql, async () => {
      await assertPlansAgree(db, sql);
      const plan = await explainText(db, sql);
      // A partitions' statement holds the derived table itself.
      const lines = plan.split('\n');
      const onPartitions = lines.some(
        (line, index) =>
          line.trim().startsWith('Partitions:') && (lines[index + 1] ?? '').includes(') AS "d"'),
      );
      assert.equal(onPartitions, local, plan);
      if (local) assert.ok(!plan.includes('Sub-plan'), plan);
    });
  }

  it('reads the groups of the transaction’s own writes', async () => {
    await db.query('USE many');
    await db.query('BEGIN');
    try {
      await db.query("INSERT INTO items VALUES (500, 1, 1.00, 'w', 1), (500, 2, 2.00, 'w', 1)");
      await db.query("INSERT INTO items VALUES (501, 1, 1.00, 'w', 1)");
      const [rows] = await db.query({
        sql: 'SELECT n, COUNT(*) FROM (SELECT fact_id, COUNT(*) AS n FROM items WHERE fact_id >= 500 GROUP BY fact_id) AS d GROUP BY n ORDER BY n',
        rowsAsArray: true,
      });
      assert.deepEqual(rows, [
        [1, 1],
        [2, 1],
      ]);
    } finally {
      await db.query('ROLLBACK');
    }
  });
});
