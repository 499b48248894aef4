/**
 * Broadcast copies as Parquet files (`aggregator/copy-fetch.ts`): values of every kind must
 * arrive on the leaves as they are stored — DECIMAL, DATE, DATETIME, DOUBLE, unsigned and
 * extreme integers, strings with quotes, backslashes, NUL and 4-byte characters, trailing
 * spaces, arbitrary BLOB bytes, and NULL in every column. Each query runs on 1 partition, on 8
 * (the small table copied), and in a transaction (gathered, no copy); the rows must be equal.
 * A spy on the leaves' broadcast requests checks which copies travelled as Parquet: a copy with
 * a TIME column (a DuckDB INTERVAL, which Parquet keeps to the millisecond) takes the rows path.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'mysql2/promise';
import { onBroadcastCopy, startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { runShaped } from '../support/differential.js';

const STRINGS = [
  "it's",
  'back\\slash',
  'tab\tnew\nline',
  'emoji 😀 ü',
  'trailing  ',
  '',
  '%_like',
  'x'.repeat(200),
];

/** [query, whether its copy travels as Parquet]. */
const QUERIES: readonly (readonly [string, boolean])[] = [
  [
    'SELECT f.id, o.amount, o.day, o.stamp, o.ratio, o.big, o.ubig, o.label, HEX(o.raw) FROM facts f JOIN odd o ON o.okey = f.okey ORDER BY f.id',
    true,
  ],
  [
    "SELECT o.label, COUNT(*), SUM(o.amount), MIN(o.day), MAX(o.stamp) FROM facts f JOIN odd o ON o.okey = f.okey WHERE o.label <> 'zzz' OR o.label IS NULL GROUP BY o.label ORDER BY o.label",
    true,
  ],
  // Filters on the copy's odd values are applied by the source partitions.
  [
    "SELECT f.id, o.label FROM facts f JOIN odd o ON o.okey = f.okey WHERE o.label LIKE '%\\\\_like' OR o.amount < 0 OR o.day = '1000-01-01' ORDER BY f.id",
    true,
  ],
  ['SELECT f.id, t.span FROM facts f JOIN timed t ON t.okey = f.okey ORDER BY f.id', false],
];

async function fill(db: Connection, database: string, partitions: number): Promise<void> {
  await db.query(`CREATE DATABASE ${database} PARTITIONS ${partitions}`);
  await db.query(`USE ${database}`);
  await db.query('CREATE TABLE facts (id INT PRIMARY KEY, okey INT)');
  await db.query(
    'CREATE TABLE odd (okey INT PRIMARY KEY, amount DECIMAL(20,6), day DATE, stamp DATETIME(6), ratio DOUBLE, big BIGINT, ubig BIGINT UNSIGNED, label VARCHAR(255), raw BLOB)',
  );
  await db.query('CREATE TABLE timed (okey INT PRIMARY KEY, span TIME(6))');
  await db.query('INSERT INTO facts VALUES ?', [
    Array.from({ length: 60 }, (_, id) => [id, id % 7 === 0 ? null : id % 23]),
  ]);
  const odd = Array.from({ length: 20 }, (_, key) => {
    const none = key % 9 === 4;
    return [
      key,
      none
        ? null
        : key % 2 === 0
          ? `-${key}.000001`
          : `99999999999999.${String(key).padStart(6, '0')}`,
      none ? null : key % 3 === 0 ? '1000-01-01' : `20${String(key).padStart(2, '0')}-02-28`,
      none ? null : `2024-12-31 23:59:59.${String(key * 37).padStart(6, '0')}`,
      none ? null : key / 3,
      none ? null : key % 2 === 0 ? '-9223372036854775808' : '9223372036854775807',
      none ? null : '18446744073709551615',
      none ? null : (STRINGS[key % STRINGS.length] ?? ''),
      none ? null : Buffer.from([255, key + 1, 92, 39, 128]),
    ];
  });
  await db.query('INSERT INTO odd VALUES ?', [odd]);
  await db.query('INSERT INTO timed VALUES ?', [
    Array.from({ length: 20 }, (_, key) => [
      key,
      key % 5 === 0 ? null : `${key * 40}:00:01.${String(key).padStart(6, '0')}`,
    ]),
  ]);
}

describe('broadcast copies as Parquet', () => {
  let cluster: SqlCluster;
  let db: Connection;
  const requests: { name: string; parquet: boolean }[] = [];

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    onBroadcastCopy(cluster, (request) => {
      requests.push({ name: request.name, parquet: request.parquet !== undefined });
    });
    db = await cluster.connect();
    await fill(db, 'one', 1);
    await fill(db, 'many', 8);
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const [query, parquet] of QUERIES) {
    it(query, async () => {
      await db.query('USE one');
      const [single, singleShape] = await runShaped(db, query);
      await db.query('USE many');
      const before = requests.length;
      const [spread, spreadShape] = await runShaped(db, query);
      const made = requests.slice(before);
      await db.query('BEGIN');
      const [gathered] = await runShaped(db, query);
      await db.query('COMMIT');
      assert.ok(single.length > 0, 'the query returns rows');
      assert.deepEqual(spread, single);
      assert.deepEqual(spreadShape, singleShape);
      assert.deepEqual(gathered, single);
      assert.ok(made.length > 0, 'the small table was copied');
      assert.ok(
        made.every((request) => request.parquet === parquet),
        `copies as Parquet: ${JSON.stringify(made)}`,
      );
    });
  }

  it('leaves no Parquet file behind', async () => {
    for (const [index] of cluster.leaves.entries()) {
      const folder = join(cluster.home, `leaf${index}`, '.broadcast-files');
      assert.deepEqual(await readdir(folder), []);
    }
  });
});
