/**
 * Semi-join key reductions decided by a row count (`aggregator/semi-keys.ts`): when the key
 * column is its table's whole primary key, a COUNT(*) with the key query's filter tells whether
 * the keys can be used, and above `SEMI_KEYS_MAX` the key query is not run. The TPC-H Q22
 * shape: customers filtered on their balance, without an order (NOT EXISTS, narrowed to the
 * orders' distinct customer keys, reduced to the filtered customers' keys). The counters of
 * `semi-keys.ts` show which way was taken; the rows must match those of a 1-partition database
 * and of the plain gather plan (`WITH g AS (…) SELECT * FROM g`, no rewrite).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'mysql2/promise';
import { SEMI_KEYS_MAX, semiKeyCounters } from '../../src/aggregator/semi-keys.js';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { explainText, runShaped } from '../support/differential.js';

/** More customers than keys may be inlined, so a loose filter keeps too many. */
const CUSTOMERS = SEMI_KEYS_MAX + 3_000;

function customerRows(): unknown[][] {
  const rows: unknown[][] = [];
  for (let id = 1; id <= CUSTOMERS; id += 1)
    rows.push([id, `${10 + (id % 7)}-${id}`, ((id * 37) % 10_000) / 100, id % 5]);
  return rows;
}

/** Orders of two customers in three, some with a NULL customer. */
function orderRows(): unknown[][] {
  const rows: unknown[][] = [];
  for (let id = 1; id <= CUSTOMERS; id += 1)
    if (id % 3 !== 0) rows.push([id, id % 11 === 0 ? null : id]);
  return rows;
}

async function fill(db: Connection, database: string, partitions: number): Promise<void> {
  await db.query(`CREATE DATABASE ${database} PARTITIONS ${partitions}`);
  await db.query(`USE ${database}`);
  await db.query(
    'CREATE TABLE cust (id INT PRIMARY KEY, phone VARCHAR(20), bal DECIMAL(8,2), grp INT)',
  );
  await db.query('CREATE TABLE ord (id INT PRIMARY KEY, cust INT)');
  await db.query('INSERT INTO cust VALUES ?', [customerRows()]);
  await db.query('INSERT INTO ord VALUES ?', [orderRows()]);
}

const query = (filter: string): string =>
  `SELECT code, COUNT(*), SUM(bal) FROM (SELECT SUBSTRING(phone, 1, 2) AS code, bal FROM cust WHERE ${filter} AND NOT EXISTS (SELECT * FROM ord WHERE ord.cust = cust.id)) AS x GROUP BY code ORDER BY code`;

describe('semi-join key queries skipped when a count shows too many keys', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await fill(db, 'one', 1);
    await fill(db, 'many', 16);
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  async function compare(sql: string): Promise<{ run: number; skipped: number }> {
    await db.query('USE one');
    const [oneRows, oneShape] = await runShaped(db, sql);
    await db.query('USE many');
    const plan = await explainText(db, sql);
    assert.ok(plan.includes('Semi-join keys'), plan);
    const { run, skipped } = semiKeyCounters;
    const [manyRows, manyShape] = await runShaped(db, sql);
    const taken = { run: semiKeyCounters.run - run, skipped: semiKeyCounters.skipped - skipped };
    const [gatherRows] = await runShaped(db, `WITH g AS (${sql}) SELECT * FROM g`);
    assert.ok(manyRows.length > 0);
    assert.deepEqual(manyRows, oneRows);
    assert.deepEqual(gatherRows, manyRows);
    assert.deepEqual(manyShape, oneShape);
    return taken;
  }

  it('skips the key query when the filter keeps more rows than keys may be inlined', async () => {
    const taken = await compare(query('bal > 10'));
    assert.deepEqual(taken, { run: 0, skipped: 1 });
  });

  it('runs the key query when the count shows few enough rows', async () => {
    const taken = await compare(query('bal > 95'));
    assert.deepEqual(taken, { run: 1, skipped: 0 });
  });

  it('runs the key query when its column is not the primary key (no count decides)', async () => {
    const sql =
      'SELECT g, COUNT(*), SUM(bal) FROM (SELECT grp AS g, bal FROM cust WHERE bal > 10 AND NOT EXISTS (SELECT * FROM ord WHERE ord.cust = cust.grp)) AS x GROUP BY g ORDER BY g';
    const taken = await compare(sql);
    assert.deepEqual(taken, { run: 1, skipped: 0 });
  });
});
