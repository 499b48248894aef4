/**
 * Sub-plan results as Parquet (`aggregator/subplan-select.ts`): a sub-plan that ends on the
 * merge engine (two-phase aggregate, DISTINCT of the partitions' rows) writes its result there
 * as a Parquet file that the outer query's merge engine reads, instead of values. Each query
 * runs on 1 partition, on 8, and in a transaction (values); rows and column shapes must be
 * equal. A spy on the merge engine counts the results written as Parquet.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'mysql2/promise';
import { MergeEngine } from '../../src/aggregator/merge-engine.js';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { explainText, runShaped } from '../support/differential.js';

async function fill(db: Connection, database: string, partitions: number): Promise<void> {
  await db.query(`CREATE DATABASE ${database} PARTITIONS ${partitions}`);
  await db.query(`USE ${database}`);
  await db.query(
    'CREATE TABLE buyers (id INT PRIMARY KEY, name VARCHAR(20), region CHAR(2), joined DATE)',
  );
  await db.query(
    'CREATE TABLE orders (id INT PRIMARY KEY, buyer INT, total DECIMAL(20,4), note VARCHAR(30), span TIME)',
  );
  await db.query('INSERT INTO buyers VALUES ?', [
    Array.from({ length: 60 }, (_, id) => [
      id,
      id % 9 === 4 ? null : `buyer ${id % 17}`,
      ['NA', 'EU', 'AS'][id % 3] ?? 'NA',
      id % 7 === 0 ? null : `2020-0${(id % 9) + 1}-1${id % 10}`,
    ]),
  ]);
  await db.query('INSERT INTO orders VALUES ?', [
    Array.from({ length: 400 }, (_, id) => [
      id,
      id % 13 === 0 ? null : (id * 7) % 50,
      id % 11 === 0 ? null : `${id % 2 === 0 ? '-' : ''}${id * 1234567}.${id % 10000}`,
      id % 5 === 0 ? 'Special requests' : `plain ${id % 4}`,
      `${id % 24}:00:00`,
    ]),
  ]);
}

const NARROWED =
  "SELECT u.id, u.name FROM buyers u WHERE u.id > (SELECT AVG(buyer) FROM orders WHERE total > 0) AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.buyer = u.id AND o.note LIKE 'plain 1') ORDER BY u.id";

/** [query, whether the 8-partition run writes a sub-plan result as Parquet]. */
const QUERIES: readonly (readonly [string, boolean])[] = [
  // A grouped CTE read twice (the Q15 shape): its sums travel as Parquet.
  [
    'WITH rev AS (SELECT buyer AS b, SUM(total) AS t FROM orders GROUP BY buyer) SELECT u.id, u.name, rev.t FROM buyers u, rev WHERE u.id = rev.b AND rev.t = (SELECT MAX(t) FROM rev) ORDER BY u.id',
    true,
  ],
  // A counted outer join, pre-aggregated per key (the Q13 shape).
  [
    "SELECT c, COUNT(*) FROM (SELECT u.id, COUNT(o.id) AS c FROM buyers u LEFT JOIN orders o ON o.buyer = u.id AND o.note NOT LIKE '%special%' GROUP BY u.id) AS x GROUP BY c ORDER BY 2 DESC, 1 DESC",
    true,
  ],
  // A derived table of distinct strings and dates joined on the merge engine.
  [
    'SELECT d.region, d.joined, COUNT(*) FROM (SELECT DISTINCT region, joined FROM buyers) AS d JOIN buyers b ON b.region = d.region GROUP BY d.region, d.joined ORDER BY 1, 2',
    true,
  ],
  // An uncorrelated scalar computed first and inlined as a literal reads its value (the
  // narrowed NOT EXISTS beside it travels as Parquet: on 8 partitions its keys are merged).
  [NARROWED, true],
  // A TIME column keeps the values path.
  [
    'SELECT x.s, COUNT(*) FROM (SELECT buyer, MAX(span) AS s FROM orders GROUP BY buyer) AS x JOIN buyers u ON u.id = x.buyer GROUP BY x.s ORDER BY 1',
    false,
  ],
];

describe('sub-plan results as Parquet files', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let written = 0;
  const original = Object.getOwnPropertyDescriptor(MergeEngine.prototype, 'runToParquet');

  before(async () => {
    // A spy that counts and then runs the real method.
    type Run = (
      this: MergeEngine,
      ...args: Parameters<MergeEngine['runToParquet']>
    ) => Promise<Uint8Array>;
    const run = original?.value as Run;
    MergeEngine.prototype.runToParquet = function (this: MergeEngine, ...args) {
      written += 1;
      return run.apply(this, args);
    };
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await fill(db, 'one', 1);
    await fill(db, 'many', 8);
    await fill(db, 'two', 2);
  });

  after(async () => {
    if (original !== undefined)
      Object.defineProperty(MergeEngine.prototype, 'runToParquet', original);
    await db.end();
    await cluster.close();
  });

  for (const [query, parquet] of QUERIES) {
    it(query, async () => {
      await db.query('USE one');
      const [single, singleShape] = await runShaped(db, query);
      await db.query('USE many');
      const before = written;
      const [spread, spreadShape] = await runShaped(db, query);
      const made = written - before;
      await db.query('BEGIN');
      const [inTransaction, transactionShape] = await runShaped(db, query);
      const madeInTransaction = written - before - made;
      await db.query('COMMIT');
      assert.ok(single.length > 0, 'the query has rows');
      assert.deepEqual(spread, single);
      assert.deepEqual(spreadShape, singleShape);
      assert.deepEqual(inTransaction, single);
      assert.deepEqual(transactionShape, singleShape);
      assert.equal(madeInTransaction, 0, 'a transaction reads values');
      if (parquet) assert.ok(made > 0, 'the sub-plan result travelled as Parquet');
      else assert.equal(made, 0, 'the sub-plan result travelled as values');
    });
  }

  it('plans the sub-plans it writes as Parquet', async () => {
    await db.query('USE many');
    const text = await explainText(db, QUERIES[0]?.[0] ?? '');
    assert.match(text, /Sub-plan exo_subplan_1/);
  });

  it("reads a narrowed NOT EXISTS's keys as two partitions give them, merged from more", async () => {
    const keysStep = async (database: string): Promise<string> => {
      await db.query(`USE ${database}`);
      const text = await explainText(db, NARROWED);
      const step = /Sub-plan exo_subplan_\d+ \(exo_semi_1\)[^]*?Partitions:/.exec(text)?.[0];
      assert.ok(step !== undefined, text);
      return step;
    };
    assert.match(await keysStep('two'), /Gather: concatenate the partitions' rows/);
    assert.match(await keysStep('many'), /merge the partitions' rows/);
    await db.query('USE two');
    const [two] = await runShaped(db, NARROWED);
    await db.query('USE one');
    const [one] = await runShaped(db, NARROWED);
    assert.ok(one.length > 0);
    assert.deepEqual(two, one);
  });
});
