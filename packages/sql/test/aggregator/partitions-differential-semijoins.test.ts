/**
 * Semi- and anti-join narrowing (EXISTS, NOT EXISTS, IN and NOT IN subqueries correlated by
 * equality read distinct keys as a sub-plan) and semi-join key reductions (a decorrelated
 * aggregate or a distinct key set restricted to the keys of the filtered outer table). Each
 * query runs on a database with PARTITIONS 1, on one with PARTITIONS 16, and on the
 * 16-partition database as `WITH g AS (query) SELECT * FROM g` (the plain gather plan: none of
 * these rewrites). Also LEFT JOINs whose block only aggregates the null-extended side, which
 * read it pre-aggregated, and compared scalar sub-plans, which become literals. Rows and column
 * types must match; EXPLAIN shows the rewrites. The data has NULL keys, duplicate keys and an
 * empty table.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'mysql2/promise';
import { assertPlansAgree, assertRewrites, runShaped } from '../support/differential.js';
import { fillFacts, generateFacts } from '../support/facts-fixture.js';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

/**
 * [query, what its 16-partition EXPLAIN must contain (`!text`: must not contain; `undefined`:
 * nothing checked)].
 */
const QUERIES: readonly (readonly [string, string | undefined])[] = [
  // NOT EXISTS / EXISTS off the shard key, NULL keys on both sides, duplicate keys.
  [
    'SELECT e.v FROM events e WHERE NOT EXISTS (SELECT * FROM facts f WHERE f.kind = e.kind) ORDER BY 1',
    'exo_semi_1',
  ],
  [
    'SELECT e.v FROM events e WHERE EXISTS (SELECT * FROM items i WHERE i.kind = e.kind AND i.price > 50) ORDER BY 1',
    'exo_semi_1',
  ],
  [
    'SELECT f.id FROM facts f WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.kind = f.kind AND e.v = f.qty + 1) ORDER BY 1',
    'exo_semi_1',
  ],
  // Against an empty table: every NOT EXISTS holds, no EXISTS does.
  [
    'SELECT f.id FROM facts f WHERE NOT EXISTS (SELECT * FROM nothing n WHERE n.kind = f.kind) ORDER BY 1',
    'exo_semi_1',
  ],
  [
    'SELECT COUNT(*) FROM facts f WHERE EXISTS (SELECT * FROM nothing n WHERE n.kind = f.kind)',
    undefined,
  ],
  // IN and NOT IN correlated by equality: NOT IN keeps its NULL semantics (a NULL in the set).
  [
    'SELECT f.id FROM facts f WHERE f.qty IN (SELECT i.line FROM items i WHERE i.kind = f.kind) ORDER BY 1',
    'exo_semi_1',
  ],
  [
    'SELECT f.id FROM facts f WHERE f.qty NOT IN (SELECT i.kind FROM items i WHERE i.line = f.qty) ORDER BY 1',
    'exo_semi_1',
  ],
  [
    'SELECT f.id FROM facts f WHERE f.kind NOT IN (SELECT e.kind FROM events e WHERE e.v = f.id) ORDER BY 1',
    'exo_semi_1',
  ],
  [
    'SELECT f.id, f.qty IN (SELECT i.line FROM items i WHERE i.kind = f.kind) AS hit FROM facts f ORDER BY 1',
    undefined,
  ],
  // Uncorrelated IN and NOT IN with duplicates and NULLs read distinct values.
  [
    'SELECT f.id FROM facts f WHERE f.kind NOT IN (SELECT kind FROM items) ORDER BY 1',
    'SELECT DISTINCT',
  ],
  [
    'SELECT f.id FROM facts f WHERE f.kind IN (SELECT kind FROM events WHERE v > 10) ORDER BY 1',
    'SELECT DISTINCT',
  ],
  // Key reductions: the outer table is filtered (none, some, or all of its keys remain).
  [
    'SELECT e.v FROM events e WHERE e.v < 60 AND NOT EXISTS (SELECT * FROM facts f WHERE f.kind = e.kind) ORDER BY 1',
    'Semi-join keys',
  ],
  [
    'SELECT e.v FROM events e WHERE e.v > 1000 AND NOT EXISTS (SELECT * FROM facts f WHERE f.kind = e.kind) ORDER BY 1',
    'Semi-join keys',
  ],
  [
    "SELECT f.id, i.line FROM facts f, items i WHERE i.fact_id = f.id AND f.region = 'x' AND i.price < (SELECT 0.9 * AVG(i2.price) FROM items i2 WHERE i2.line = i.line) ORDER BY 1, 2",
    undefined,
  ],
  [
    "SELECT f.id, f.amount FROM facts f WHERE f.region = 'y' AND f.amount > (SELECT AVG(i.price) FROM items i WHERE i.kind = f.kind) ORDER BY 1",
    'Semi-join keys',
  ],
  [
    "SELECT f.id FROM facts f WHERE f.region = 'nowhere' AND f.amount > (SELECT AVG(i.price) FROM items i WHERE i.kind = f.kind) ORDER BY 1",
    'Semi-join keys',
  ],
  // TPC-H Q22 shape: NOT EXISTS inside a derived table, with an uncorrelated AVG.
  [
    'SELECT region, COUNT(*), SUM(amount) FROM (SELECT region, amount FROM facts WHERE qty IN (1, 2, 3) AND amount > (SELECT AVG(amount) FROM facts WHERE qty > 2) AND NOT EXISTS (SELECT * FROM events WHERE events.kind = facts.kind)) AS x GROUP BY region ORDER BY region',
    'exo_semi_1',
  ],
  // LEFT JOINs whose block only aggregates the null-extended side read it pre-aggregated per
  // join key (TPC-H Q13 shape): NULL keys on both sides, filters in ON, the preserved side's
  // filters in WHERE, an empty side, no GROUP BY.
  [
    'SELECT f.id, COUNT(i.line) AS n FROM facts f LEFT JOIN items i ON f.kind = i.kind AND i.price > 20 GROUP BY f.id ORDER BY 1',
    'exo_pre_1',
  ],
  [
    "SELECT f.id, COUNT(i.line) AS n FROM facts f LEFT JOIN items i ON f.kind = i.kind WHERE f.region = 'x' GROUP BY f.id ORDER BY 1",
    'exo_pre_1',
  ],
  [
    'SELECT f.region, COUNT(*) AS c, MIN(i.price) AS lo, MAX(i.note) AS hi, COUNT(i.price) + 1 AS np FROM facts f LEFT JOIN items i ON i.kind = f.kind GROUP BY f.region ORDER BY 1',
    'exo_pre_1',
  ],
  [
    'SELECT f.id, COUNT(n.fact_id) AS c, COUNT(*) AS d FROM facts f LEFT JOIN nothing n ON n.kind = f.kind GROUP BY f.id ORDER BY 1',
    'exo_pre_1',
  ],
  [
    'SELECT c, COUNT(*) AS d FROM (SELECT f.id, COUNT(e.v) AS c FROM facts f LEFT JOIN events e ON e.kind = f.kind AND e.v > 10 GROUP BY f.id) AS x GROUP BY c ORDER BY d DESC, c DESC',
    'exo_pre_1',
  ],
  [
    'SELECT COUNT(*) AS c, COUNT(i.line) AS n FROM facts f LEFT JOIN items i ON i.kind = f.kind AND i.line = 1',
    'exo_pre_1',
  ],
  // Left alone: a filter on the null-extended side in WHERE, SUM, an aggregate over both sides.
  [
    'SELECT f.id, COUNT(i.line) AS n FROM facts f LEFT JOIN items i ON f.kind = i.kind WHERE i.price > 20 GROUP BY f.id ORDER BY 1',
    '!exo_pre_',
  ],
  [
    'SELECT f.id, SUM(i.price) AS s FROM facts f LEFT JOIN items i ON i.kind = f.kind GROUP BY f.id ORDER BY 1',
    '!exo_pre_',
  ],
  [
    'SELECT f.id, MAX(i.line + f.qty) AS m FROM facts f LEFT JOIN items i ON i.kind = f.kind GROUP BY f.id ORDER BY 1',
    '!exo_pre_',
  ],
  // Scalar sub-plans compared with a value run first and become literals (DECIMAL, integer,
  // NULL; a DOUBLE stays a sub-plan), and the query is planned again.
  [
    'SELECT kind, SUM(price) AS s FROM items GROUP BY kind HAVING SUM(price) > (SELECT SUM(price) * 0.1 FROM items) ORDER BY 1',
    undefined,
  ],
  [
    'SELECT f.id FROM facts f WHERE f.amount > (SELECT AVG(amount) FROM facts) ORDER BY 1',
    undefined,
  ],
  ['SELECT f.id FROM facts f WHERE f.qty = (SELECT MAX(line) FROM items) ORDER BY 1', undefined],
  ['SELECT f.id FROM facts f WHERE f.id * 3 < (SELECT SUM(qty) FROM facts) ORDER BY 1', undefined],
  [
    'SELECT COUNT(*) FROM facts f WHERE f.amount > (SELECT MAX(price) FROM items WHERE price > 100000)',
    undefined,
  ],
  [
    'SELECT f.id FROM facts f WHERE f.amount > (SELECT AVG(v) * 1.5e0 FROM events) ORDER BY 1',
    undefined,
  ],
  [
    "SELECT f.region, COUNT(*) AS n FROM facts f, items i WHERE i.fact_id = f.id AND i.price < (SELECT AVG(price) FROM items WHERE note = 'x') GROUP BY f.region ORDER BY 1",
    undefined,
  ],
];

describe('semi-join narrowing and outer-join pre-aggregation: 1 partition, 16 partitions and the plain gather agree', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    const data = generateFacts();
    await fillFacts(db, 'one', 1, data);
    await fillFacts(db, 'many', 16, data);
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const [sql, marker] of QUERIES) {
    it(sql, async () => {
      await assertPlansAgree(db, sql);
      await assertRewrites(db, sql, marker, ['exo_semi_', 'Semi-join', 'exo_pre_']);
    });
  }

  it('runs the rewrites inside an explicit transaction and sees its writes', async () => {
    await db.query('USE many');
    await db.query('BEGIN');
    try {
      await db.query('INSERT INTO nothing VALUES (1, 3)');
      const [rows] = await runShaped(
        db,
        'SELECT COUNT(*) FROM facts f WHERE EXISTS (SELECT * FROM nothing n WHERE n.kind = f.kind)',
      );
      const [expected] = await runShaped(db, 'SELECT COUNT(*) FROM facts WHERE kind = 3');
      assert.deepEqual(rows, expected);
    } finally {
      await db.query('ROLLBACK');
    }
  });
});
