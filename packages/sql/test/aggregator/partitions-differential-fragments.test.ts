/**
 * Queries that mix co-located tables with other tables: their co-located fragments run on the
 * partitions and the rest on the merge engine. Each query runs on a database with PARTITIONS 1,
 * on one with PARTITIONS 16, and on the 16-partition database as `WITH g AS (query) SELECT *
 * FROM g`, which takes the plain gather plan (no fragments: every table fetched alone). Rows
 * and column types must match; EXPLAIN checks which queries are fragmented and which are not.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, FieldPacket, RowDataPacket } from 'mysql2/promise';
import { byText, shape } from '../support/differential.js';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

/** [query, whether its 16-partition plan has a fragment]. */
const QUERIES: readonly (readonly [string, boolean])[] = [
  // A fragment joined to a table sharded on another key.
  [
    'SELECT f.id, i.line, a.name FROM facts f JOIN items i ON i.fact_id = f.id JOIN accounts a ON a.acct_id = f.kind WHERE i.price > 10 ORDER BY f.id, i.line',
    true,
  ],
  // Unqualified names, an alias in ORDER BY, LIMIT.
  [
    'SELECT id, line, price * 2 AS p2 FROM facts, items, accounts WHERE fact_id = id AND acct_id = kind ORDER BY p2 DESC, id, line LIMIT 7',
    true,
  ],
  // A reference table inside the fragment, twice (clashing column names).
  [
    'SELECT k1.label AS l1, k2.label AS l2, COUNT(*), SUM(i.price) FROM facts f, items i, kinds k1, kinds k2, accounts a WHERE i.fact_id = f.id AND k1.kind = f.kind AND k2.kind = i.line AND a.acct_id = f.qty GROUP BY k1.label, k2.label ORDER BY 1, 2',
    true,
  ],
  // Two fragments in one query.
  [
    'SELECT f.region, a.name, COUNT(*), SUM(l.amount) FROM facts f, items i, accounts a, ledger l WHERE i.fact_id = f.id AND l.acct_id = a.acct_id AND a.acct_id = f.kind GROUP BY f.region, a.name ORDER BY 1, 2',
    true,
  ],
  // EXISTS and NOT EXISTS correlated on the shard key go with the fragment (TPC-H Q21).
  [
    'SELECT a.name, COUNT(*) FROM items i1, facts f, accounts a WHERE i1.fact_id = f.id AND a.acct_id = f.kind AND EXISTS (SELECT 1 FROM items i2 WHERE i2.fact_id = i1.fact_id AND i2.line <> i1.line) AND NOT EXISTS (SELECT * FROM items i3 WHERE i3.fact_id = i1.fact_id AND i3.price > i1.price) GROUP BY a.name ORDER BY a.name',
    true,
  ],
  // IN (grouped on the shard key) goes with the fragment (TPC-H Q18).
  [
    'SELECT a.name, f.id, SUM(i.price) FROM accounts a, facts f, items i WHERE f.id IN (SELECT fact_id FROM items GROUP BY fact_id HAVING SUM(price) > 100) AND a.acct_id = f.kind AND i.fact_id = f.id GROUP BY a.name, f.id ORDER BY 3 DESC, 2 LIMIT 10',
    true,
  ],
  // One table with a pushed subquery.
  [
    'SELECT f.id, a.name FROM facts f, accounts a WHERE a.acct_id = f.kind AND EXISTS (SELECT 1 FROM items i WHERE i.fact_id = f.id AND i.price > 50) ORDER BY f.id',
    true,
  ],
  // A subquery that is not co-located stays on the merge engine, correlated to the fragment.
  [
    'SELECT f.id, i.line FROM facts f, items i WHERE i.fact_id = f.id AND i.price > (SELECT AVG(l.amount) FROM ledger l WHERE l.acct_id = f.kind) ORDER BY 1, 2',
    true,
  ],
  // The same table inside and outside the fragment.
  [
    'SELECT f.id, i.line, i2.line AS line2 FROM facts f JOIN items i ON i.fact_id = f.id JOIN items i2 ON i2.line = i.line AND i2.fact_id = f.kind WHERE f.id < 60 ORDER BY 1, 2, 3',
    true,
  ],
  [
    'SELECT f.id, COUNT(*) FROM facts f, items i WHERE i.fact_id = f.id AND i.line IN (SELECT line FROM items WHERE note = f.region) GROUP BY f.id ORDER BY f.id',
    true,
  ],
  // NULL join keys: events has rows without fact_id and without kind.
  [
    'SELECT e.v, f.region, a.name FROM events e, facts f, accounts a WHERE e.fact_id = f.id AND a.acct_id = e.kind ORDER BY e.v, f.region, a.name',
    true,
  ],
  [
    'SELECT COUNT(*), COUNT(e.kind), SUM(e.v) FROM events e JOIN facts f ON e.fact_id = f.id JOIN kinds k ON k.kind = e.kind JOIN accounts a ON a.acct_id = f.qty',
    true,
  ],
  // Inside a derived table (TPC-H Q7–Q9), and on both sides of a UNION.
  [
    'SELECT name, COUNT(*), SUM(v) FROM (SELECT a.name AS name, i.price AS v FROM facts f, items i, accounts a WHERE i.fact_id = f.id AND a.acct_id = f.kind) AS x GROUP BY name ORDER BY name',
    true,
  ],
  [
    'SELECT f.id FROM facts f, items i, accounts a WHERE i.fact_id = f.id AND a.acct_id = f.kind AND i.line = 1 UNION SELECT e.v FROM events e, facts f, accounts a WHERE e.fact_id = f.id AND a.acct_id = f.qty ORDER BY 1',
    true,
  ],
  // Outer joins: nothing is fragmented across a null-extended side.
  [
    'SELECT a.acct_id, f.id, i.line FROM accounts a LEFT JOIN facts f ON f.kind = a.acct_id LEFT JOIN items i ON i.fact_id = f.id ORDER BY 1, 2, 3',
    false,
  ],
  [
    'SELECT f.id, i.line, a.name FROM facts f LEFT JOIN items i ON i.fact_id = f.id AND i.price > 30 JOIN accounts a ON a.acct_id = f.kind ORDER BY 1, 2',
    false,
  ],
  // Tables joined off their shard keys: plain gather.
  [
    'SELECT i.line, COUNT(*) FROM items i JOIN facts f ON f.kind = i.line JOIN accounts a ON a.acct_id = f.kind GROUP BY i.line ORDER BY i.line',
    false,
  ],
];

async function fill(
  db: Connection,
  database: string,
  partitions: number,
  data: Data,
): Promise<void> {
  await db.query(`CREATE DATABASE ${database} PARTITIONS ${partitions}`);
  await db.query(`USE ${database}`);
  await db.query(
    'CREATE TABLE facts (id INT PRIMARY KEY, region VARCHAR(10), kind INT, qty INT, amount DECIMAL(10,2), day DATE)',
  );
  await db.query(
    'CREATE TABLE items (fact_id INT, line INT, price DECIMAL(12,2), note VARCHAR(10), PRIMARY KEY (fact_id, line), SHARD KEY (fact_id))',
  );
  await db.query('CREATE TABLE events (fact_id INT, kind INT, v INT, SHARD KEY (fact_id))');
  await db.query('CREATE TABLE accounts (acct_id INT PRIMARY KEY, name VARCHAR(10))');
  await db.query(
    'CREATE TABLE ledger (acct_id INT, entry INT, amount DOUBLE, PRIMARY KEY (acct_id, entry), SHARD KEY (acct_id))',
  );
  await db.query('CREATE REFERENCE TABLE kinds (kind INT PRIMARY KEY, label VARCHAR(10))');
  await db.query('INSERT INTO facts VALUES ?', [data.facts]);
  await db.query('INSERT INTO items VALUES ?', [data.items]);
  await db.query('INSERT INTO events VALUES ?', [data.events]);
  await db.query(
    "INSERT INTO accounts VALUES (0,'a0'),(1,'a1'),(2,'a2'),(3,'a1'),(4,'a4'),(7,'a7')",
  );
  await db.query('INSERT INTO ledger VALUES ?', [data.ledger]);
  await db.query("INSERT INTO kinds VALUES (0,'k0'),(1,'k1'),(2,'k2'),(3,'k1'),(5,'k5')");
}

interface Data {
  readonly facts: unknown[][];
  readonly items: unknown[][];
  readonly events: unknown[][];
  readonly ledger: unknown[][];
}

function generate(): Data {
  let seed = 11;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  const facts = Array.from({ length: 120 }, (_, id) => [
    id,
    pick(['x', 'y', 'z', 'w']),
    Math.floor(next() * 6),
    Math.floor(next() * 8),
    (Math.floor(next() * 10000) / 100).toFixed(2),
    `2024-0${String(1 + Math.floor(next() * 9))}-1${String(Math.floor(next() * 9))}`,
  ]);
  const items: unknown[][] = [];
  for (let factId = 0; factId < 130; factId += 1) {
    const lines = Math.floor(next() * 4);
    for (let line = 1; line <= lines; line += 1)
      items.push([
        factId,
        line,
        next() < 0.1 ? null : (Math.floor(next() * 10000) / 100).toFixed(2),
        pick(['x', 'y', 'z', null]),
      ]);
  }
  const events = Array.from({ length: 90 }, (_, index) => [
    next() < 0.2 ? null : Math.floor(next() * 130),
    next() < 0.2 ? null : Math.floor(next() * 8),
    index,
  ]);
  const ledger: unknown[][] = [];
  for (let acct = 0; acct < 8; acct += 1)
    for (let entry = 0; entry < 3 + acct; entry += 1)
      // Quarters add up exactly in any order.
      ledger.push([acct, entry, Math.floor(next() * 400) / 4]);
  return { facts, items, events, ledger };
}

describe('fragments of mixed queries: 1 partition, 16 partitions and the plain gather agree', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    const data = generate();
    await fill(db, 'one', 1, data);
    await fill(db, 'many', 16, data);
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('sees its own transaction writes, and leaves reference tables out of fragments there', async () => {
    await db.query('USE many');
    await db.query('BEGIN');
    try {
      await db.query("INSERT INTO kinds VALUES (9, 'k9')");
      await db.query("INSERT INTO facts VALUES (500, 'x', 9, 1, 1.00, '2024-01-01')");
      await db.query("INSERT INTO items VALUES (500, 1, 5.00, 'x'), (500, 2, 6.00, 'y')");
      const query =
        'SELECT k.label, a.name, i.line, i.price FROM facts f, items i, kinds k, accounts a WHERE i.fact_id = f.id AND k.kind = f.kind AND a.acct_id = f.qty AND f.id >= 500 ORDER BY i.line';
      const [rows] = await db.query<RowDataPacket[]>({ sql: query, rowsAsArray: true });
      assert.deepEqual(rows, [
        ['k9', 'a1', 1, '5.00'],
        ['k9', 'a1', 2, '6.00'],
      ]);
      const [plan] = await db.query<RowDataPacket[]>({
        sql: `EXPLAIN ${query}`,
        rowsAsArray: true,
      });
      const text = plan.map((row) => String(row[0])).join('\n');
      assert.match(text, /Fragment exo_fragment_1 \(f, i\)/);
    } finally {
      await db.query('ROLLBACK');
    }
  });

  for (const [query, fragmented] of QUERIES) {
    it(query, async () => {
      const run = async (sql: string): Promise<[unknown[], FieldPacket[]]> => {
        const [rows, fields] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
        return [rows, fields];
      };
      await db.query('USE one');
      const [single, singleFields] = await run(query);
      await db.query('USE many');
      const [spread, spreadFields] = await run(query);
      const [gathered, gatheredFields] = await run(`WITH g AS (${query}) SELECT * FROM g`);
      assert.ok(single.length > 0, 'the corpus query returns rows');
      if (/ORDER BY/i.test(query)) assert.deepEqual(spread, single);
      // The plain gather's outer SELECT does not promise the inner order.
      const sorted = (rows: unknown[]): unknown[] => [...rows].sort(byText);
      assert.deepEqual(sorted(spread), sorted(single));
      assert.deepEqual(sorted(gathered), sorted(single));
      assert.deepEqual(shape(spreadFields), shape(singleFields));
      assert.deepEqual(shape(gatheredFields), shape(singleFields));
      const [plan] = await run(`EXPLAIN ${query}`);
      const text = plan.map((row) => String((row as unknown[])[0])).join('\n');
      assert.equal(text.includes('Fragment exo_fragment_'), fragmented, text);
      const [plain] = await run(`EXPLAIN WITH g AS (${query}) SELECT * FROM g`);
      assert.ok(!plain.some((row) => String((row as unknown[])[0]).includes('Fragment')));
    });
  }
});
