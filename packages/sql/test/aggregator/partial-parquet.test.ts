/**
 * Partition results as Parquet files (`aggregator/partial-fetch.ts`): partial aggregates,
 * merged ORDER BY/LIMIT/DISTINCT rows, fragments and gathered tables reach the merge engine as
 * the files DuckDB's `COPY … TO` wrote on the partitions, never as values. Each query runs on 1
 * partition, on 8 (partial results as Parquet: some partitions empty), and in a transaction
 * (values); the rows and column shapes must be equal. A spy on the leaves' exports shows which
 * path was taken; a TIME column, a rowstore table and a transaction keep the value path.
 */
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { explainText, runShaped } from '../support/differential.js';

const LABELS = [
  "it's",
  'back\\slash',
  'tab\tnew\nline',
  'emoji 😀 ü',
  'trailing  ',
  '',
  'Mixed Case',
  'mixed case',
  'nul\u0000byte',
];

async function fill(db: Connection, database: string, partitions: number): Promise<void> {
  await db.query(`CREATE DATABASE ${database} PARTITIONS ${partitions}`);
  await db.query(`USE ${database}`);
  await db.query(
    'CREATE TABLE sales (id INT PRIMARY KEY, label VARCHAR(40), day DATE, amount DECIMAL(20,6), qty INT, span TIME(3))',
  );
  await db.query(
    'CREATE TABLE parts (id INT, line INT, price DECIMAL(12,2), weight BIGINT, SHARD KEY (id))',
  );
  await db.query('CREATE ROWSTORE TABLE notes (id INT PRIMARY KEY, label VARCHAR(40), qty INT)');
  await db.query('CREATE TABLE few (id INT PRIMARY KEY, label VARCHAR(40), amount DECIMAL(8,2))');
  const sales = Array.from({ length: 90 }, (_, id) => {
    const none = id % 11 === 5;
    return [
      id,
      id % 13 === 3 ? null : (LABELS[id % LABELS.length] ?? ''),
      none ? null : id % 4 === 0 ? '1000-01-01' : `20${String(id % 30).padStart(2, '0')}-02-28`,
      none
        ? null
        : id % 2 === 0
          ? `-${id}.000001`
          : `99999999999999.${String(id).padStart(6, '0')}`,
      none ? null : id % 7,
      none ? null : `${id * 9}:00:01.${String(id % 1000).padStart(3, '0')}`,
    ];
  });
  await db.query('INSERT INTO sales VALUES ?', [sales]);
  await db.query('INSERT INTO parts VALUES ?', [
    Array.from({ length: 200 }, (_, index) => [
      index % 90,
      index,
      index % 17 === 0 ? null : `${index}.${index % 100}`,
      // Near 2^62: their sums need more than 64 bits and more than a DOUBLE's 53.
      (4611686018427387904n + BigInt(index) * 1_000_003n).toString(),
    ]),
  ]);
  await db.query('INSERT INTO notes VALUES ?', [
    Array.from({ length: 30 }, (_, id) => [id, LABELS[id % LABELS.length] ?? '', id % 4]),
  ]);
  // Three rows over eight partitions: most partitions are empty.
  await db.query("INSERT INTO few VALUES (1, 'a', 1.50), (2, NULL, NULL), (3, 'a', 2.25)");
}

/**
 * [query, how its partition results travel on 8 partitions, and the columns holding a group key
 * of a case-insensitive collation]. Such a group ('Mixed Case' and 'mixed case') is shown with
 * the spelling of the first row met, which depends on the partitioning (MariaDB leaves it
 * undefined as well): those columns are compared case-folded, every other value exactly.
 */
const QUERIES: readonly (readonly [string, 'parquet' | 'values', number?])[] = [
  [
    'SELECT label, COUNT(*), SUM(amount), AVG(amount), MIN(day), MAX(day), COUNT(DISTINCT qty) FROM sales GROUP BY label ORDER BY label',
    'parquet',
    0,
  ],
  [
    'SELECT day, label, SUM(qty) AS total FROM sales GROUP BY day, label HAVING SUM(qty) > 2 OR day IS NULL ORDER BY total DESC, day, label LIMIT 7',
    'parquet',
    1,
  ],
  ['SELECT qty, AVG(amount), COUNT(amount) FROM sales GROUP BY qty ORDER BY qty', 'parquet'],
  ['SELECT DISTINCT label FROM sales ORDER BY label', 'parquet', 0],
  // Sums of BIGINTs beyond 64 bits: DECIMAL(38,0) in the files (Parquet has no 128-bit integer).
  ['SELECT id % 3, SUM(weight), AVG(weight) FROM parts GROUP BY id % 3 ORDER BY 1', 'parquet'],
  ['SELECT id, label, amount, day FROM sales ORDER BY amount DESC, id LIMIT 9', 'parquet'],
  [
    'SELECT s.label, COUNT(l.line), SUM(l.price) FROM sales s JOIN parts l ON l.id = s.id GROUP BY s.label ORDER BY s.label',
    'parquet',
    0,
  ],
  [
    'SELECT label, GROUP_CONCAT(id ORDER BY id) FROM sales WHERE qty < 3 GROUP BY label ORDER BY label',
    'parquet',
    0,
  ],
  [
    'SELECT qty % 2, COUNT(*), AVG(amount), AVG(DISTINCT amount), AVG(qty) FROM sales WHERE id % 2 = 1 GROUP BY qty % 2 ORDER BY 1',
    'parquet',
  ],
  ['SELECT label, COUNT(*), SUM(amount) FROM few GROUP BY label ORDER BY label', 'parquet'],
  ['SELECT label, COUNT(*) FROM sales WHERE qty > 100 GROUP BY label', 'parquet'],
  // Aggregates without GROUP BY: one row per partition travels as values.
  ['SELECT COUNT(*), SUM(amount), AVG(qty) FROM sales WHERE qty > 100', 'values'],
  // TIME travels as values (Parquet keeps an INTERVAL to the millisecond only).
  ['SELECT qty, MAX(span), COUNT(*) FROM sales GROUP BY qty ORDER BY qty', 'values'],
  // A rowstore table cannot be written as Parquet by SQLite.
  ['SELECT qty, COUNT(*), MIN(label) FROM notes GROUP BY qty ORDER BY qty', 'values'],
];

describe('partition results as Parquet files', () => {
  let cluster: SqlCluster;
  let db: Connection;
  const exports: string[] = [];

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    for (const server of cluster.leaves) {
      const leaf = server.leaf;
      const run = leaf.exportBroadcastRows.bind(leaf);
      leaf.exportBroadcastRows = (request) => {
        exports.push(request.sql);
        return run(request);
      };
    }
    db = await cluster.connect();
    await fill(db, 'one', 1);
    await fill(db, 'many', 8);
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const [query, path, folded] of QUERIES) {
    it(query, async () => {
      await db.query('USE one');
      const [single, singleShape] = await runShaped(db, query);
      await db.query('USE many');
      const before = exports.length;
      const [spread, spreadShape] = await runShaped(db, query);
      const made = exports.length - before;
      await db.query('BEGIN');
      const [inTransaction, transactionShape] = await runShaped(db, query);
      const madeInTransaction = exports.length - before - made;
      await db.query('COMMIT');
      const fold = (rows: unknown[]): unknown[] => caseFolded(rows, folded);
      assert.deepEqual(fold(spread), fold(single));
      assert.deepEqual(spreadShape, singleShape);
      assert.deepEqual(fold(inTransaction), fold(single));
      assert.deepEqual(transactionShape, singleShape);
      assert.equal(madeInTransaction, 0, 'a transaction reads values');
      if (path === 'parquet') assert.ok(made > 0, 'partition results travelled as Parquet');
      else assert.equal(made, 0, 'partition results travelled as values');
    });
  }

  it('computes AVG of a DECIMAL exactly on every path', async () => {
    // MySQL's AVG of a DECIMAL is the DECIMAL sum divided by the count, at scale + 4: the 41 odd
    // ids with an amount average 99999999999999 + 1873 / 41 millionths (24 digits, beyond a
    // DOUBLE's 16).
    const query = 'SELECT AVG(amount), AVG(DISTINCT amount) FROM sales WHERE id % 2 = 1';
    const exact = ['99999999999999.0000456829', '99999999999999.0000456829'];
    for (const database of ['one', 'many']) {
      await db.query(`USE ${database}`);
      const [rows] = await runShaped(db, query);
      assert.deepEqual(rows, [exact], database);
      await db.query('BEGIN');
      const [inTransaction] = await runShaped(db, query);
      await db.query('COMMIT');
      assert.deepEqual(inTransaction, [exact], `${database} in a transaction`);
    }
    await db.query('USE many');
    const [negative] = await runShaped(db, 'SELECT AVG(amount) FROM sales WHERE id IN (2, 4, 8)');
    // (-2.000001 - 4.000001 - 8.000001) / 3 = -4.666667666…, rounded away from zero.
    assert.deepEqual(negative, [['-4.6666676667']]);
  });

  it('says in EXPLAIN how partial results travel', async () => {
    await db.query('USE many');
    const text = await explainText(db, 'SELECT label, COUNT(*) FROM sales GROUP BY label');
    assert.match(text, /Partition results: Parquet files/);
    const timed = await explainText(db, 'SELECT qty, MAX(span) FROM sales GROUP BY qty');
    assert.match(timed, /Partition results: rows/);
  });

  it('sends small partial results of a kept plan as values from its second execution', async () => {
    await db.query('USE many');
    const query = 'SELECT label, COUNT(*), SUM(amount), MIN(day) FROM sales GROUP BY label';
    const counts: number[] = [];
    const answers: unknown[] = [];
    for (let run = 0; run < 3; run += 1) {
      const before = exports.length;
      const [rows] = await runShaped(db, query);
      counts.push(exports.length - before);
      answers.push(caseFolded(rows, 0));
    }
    assert.ok((counts[0] ?? 0) > 0, 'the first execution reads files');
    assert.deepEqual(counts.slice(1), [0, 0], 'later ones read values');
    assert.deepEqual(answers[1], answers[0]);
    assert.deepEqual(answers[2], answers[0]);
  });

  it('keeps files for partial results that are not small', async () => {
    await db.query('USE many');
    await db.query(
      'CREATE TABLE wide (id INT PRIMARY KEY, label VARCHAR(60), amount DECIMAL(20,6))',
    );
    const rows = Array.from({ length: 3000 }, (_, id) => [
      id,
      `label ${id} ${'x'.repeat(id % 40)}`,
      `${id}.${String(id).padStart(6, '0')}`,
    ]);
    await db.query('INSERT INTO wide VALUES ?', [rows]);
    const query = 'SELECT label, SUM(amount) FROM wide GROUP BY label';
    for (let run = 0; run < 3; run += 1) {
      const before = exports.length;
      const [answer] = await runShaped(db, query);
      assert.equal(answer.length, 3000);
      assert.ok(exports.length - before > 0, `execution ${run + 1} reads files`);
    }
  });

  it('leaves no Parquet file behind', async () => {
    for (const [index] of cluster.leaves.entries()) {
      const folder = `${cluster.home}/leaf${index}/.broadcast-files`;
      assert.deepEqual(await readdir(folder).catch(() => []), []);
    }
    // Only this process's merge folders: other test files run their own aggregators meanwhile.
    const merge = (await readdir(tmpdir())).filter((name) =>
      name.startsWith(`exo-merge-${process.pid}-`),
    );
    for (const name of merge) assert.deepEqual(await readdir(`${tmpdir()}/${name}`), []);
  });
});

/** `rows` with the strings of column `column` lower-cased (all of them as they are without one). */
function caseFolded(rows: unknown[], column: number | undefined): unknown[] {
  if (column === undefined) return rows;
  return rows.map((row) =>
    (row as unknown[]).map((value, index) =>
      index === column && typeof value === 'string' ? value.toLowerCase() : value,
    ),
  );
}
