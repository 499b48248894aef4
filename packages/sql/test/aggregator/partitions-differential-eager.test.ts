/**
 * Eager aggregation of inner joins (a block that aggregates one side of an inner join reads it
 * pre-aggregated per join key: TPC-H Q10's shape) and sub-plan copies (the sub-plans' results
 * copied to the leaves, where the merge query then runs). The data is small, so a query that
 * can run whole with broadcast copies of its small tables does so; queries over `raccounts`
 * (a rowstore copy of `accounts`, which is never copied) run the eager plan itself, and an
 * aggregated derived table joined to a sharded table runs with sub-plan copies (a spy on the
 * leaves sees them). Each query runs on a database with
 * PARTITIONS 1, on one with PARTITIONS 16, and on the 16-partition database as
 * `WITH g AS (query) SELECT * FROM g` (the plain gather plan: none of these rewrites). Rows and
 * column types must match; EXPLAIN shows the rewrites. The data has NULL keys, duplicate keys,
 * NULL values and an empty table.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'mysql2/promise';
import { assertPlansAgree, assertRewrites, runShaped } from '../support/differential.js';
import { fillFacts, generateFacts } from '../support/facts-fixture.js';
import { onBroadcastCopy, startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

/**
 * [query, what its 16-partition EXPLAIN must contain (`!text`: must not contain; `undefined`:
 * nothing checked)].
 */
const QUERIES: readonly (readonly [string, string | undefined])[] = [
  // Q10's shape: the grouping side (accounts) joins the aggregated side (facts and items,
  // co-located) on a column that is not its shard key; items are summed, counted and ranged.
  [
    'SELECT a.acct_id, a.name, SUM(i.price) AS s, COUNT(*) AS c FROM accounts a, facts f, items i WHERE a.acct_id = f.kind AND i.fact_id = f.id AND i.price > 10 GROUP BY a.acct_id, a.name ORDER BY s DESC, a.acct_id LIMIT 3',
    'exo_eager_1',
  ],
  [
    'SELECT a.name, COUNT(i.note) AS n, MIN(i.price) AS lo, MAX(i.note) AS hi, SUM(i.line) AS l FROM accounts a JOIN facts f ON f.kind = a.acct_id JOIN items i ON i.fact_id = f.id GROUP BY a.name ORDER BY 1',
    'exo_eager_1',
  ],
  [
    "SELECT a.acct_id, SUM(i.price) + 1 AS s FROM raccounts a, items i WHERE i.kind = a.acct_id AND a.name <> 'a4' GROUP BY a.acct_id ORDER BY SUM(i.price) DESC, 1",
    'exo_eager_1',
  ],
  [
    'SELECT a.acct_id, a.name, SUM(i.price) AS s, COUNT(*) AS c, MAX(i.note) AS m FROM raccounts a, facts f, items i WHERE a.acct_id = f.kind AND i.fact_id = f.id AND i.price > 10 GROUP BY a.acct_id, a.name ORDER BY s DESC, a.acct_id LIMIT 3',
    'exo_eager_1',
  ],
  // Two join keys, and a key that is NULL on many rows of the aggregated side.
  [
    'SELECT a.acct_id, COUNT(*) AS c, SUM(f.amount) AS s FROM raccounts a, facts f WHERE f.kind = a.acct_id AND f.qty = a.acct_id GROUP BY a.acct_id ORDER BY 1',
    'exo_eager_1',
  ],
  // A string key: 'x' matches 'X' on every plan.
  [
    'SELECT a.name, COUNT(*) AS c, SUM(i.line) AS s FROM raccounts a, items i WHERE a.tag = i.note GROUP BY a.name ORDER BY 1',
    'exo_eager_1',
  ],
  // The aggregated side empty: no group at all.
  [
    'SELECT a.acct_id, COUNT(n.kind) AS c FROM raccounts a, nothing n WHERE n.kind = a.acct_id GROUP BY a.acct_id ORDER BY 1',
    'exo_eager_1',
  ],
  // Left alone: a DOUBLE sum, an aggregate over both sides, grouping by the aggregated side,
  // HAVING, DISTINCT aggregates.
  [
    'SELECT a.acct_id, ROUND(SUM(i.price * 1e0), 6) AS s FROM raccounts a, items i WHERE i.kind = a.acct_id GROUP BY a.acct_id ORDER BY 1',
    '!exo_eager_',
  ],
  [
    'SELECT a.acct_id, SUM(i.price + a.acct_id) AS s FROM accounts a, items i WHERE i.kind = a.acct_id GROUP BY a.acct_id ORDER BY 1',
    '!exo_eager_',
  ],
  [
    'SELECT a.acct_id, i.note, COUNT(*) AS c FROM accounts a, items i WHERE i.kind = a.acct_id GROUP BY a.acct_id, i.note ORDER BY 1, 2',
    '!exo_eager_',
  ],
  [
    'SELECT a.acct_id, COUNT(*) AS c FROM accounts a, items i WHERE i.kind = a.acct_id GROUP BY a.acct_id HAVING COUNT(*) > 3 ORDER BY 1',
    '!exo_eager_',
  ],
  [
    'SELECT a.acct_id, COUNT(DISTINCT i.note) AS c FROM accounts a, items i WHERE i.kind = a.acct_id GROUP BY a.acct_id ORDER BY 1',
    '!exo_eager_',
  ],
  // Sub-plan copies without eager aggregation: an aggregated derived table joined to a sharded
  // table, and an IN list of an aggregate's keys.
  [
    'SELECT f.id, x.n FROM facts f, (SELECT kind, COUNT(*) AS n FROM events GROUP BY kind) AS x WHERE x.kind = f.kind ORDER BY 1',
    'Sub-plan copies',
  ],
  [
    'SELECT f.region, COUNT(*) AS c FROM facts f WHERE f.kind IN (SELECT kind FROM events GROUP BY kind HAVING COUNT(*) > 8) GROUP BY f.region ORDER BY 1',
    undefined,
  ],
  // TPC-H Q22's shape: NOT EXISTS inside a derived table, with an uncorrelated AVG.
  [
    'SELECT region, COUNT(*), SUM(amount) FROM (SELECT region, amount FROM facts WHERE qty IN (1, 2, 3) AND amount > (SELECT AVG(amount) FROM facts WHERE qty > 2) AND NOT EXISTS (SELECT * FROM events WHERE events.kind = facts.kind)) AS x GROUP BY region ORDER BY region',
    'Sub-plan copies',
  ],
];

describe('eager aggregation and sub-plan copies: 1 partition, 16 partitions and the plain gather agree', () => {
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
      await db.query(
        'CREATE ROWSTORE TABLE raccounts (acct_id INT PRIMARY KEY, name VARCHAR(10), tag VARCHAR(10))',
      );
      await db.query(
        "INSERT INTO raccounts SELECT acct_id, name, ELT(acct_id % 4 + 1, 'x', 'Y', NULL, 'z ') FROM accounts",
      );
    }
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const [sql, marker] of QUERIES) {
    it(sql, async () => {
      await assertPlansAgree(db, sql);
      await assertRewrites(db, sql, marker, ['exo_eager_', 'Sub-plan copies']);
    });
  }

  it('copies the sub-plan results to the leaves and drops them when the statement ends', async () => {
    await db.query('USE many');
    const made: string[] = [];
    const dropped = new Set<string>();
    let watching = true;
    onBroadcastCopy(cluster, (request) => {
      if (watching) made.push(request.name);
    });
    for (const server of cluster.leaves) {
      const drop = server.leaf.dropBroadcast.bind(server.leaf);
      server.leaf.dropBroadcast = (name) => {
        dropped.add(name);
        return drop(name);
      };
    }
    await runShaped(
      db,
      'SELECT f.id, x.n FROM facts f, (SELECT kind, COUNT(*) AS n FROM events GROUP BY kind) AS x WHERE x.kind = f.kind ORDER BY 1',
    );
    watching = false;
    const copies = made.filter((name) => /^exo_bc_[0-9a-f]+_sp1$/.test(name));
    assert.ok(copies.length > 0, made.join(', '));
    // Dropped without the statement waiting for it.
    for (let tries = 0; tries < 100 && !copies.every((name) => dropped.has(name)); tries += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(
      copies.filter((name) => !dropped.has(name)),
      [],
    );
  });

  it('runs eager aggregation inside an explicit transaction, without copies, and sees its writes', async () => {
    await db.query('USE many');
    const sql =
      'SELECT a.acct_id, COUNT(n.kind) AS c FROM raccounts a, nothing n WHERE n.kind = a.acct_id GROUP BY a.acct_id ORDER BY 1';
    await db.query('BEGIN');
    try {
      await db.query('INSERT INTO nothing VALUES (1, 2), (2, 2), (3, 4)');
      const [rows] = await runShaped(db, sql);
      assert.deepEqual(rows, [
        [2, 2],
        [4, 1],
      ]);
    } finally {
      await db.query('ROLLBACK');
    }
    const [after] = await runShaped(db, sql);
    assert.deepEqual(after, []);
  });
});
