/**
 * The distributed plans (two-phase aggregation, ORDER BY/LIMIT merges, co-located and
 * reference joins, co-located subqueries) give the same answers, with the same column types,
 * as the gather plan. Each query runs on a database with PARTITIONS 1 (the whole query runs on
 * the one partition), on one with PARTITIONS 16 (distributed), and on the 16-partition
 * database wrapped in a derived table, `SELECT * FROM (query) AS g`, which always takes the
 * gather plan. EXPLAIN checks that each query takes the plan it is meant to exercise.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { byText, shape } from '../support/differential.js';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

/** [query, the EXPLAIN fragment its 16-partition plan must contain]. */
const QUERIES: readonly (readonly [string, string])[] = [
  [
    'SELECT COUNT(*), COUNT(price), SUM(price), AVG(price), MIN(price), MAX(price), MIN(note), MAX(note) FROM items',
    'partial aggregation',
  ],
  [
    'SELECT note, COUNT(*), SUM(price), AVG(price), AVG(line), SUM(score), AVG(score) FROM items GROUP BY note ORDER BY note',
    'partial aggregation',
  ],
  [
    'SELECT COUNT(DISTINCT tag), COUNT(DISTINCT note), SUM(DISTINCT line), AVG(DISTINCT price), COUNT(*) FROM items',
    'partial aggregation',
  ],
  [
    'SELECT line, COUNT(DISTINCT tag), COUNT(*), AVG(DISTINCT score) FROM items GROUP BY line HAVING COUNT(*) > 2 ORDER BY line',
    'partial aggregation',
  ],
  [
    // Constant distinct values group nothing (an integer one was read as a column position).
    'SELECT line, COUNT(DISTINCT 3) FROM items GROUP BY line ORDER BY line',
    'partial aggregation',
  ],
  [
    // Bit aggregates over values past BIGINT (~line) and of DECIMALs and DOUBLEs.
    'SELECT line, BIT_AND(~line), BIT_OR(price), BIT_XOR(score) FROM items GROUP BY line ORDER BY line',
    'Gather',
  ],
  [
    'SELECT fact_id, SUM(price) AS total, COUNT(*) FROM items GROUP BY fact_id HAVING total > 50 ORDER BY total DESC, fact_id LIMIT 7',
    'merge the partitions',
  ],
  [
    'SELECT f.region, COUNT(*), SUM(i.price), AVG(i.price), MAX(f.day) FROM facts f JOIN items i ON i.fact_id = f.id GROUP BY f.region ORDER BY f.region',
    'partial aggregation',
  ],
  [
    'SELECT f.id, i.line, i.price FROM facts f JOIN items i ON i.fact_id = f.id WHERE i.price > 20 ORDER BY i.price DESC, f.id, i.line LIMIT 10',
    'co-located join',
  ],
  [
    'SELECT f.id, COUNT(i.line), SUM(i.price) FROM facts f LEFT JOIN items i ON i.fact_id = f.id GROUP BY f.id ORDER BY f.id',
    'co-located join',
  ],
  [
    'SELECT k.label, SUM(f.amount), COUNT(*) FROM facts f JOIN kinds k ON k.kind = f.kind GROUP BY k.label ORDER BY k.label',
    'joined locally',
  ],
  [
    'SELECT f.id FROM facts f WHERE EXISTS (SELECT 1 FROM items i WHERE i.fact_id = f.id AND i.price > 80) ORDER BY f.id',
    'co-located join',
  ],
  [
    'SELECT f.id, f.qty FROM facts f WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.fact_id = f.id) ORDER BY f.id',
    'co-located join',
  ],
  [
    'SELECT id, amount FROM facts WHERE id IN (SELECT fact_id FROM items GROUP BY fact_id HAVING SUM(price) > 100) ORDER BY id',
    'co-located join',
  ],
  [
    'SELECT f.id, (SELECT MAX(i.price) FROM items i WHERE i.fact_id = f.id) AS top FROM facts f WHERE f.id < 30 ORDER BY f.id',
    'co-located join',
  ],
  [
    "SELECT f.kind, COUNT(*) FROM facts f WHERE f.id IN (SELECT fact_id FROM items WHERE note = 'x') GROUP BY f.kind ORDER BY f.kind",
    'partial aggregation',
  ],
  [
    'SELECT f.id, k.label, i.line FROM facts f JOIN items i ON i.fact_id = f.id LEFT JOIN kinds k ON k.kind = f.kind WHERE f.id < 20 ORDER BY f.id, i.line',
    'joined locally',
  ],
  ['SELECT id, amount FROM facts ORDER BY amount, id LIMIT 3 OFFSET 4', 'merge the partitions'],
  [
    'SELECT note, price FROM items ORDER BY price DESC, fact_id, line LIMIT 6',
    'merge the partitions',
  ],
  [
    'SELECT price, fact_id FROM items ORDER BY price, fact_id, line LIMIT 5',
    'merge the partitions',
  ],
  ['SELECT DISTINCT note FROM items ORDER BY note', 'merge the partitions'],
  ['SELECT DISTINCT line, note FROM items ORDER BY 1, 2 LIMIT 5', 'merge the partitions'],
  ['SELECT fact_id, line FROM items WHERE price IS NULL', 'concatenate'],
  [
    "SELECT region, kind, SUM(qty * amount) AS v, AVG(amount) FROM facts WHERE day >= '2024-03-01' GROUP BY region, kind ORDER BY v DESC, region, kind LIMIT 5",
    'partial aggregation',
  ],
  [
    'SELECT SUM(amount) / COUNT(*), MAX(qty) - MIN(qty), COUNT(*) + 1, AVG(qty) FROM facts',
    'partial aggregation',
  ],
  [
    'SELECT kind, COUNT(*) FROM facts GROUP BY kind HAVING AVG(amount) > 45 AND kind > 0 ORDER BY 2 DESC, 1',
    'partial aggregation',
  ],
  [
    'SELECT YEAR(day) AS y, COUNT(*), MIN(day), MAX(day) FROM facts GROUP BY y ORDER BY y',
    'partial aggregation',
  ],
  [
    'SELECT COUNT(*), SUM(price), AVG(price), MAX(note) FROM items WHERE fact_id > 1000',
    'partial aggregation',
  ],
  [
    'SELECT AVG(f.qty), AVG(f.amount), AVG(i.price), SUM(f.qty) FROM facts f JOIN items i ON i.fact_id = f.id',
    'partial aggregation',
  ],
  // Plans that must not be pushed: joins off the shard key, reference rows preserved by an
  // outer join, aggregates that do not split, subqueries over all partitions.
  [
    'SELECT i.line, COUNT(*) FROM items i JOIN facts f ON f.kind = i.line GROUP BY i.line ORDER BY i.line',
    'Gather: ',
  ],
  [
    'SELECT k.kind, COUNT(f.id) FROM kinds k LEFT JOIN facts f ON f.kind = k.kind GROUP BY k.kind ORDER BY k.kind',
    'Gather: ',
  ],
  ['SELECT region, BIT_OR(qty), COUNT(*) FROM facts GROUP BY region ORDER BY region', 'Gather: '],
  ['SELECT id FROM facts WHERE amount > (SELECT AVG(price) FROM items) ORDER BY id', 'Gather: '],
  [
    'SELECT id FROM facts WHERE id IN (SELECT fact_id FROM items ORDER BY price DESC, fact_id LIMIT 3) ORDER BY id',
    'Gather: ',
  ],
  [
    'SELECT k.label, COUNT(*) FROM kinds k JOIN regions r ON r.name <> k.label GROUP BY k.label ORDER BY 1',
    '1 reference partition',
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
    'CREATE TABLE items (fact_id INT, line INT, price DECIMAL(12,2), note VARCHAR(10), tag VARCHAR(4), score DOUBLE, PRIMARY KEY (fact_id, line), SHARD KEY (fact_id))',
  );
  await db.query('CREATE REFERENCE TABLE kinds (kind INT PRIMARY KEY, label VARCHAR(10))');
  await db.query('CREATE REFERENCE TABLE regions (name VARCHAR(10) PRIMARY KEY)');
  await db.query('INSERT INTO facts VALUES ?', [data.facts]);
  await db.query('INSERT INTO items VALUES ?', [data.items]);
  await db.query("INSERT INTO kinds VALUES (0,'k0'),(1,'k1'),(2,'k2'),(3,'k1'),(5,'k5')");
  await db.query("INSERT INTO regions VALUES ('north'),('south'),('east'),('west'),('none')");
}

interface Data {
  readonly facts: unknown[][];
  readonly items: unknown[][];
}

function generate(): Data {
  let seed = 7;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  const facts = Array.from({ length: 150 }, (_, id) => [
    id,
    pick(['north', 'south', 'east', 'west']),
    Math.floor(next() * 5),
    Math.floor(next() * 10),
    (Math.floor(next() * 10000) / 100).toFixed(2),
    `2024-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`,
  ]);
  const items: unknown[][] = [];
  for (let factId = 0; factId < 150; factId += 1) {
    const lines = Math.floor(next() * 4);
    for (let line = 1; line <= lines; line += 1) {
      items.push([
        factId,
        line,
        next() < 0.15 ? null : (Math.floor(next() * 10000) / 100).toFixed(2),
        pick(['x', 'y', 'z', null]),
        pick(['a', 'A', 'b', 'B', null]),
        // Quarters add up exactly in any order.
        Math.floor(next() * 400) / 4,
      ]);
    }
  }
  return { facts, items };
}

describe('distributed plans: 1 partition, 16 partitions and the gather plan agree', () => {
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

  for (const [query, planned] of QUERIES) {
    it(query, async () => {
      await db.query('USE one');
      const [single, singleFields] = await db.query<RowDataPacket[]>({
        sql: query,
        rowsAsArray: true,
      });
      await db.query('USE many');
      const [spread, spreadFields] = await db.query<RowDataPacket[]>({
        sql: query,
        rowsAsArray: true,
      });
      const [gathered, gatheredFields] = await db.query<RowDataPacket[]>({
        sql: `SELECT * FROM (${query}) AS g`,
        rowsAsArray: true,
      });
      assert.ok(single.length > 0, 'the corpus query returns rows');
      if (!/ORDER BY/i.test(query)) {
        // Without ORDER BY the row order is the engine's choice.
        for (const rows of [single, spread, gathered]) rows.sort(byText);
      }
      assert.deepEqual(spread, single);
      assert.deepEqual(gathered, single);
      assert.deepEqual(shape(spreadFields), shape(singleFields));
      assert.deepEqual(shape(gatheredFields), shape(singleFields));
      const [plan] = await db.query<RowDataPacket[]>({
        sql: `EXPLAIN ${query}`,
        rowsAsArray: true,
      });
      const text = plan.map((row) => String(row[0])).join('\n');
      assert.ok(text.includes(planned), `the plan contains '${planned}':\n${text}`);
    });
  }
});
