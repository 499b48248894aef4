/**
 * Queries whose CTEs, derived tables and subqueries run first as sub-plans, and correlated
 * scalar aggregates that become grouped derived tables. Each query runs on a database with
 * PARTITIONS 1, on one with PARTITIONS 16, and on the 16-partition database as `WITH g AS
 * (query) SELECT * FROM g` (the plain gather plan: no sub-plans, no decorrelation). Rows and
 * column types must match; EXPLAIN says which queries run sub-plans.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'mysql2/promise';
import { assertPlansAgree, explainText, runShaped } from '../support/differential.js';
import { fillFacts, generateFacts } from '../support/facts-fixture.js';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

/** [query, whether its 16-partition plan runs a sub-plan first]. */
const QUERIES: readonly (readonly [string, boolean])[] = [
  // A CTE aggregated in two phases, referenced twice (TPC-H Q15).
  [
    'WITH r AS (SELECT kind AS k, SUM(price) AS total FROM items GROUP BY kind) SELECT a.name, r.k, r.total FROM accounts a, r WHERE a.acct_id = r.k AND r.total = (SELECT MAX(total) FROM r) ORDER BY 1, 2',
    true,
  ],
  [
    'WITH r (k, n) AS (SELECT kind, COUNT(*) FROM items GROUP BY kind) SELECT x.k, x.n, y.n AS m FROM r x LEFT JOIN r y ON y.k = x.k + 1 ORDER BY 1',
    true,
  ],
  // A derived table aggregated in two phases joined to a table sharded on another key.
  [
    'SELECT a.name, d.n, d.s FROM accounts a JOIN (SELECT kind, COUNT(*) AS n, SUM(price) AS s, AVG(price) AS av FROM items WHERE price IS NOT NULL GROUP BY kind) AS d ON d.kind = a.acct_id ORDER BY 1, 2',
    true,
  ],
  // Scalar subqueries in WHERE and in the select list, an IN list, NOT IN with NULLs.
  [
    'SELECT f.id, (SELECT MAX(price) FROM items) AS top, (SELECT COUNT(*) FROM events) AS n FROM facts f WHERE f.amount > (SELECT AVG(amount) FROM facts) AND f.kind IN (SELECT kind FROM events WHERE v > 40) ORDER BY 1',
    true,
  ],
  ['SELECT f.id FROM facts f WHERE f.qty NOT IN (SELECT kind FROM events) ORDER BY 1', true],
  [
    'SELECT f.id FROM facts f WHERE f.qty NOT IN (SELECT kind FROM events WHERE kind IS NOT NULL) AND f.id < 40 ORDER BY 1',
    true,
  ],
  // An empty scalar subquery is NULL.
  ['SELECT COUNT(*), (SELECT MIN(price) FROM items WHERE price > 1000) AS none FROM facts', true],
  // Correlated AVG, SUM, MIN and MAX with one and two correlation columns (TPC-H Q17, Q20, Q2).
  [
    'SELECT f.id, i.line, i.price FROM facts f, items i WHERE i.fact_id = f.id AND i.price < (SELECT 0.8 * AVG(i2.price) FROM items i2 WHERE i2.line = i.line) ORDER BY 1, 2',
    true,
  ],
  [
    'SELECT e.v FROM events e WHERE e.fact_id > (SELECT SUM(i.line) FROM items i WHERE i.fact_id = e.v AND i.kind = e.kind) ORDER BY 1',
    true,
  ],
  [
    'SELECT f.id, f.amount FROM facts f WHERE f.amount = (SELECT MIN(f2.amount) FROM facts f2 WHERE f2.kind = f.kind) ORDER BY 1',
    true,
  ],
  [
    'SELECT f.id FROM facts f WHERE (SELECT MAX(price) - MIN(price) FROM items i WHERE i.line = f.qty AND i.note = f.region) > 10 ORDER BY 1',
    true,
  ],
  // NULL correlation keys (events.kind, items.note) and outer rows with no group.
  [
    'SELECT e.v, e.kind FROM events e WHERE e.v >= (SELECT AVG(i.line) * 10 FROM items i WHERE i.line = e.kind) ORDER BY 1',
    true,
  ],
  // COUNT stays correlated (0, not NULL, on an empty group).
  [
    'SELECT f.id FROM facts f WHERE f.qty > (SELECT COUNT(*) FROM items i WHERE i.line = f.kind) ORDER BY 1',
    false,
  ],
  // NOT EXISTS with NULLs, correlated off the shard key: its distinct keys run first.
  [
    'SELECT e.v FROM events e WHERE NOT EXISTS (SELECT * FROM facts f WHERE f.kind = e.kind) ORDER BY 1',
    true,
  ],
  // Inside a transaction-free UNION and a derived table (TPC-H Q22 shape).
  [
    'SELECT region, COUNT(*), SUM(amount) FROM (SELECT region, amount FROM facts WHERE amount > (SELECT AVG(amount) FROM facts WHERE qty > 2) AND NOT EXISTS (SELECT * FROM events WHERE events.kind = facts.kind)) AS x GROUP BY region ORDER BY region',
    true,
  ],
];

describe('sub-plans and decorrelation: 1 partition, 16 partitions and the plain gather agree', () => {
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

  for (const [sql, subplanned] of QUERIES) {
    it(sql, async () => {
      await assertPlansAgree(db, sql);
      const plan = await explainText(db, sql);
      assert.equal(plan.includes('Sub-plan exo_subplan_'), subplanned, plan);
      assert.equal(
        (await explainText(db, `WITH g AS (${sql}) SELECT * FROM g`)).includes('Sub-plan'),
        false,
      );
    });
  }

  it('runs sub-plans inside an explicit transaction and sees its writes', async () => {
    await db.query('USE many');
    await db.query('BEGIN');
    try {
      await db.query("INSERT INTO items VALUES (500, 1, 9999.00, 'x', 77)");
      const sql =
        'SELECT a.name, r.total FROM accounts a RIGHT JOIN (SELECT kind, SUM(price) AS total FROM items GROUP BY kind) AS r ON r.kind = a.acct_id WHERE r.kind = 77';
      const [rows] = await runShaped(db, sql);
      assert.deepEqual(rows, [[null, '9999.00']]);
      const [scalar] = await runShaped(
        db,
        'SELECT COUNT(*) FROM facts WHERE id < (SELECT MAX(fact_id) FROM items)',
      );
      assert.deepEqual(scalar, [[100]]);
    } finally {
      await db.query('ROLLBACK');
    }
  });
});
