/**
 * Any query gives the same result on 1 partition as on 16. The same random rows go into a
 * database with PARTITIONS 1 and one with PARTITIONS 16 (columnstore, rowstore and reference
 * tables), then every query of a corpus runs on both and the results must be equal.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const QUERIES = [
  'SELECT * FROM facts ORDER BY id',
  'SELECT * FROM facts WHERE id = 17',
  'SELECT * FROM facts WHERE id IN (3, 50, 99) ORDER BY id',
  'SELECT COUNT(*), SUM(amount), AVG(amount), MIN(amount), MAX(amount) FROM facts',
  'SELECT COUNT(DISTINCT region), COUNT(DISTINCT kind) FROM facts',
  'SELECT region, COUNT(*) AS n, SUM(amount) AS s, AVG(qty) AS q FROM facts GROUP BY region ORDER BY region',
  'SELECT region, kind, COUNT(*) FROM facts GROUP BY region, kind HAVING COUNT(*) > 3 ORDER BY region, kind',
  'SELECT id, amount FROM facts ORDER BY amount DESC, id LIMIT 5',
  'SELECT id FROM facts ORDER BY id LIMIT 10, 5',
  'SELECT DISTINCT region FROM facts ORDER BY region',
  'SELECT f.id, d.label FROM facts f JOIN dims d ON d.kind = f.kind WHERE f.qty > 5 ORDER BY f.id',
  'SELECT d.label, SUM(f.amount) FROM facts f LEFT JOIN dims d ON d.kind = f.kind GROUP BY d.label ORDER BY d.label',
  'SELECT r.name, COUNT(f.id) FROM regions r LEFT JOIN facts f ON f.region = r.name GROUP BY r.name ORDER BY r.name',
  'SELECT id FROM facts WHERE amount > (SELECT AVG(amount) FROM facts) ORDER BY id',
  "SELECT id FROM facts WHERE qty > 2 AND kind NOT IN (SELECT kind FROM dims WHERE label = 'k1') ORDER BY id",
  'SELECT f.id FROM facts f, dims d WHERE f.kind = d.kind AND f.id IN (SELECT id FROM facts WHERE qty = 3) ORDER BY f.id',
  "SELECT id FROM facts f WHERE EXISTS (SELECT 1 FROM dims d WHERE d.kind = f.kind AND d.label = 'k1') ORDER BY id",
  'SELECT region, id, amount, RANK() OVER (PARTITION BY region ORDER BY amount DESC, id) AS r FROM facts ORDER BY region, r, id',
  'WITH big AS (SELECT * FROM facts WHERE amount > 50) SELECT region, COUNT(*) FROM big GROUP BY region ORDER BY region',
  'SELECT region FROM facts WHERE qty < 3 UNION SELECT name FROM regions ORDER BY 1',
  'SELECT kind FROM facts WHERE qty < 2 UNION ALL SELECT kind FROM dims ORDER BY 1',
  'SELECT x.region, x.n FROM (SELECT region, COUNT(*) AS n FROM facts GROUP BY region) x WHERE x.n > 1 ORDER BY x.region',
  "SELECT CASE WHEN amount > 50 THEN 'hi' ELSE 'lo' END AS band, COUNT(*) FROM facts GROUP BY band ORDER BY band",
  'SELECT YEAR(day), MONTH(day), COUNT(*) FROM facts GROUP BY YEAR(day), MONTH(day) ORDER BY 1, 2',
  'SELECT id, qty DIV 3, qty / 4, amount * qty FROM facts WHERE id < 10 ORDER BY id',
];

async function fill(
  db: Connection,
  database: string,
  partitions: number,
  rows: unknown[][],
): Promise<void> {
  await db.query(`CREATE DATABASE ${database} PARTITIONS ${partitions}`);
  await db.query(`USE ${database}`);
  await db.query(
    'CREATE TABLE facts (id INT PRIMARY KEY, region VARCHAR(10), kind INT, qty INT, amount DECIMAL(10,2), day DATE)',
  );
  await db.query('CREATE ROWSTORE TABLE dims (kind INT PRIMARY KEY, label VARCHAR(10))');
  await db.query('CREATE REFERENCE TABLE regions (name VARCHAR(10) PRIMARY KEY)');
  await db.query('INSERT INTO facts VALUES ?', [rows]);
  await db.query("INSERT INTO dims VALUES (0,'k0'),(1,'k1'),(2,'k2'),(3,'k3')");
  await db.query("INSERT INTO regions VALUES ('north'),('south'),('east'),('west'),('none')");
}

describe('1 partition versus 16', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    // A small deterministic generator: the same rows for both databases.
    let seed = 42;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const regions = ['north', 'south', 'east', 'west'];
    const rows = Array.from({ length: 120 }, (_, id) => [
      id,
      regions[Math.floor(next() * 4)],
      Math.floor(next() * 5),
      Math.floor(next() * 10),
      (Math.floor(next() * 10000) / 100).toFixed(2),
      `2024-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`,
    ]);
    await fill(db, 'one', 1, rows);
    await fill(db, 'many', 16, rows);
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const query of QUERIES) {
    it(query, async () => {
      await db.query('USE one');
      const [single] = await db.query<RowDataPacket[]>({ sql: query, rowsAsArray: true });
      await db.query('USE many');
      const [spread] = await db.query<RowDataPacket[]>({ sql: query, rowsAsArray: true });
      assert.ok(single.length > 0, 'the corpus query returns rows');
      assert.deepEqual(spread, single);
    });
  }
});
