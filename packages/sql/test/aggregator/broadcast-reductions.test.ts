/**
 * Semi-join reductions of broadcast copies (`planner/copy-reduction.ts`) and derived tables
 * merged into their query for broadcast plans (`planner/derived-flatten.ts`). `big` holds more
 * rows than a copy may (`BROADCAST_ROWS_MAX`), so it is copied only when a filtered table that
 * shares its join column restricts it; a reduced copy's name ends with `_semi`, which a spy on
 * the leaves' broadcast requests sees. Each query must give the rows of a 1-partition database
 * and of the gather plan (forced by an explicit transaction, where no copy is made).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'mysql2/promise';
import { BROADCAST_ROWS_MAX } from '../../src/planner/broadcast.js';
import { REDUCED_SUFFIX } from '../../src/aggregator/broadcast-select.js';
import { onBroadcastCopy, startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { byText, runShaped } from '../support/differential.js';

const BIG_ROWS = BROADCAST_ROWS_MAX + 1_000;
/** The anchor must be the largest table, and too big to copy itself. */
const LINES = BIG_ROWS + 4_000;
const PARTS = 25_000;

/** [query, whether a reduced copy is made]. */
// The filters of these queries leave `li` whole: a filter on it would make `big` the largest
// table, which stays sharded (the anchor) and is never reduced.
const QUERIES: readonly (readonly [string, boolean])[] = [
  // The TPC-H Q9 shape: big joins parts through lines, parts is filtered (2,500 keys).
  [
    'SELECT p.kind, COUNT(*), SUM(l.qty), COUNT(b.note) FROM li l, big b, parts p WHERE l.pkey = b.pkey AND p.pkey = l.pkey AND p.kind = 3 GROUP BY p.kind',
    true,
  ],
  // Direct equality, JOIN … ON, NULL keys on both sides, rows merged with ORDER BY and LIMIT.
  [
    'SELECT l.id, b.id, b.note FROM li l JOIN big b ON b.pkey = l.pkey JOIN parts p ON p.pkey = b.pkey WHERE p.kind = 3 AND l.qty + b.id > 3 ORDER BY l.id, b.id LIMIT 60',
    true,
  ],
  // A filter that keeps no part: the copy is empty, the answer too.
  [
    'SELECT COUNT(*), SUM(b.id) FROM li l, big b, parts p WHERE l.pkey = b.pkey AND p.pkey = b.pkey AND p.kind = 99',
    true,
  ],
  // A derived table merged into the query, then reduced (TPC-H Q7/Q8/Q9).
  [
    "SELECT k, SUM(q) AS total, COUNT(*) FROM (SELECT p.kind AS k, l.qty * 2 AS q FROM li l, big b, parts p WHERE l.pkey = b.pkey AND p.pkey = l.pkey AND p.name LIKE '%7') AS x WHERE k > 2 AND q + k > 3 GROUP BY k ORDER BY total DESC, k",
    true,
  ],
  // Non-integer join keys: no reduction.
  [
    'SELECT COUNT(*), SUM(l.qty) FROM li l, big b, parts p WHERE b.dkey = p.dkey AND l.pkey = p.pkey AND p.kind = 3',
    false,
  ],
  // Too many keys (22,500 > 20,000): no reduction.
  [
    'SELECT COUNT(*), SUM(l.qty) FROM li l, big b, parts p WHERE l.pkey = b.pkey AND p.pkey = l.pkey AND p.kind <> 3',
    false,
  ],
  // An outer join in the block: no reduction.
  [
    'SELECT COUNT(*), COUNT(b.id) FROM li l LEFT JOIN big b ON b.pkey = l.pkey JOIN parts p ON p.pkey = l.pkey WHERE p.kind = 3',
    false,
  ],
  // big read twice: no reduction.
  [
    'SELECT COUNT(*) FROM li l, big b, parts p WHERE l.pkey = b.pkey AND p.pkey = l.pkey AND p.kind = 3 AND EXISTS (SELECT 1 FROM big b2 WHERE b2.id = l.id)',
    false,
  ],
];

/** Derived tables merged into small broadcast queries: names, types and rows must not change. */
/** [query, whether it runs with a copy]. */
const MERGED: readonly (readonly [string, boolean])[] = [
  [
    'SELECT k, COUNT(*), SUM(q) FROM (SELECT p.kind AS k, l.qty AS q FROM li l, parts p WHERE p.pkey = l.skey) AS x GROUP BY k ORDER BY k',
    true,
  ],
  [
    'SELECT x.k AS kind_of, MAX(x.q) + 1, MIN(q) FROM (SELECT p.kind AS k, l.qty + p.kind AS q FROM li l JOIN parts p ON p.pkey = l.skey WHERE l.qty > 1) x WHERE x.k < 5 GROUP BY x.k HAVING COUNT(*) > 3 ORDER BY kind_of DESC',
    true,
  ],
  [
    'SELECT DISTINCT n FROM (SELECT p.name AS n FROM li l, parts p WHERE p.pkey = l.skey AND l.qty = 0) AS x ORDER BY n LIMIT 7',
    true,
  ],
  [
    'SELECT a, b FROM (SELECT l.id AS a, p.dkey AS b FROM li l, parts p WHERE p.pkey = l.skey) AS x (a, b) ORDER BY a LIMIT 5',
    true,
  ],
  // A NOT EXISTS in the derived table's WHERE (TPC-H Q22): not merged for table copies; the
  // anti-join's distinct keys run first and are copied to the leaves (`subplan-copies.ts`).
  [
    'SELECT k, COUNT(*), SUM(n) FROM (SELECT p.kind AS k, p.pkey AS n FROM parts p WHERE p.kind < 5 AND NOT EXISTS (SELECT 1 FROM li l WHERE l.skey = p.pkey)) AS x GROUP BY k ORDER BY k',
    true,
  ],
];

async function createTables(db: Connection, database: string, partitions: number): Promise<void> {
  await db.query(`CREATE DATABASE ${database} PARTITIONS ${partitions}`);
  await db.query(`USE ${database}`);
  await db.query('CREATE TABLE li (id INT PRIMARY KEY, pkey INT, skey INT, qty INT)');
  await db.query(
    'CREATE TABLE big (id INT PRIMARY KEY, pkey INT, note VARCHAR(10), dkey DECIMAL(10,0))',
  );
  await db.query(
    'CREATE TABLE parts (pkey INT PRIMARY KEY, name VARCHAR(20), kind INT, dkey DECIMAL(10,0))',
  );
}

async function insertRows(
  db: Connection,
  name: string,
  count: number,
  row: (index: number) => unknown[],
): Promise<void> {
  const chunk = 10_000;
  for (let start = 0; start < count; start += chunk)
    await db.query(`INSERT INTO ${name} VALUES ?`, [
      Array.from({ length: Math.min(chunk, count - start) }, (_, offset) => row(start + offset)),
    ]);
}

/** `many` (8 partitions) filled, then `one` (1 partition) copied from it. */
async function fill(db: Connection): Promise<void> {
  await createTables(db, 'many', 8);
  await insertRows(db, 'li', LINES, (id) => [
    id,
    id % 97 === 0 ? null : (id * 7) % 26_000,
    id % 300,
    id % 5,
  ]);
  await insertRows(db, 'big', BIG_ROWS, (id) => {
    const key = id % 101 === 0 ? null : id % 50_000;
    return [id, key, id % 13 === 0 ? null : `n${id % 17}`, key];
  });
  await insertRows(db, 'parts', PARTS, (key) => [key, `part${key}`, key % 10, key]);
  await createTables(db, 'one', 1);
  for (const name of ['li', 'big', 'parts'])
    await db.query(`INSERT INTO one.${name} SELECT * FROM many.${name}`);
}

describe('broadcast copies reduced by semi-joins', () => {
  let cluster: SqlCluster;
  let db: Connection;
  const copies: string[] = [];

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    onBroadcastCopy(cluster, (request) => copies.push(request.name));
    db = await cluster.connect();
    await fill(db);
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  /** Rows of the 1-partition database, of the broadcast plan and of the gather plan. */
  async function runAll(query: string): Promise<{ reduced: boolean; copied: boolean }> {
    await db.query('USE one');
    const [single, singleShape] = await runShaped(db, query);
    await db.query('USE many');
    const before = copies.length;
    const [spread, spreadShape] = await runShaped(db, query);
    const made = copies.slice(before);
    await db.query('BEGIN');
    const [gathered, gatheredShape] = await runShaped(db, query);
    await db.query('COMMIT');
    assert.equal(copies.length, before + made.length, 'no copy inside a transaction');
    const ordered = /ORDER BY/i.test(query);
    const sorted = (rows: unknown[]): unknown[] => (ordered ? rows : [...rows].sort(byText));
    assert.deepEqual(sorted(spread), sorted(single));
    assert.deepEqual(sorted(gathered), sorted(single));
    assert.deepEqual(spreadShape, singleShape);
    assert.deepEqual(gatheredShape, singleShape);
    return {
      reduced: made.some((name) => name.endsWith(REDUCED_SUFFIX)),
      copied: made.length > 0,
    };
  }

  for (const [query, reduced] of QUERIES) {
    it(query, async () => {
      const seen = await runAll(query);
      assert.equal(seen.reduced, reduced, 'whether a reduced copy was made');
    });
  }

  for (const [query, copied] of MERGED) {
    it(`merged: ${query}`, async () => {
      const seen = await runAll(query);
      assert.equal(seen.copied, copied, 'whether the merged query runs with a copy');
    });
  }
});
