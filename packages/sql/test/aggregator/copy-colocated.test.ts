/**
 * Semi-join reductions made on the partitions (`aggregator/copy-colocated.ts`): `big` holds
 * more rows than a copy may (`BROADCAST_ROWS_MAX`) and is sharded on the column it joins the
 * filtered `parts` on, so each partition restricts its own rows with an EXISTS over its `parts`
 * instead of a key list. The counter of such reductions and the reduced copy's name (`_semi`,
 * seen by a spy on the leaves' broadcast requests) show the mechanism is taken; each answer must
 * equal the 1-partition database's and the gather plan's (an explicit transaction, no copy).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'mysql2/promise';
import { BROADCAST_ROWS_MAX } from '../../src/planner/broadcast.js';
import { REDUCED_SUFFIX } from '../../src/aggregator/broadcast-select.js';
import { colocatedReductions } from '../../src/aggregator/copy-colocated.js';
import { onBroadcastCopy, startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { byText, runShaped } from '../support/differential.js';

const BIG_ROWS = BROADCAST_ROWS_MAX + 1_000;
/** The anchor must be the largest table, and too big to copy itself. */
const LINES = BIG_ROWS + 4_000;
const PARTS = 25_000;

/** [query, whether a reduction on the partitions is made]. */
const QUERIES: readonly (readonly [string, boolean])[] = [
  // The TPC-H Q9 shape: big (sharded on pkey) joins parts through lines; parts is filtered.
  [
    'SELECT p.kind, COUNT(*), SUM(l.qty), COUNT(b.note) FROM li l, big b, parts p WHERE l.pkey = b.pkey AND p.pkey = l.pkey AND p.kind = 3 GROUP BY p.kind',
    true,
  ],
  // More keys than a key list may hold (22,500): the partitions still restrict big.
  [
    'SELECT COUNT(*), SUM(l.qty), SUM(b.id) FROM li l, big b, parts p WHERE l.pkey = b.pkey AND p.pkey = l.pkey AND p.kind <> 3',
    true,
  ],
  // A LIKE filter, rows merged with ORDER BY and LIMIT, a filter of big's own.
  [
    "SELECT l.id, b.id, b.note FROM li l JOIN big b ON b.pkey = l.pkey JOIN parts p ON p.pkey = b.pkey WHERE p.name LIKE '%77%' AND b.id >= 0 ORDER BY l.id, b.id LIMIT 40",
    true,
  ],
  // A filter that keeps no part: the copy is empty, the answer too.
  [
    'SELECT COUNT(*), SUM(b.id) FROM li l, big b, parts p WHERE l.pkey = b.pkey AND p.pkey = b.pkey AND p.kind = 99',
    true,
  ],
  // Joined off big's shard key: not co-located, no reduction on the partitions.
  [
    'SELECT COUNT(*), SUM(l.qty) FROM li l, big b, parts p WHERE l.pkey = b.id AND p.pkey = b.id AND p.kind = 3',
    false,
  ],
];

async function createTables(db: Connection, database: string, partitions: number): Promise<void> {
  await db.query(`CREATE DATABASE ${database} PARTITIONS ${partitions}`);
  await db.query(`USE ${database}`);
  await db.query('CREATE TABLE li (id INT PRIMARY KEY, pkey INT, qty INT)');
  await db.query(
    'CREATE TABLE big (id INT, pkey INT, note VARCHAR(10), PRIMARY KEY (id, pkey), SHARD KEY (pkey))',
  );
  await db.query('CREATE TABLE parts (pkey INT PRIMARY KEY, name VARCHAR(20), kind INT)');
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
  await insertRows(db, 'li', LINES, (id) => [id, id % 97 === 0 ? null : (id * 7) % 26_000, id % 5]);
  await insertRows(db, 'big', BIG_ROWS, (id) => [
    id,
    id % 50_000,
    id % 13 === 0 ? null : `n${id % 17}`,
  ]);
  await insertRows(db, 'parts', PARTS, (key) => [key, `part${key}`, key % 10]);
  await createTables(db, 'one', 1);
  for (const name of ['li', 'big', 'parts'])
    await db.query(`INSERT INTO one.${name} SELECT * FROM many.${name}`);
}

describe('broadcast copies reduced on the partitions', () => {
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

  for (const [query, colocated] of QUERIES) {
    it(query, async () => {
      await db.query('USE one');
      const [single, singleShape] = await runShaped(db, query);
      await db.query('USE many');
      const before = copies.length;
      const made = colocatedReductions.made;
      const [spread, spreadShape] = await runShaped(db, query);
      const reduced = copies.slice(before).some((name) => name.endsWith(REDUCED_SUFFIX));
      await db.query('BEGIN');
      const [gathered] = await runShaped(db, query);
      await db.query('COMMIT');
      const sorted = (rows: unknown[]): unknown[] =>
        /ORDER BY/i.test(query) ? rows : [...rows].sort(byText);
      assert.ok(single.length > 0);
      assert.deepEqual(sorted(spread), sorted(single));
      assert.deepEqual(sorted(gathered), sorted(single));
      assert.deepEqual(spreadShape, singleShape);
      assert.equal(
        colocatedReductions.made > made,
        colocated,
        'whether the partitions reduced big',
      );
      if (colocated) assert.ok(reduced, 'a reduced copy was made');
    });
  }
});
