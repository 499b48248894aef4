/**
 * Plans of queries on several partitions kept between executions (`aggregator/plan-memo.ts`):
 * a repeated query takes its plan from the memo and answers as before; a change of data, of the
 * catalog, of the database in use or of sql_mode never serves a stale plan; queries whose
 * translation holds the clock or a session value, queries of a session with temporary tables
 * and information_schema queries are planned every time. Real aggregator and leaves; the
 * memo's counters (`planMemoTotals`) show which way each execution went.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { PlanMemo, planMemoTotals } from '../../src/aggregator/plan-memo.js';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

/** A join of two tables sharded on different keys, grouped: a gather plan with stages. */
const REPORT =
  'SELECT c.region, COUNT(*) AS n, SUM(o.total) AS total FROM cust c JOIN ord o ON o.cust = c.id GROUP BY c.region ORDER BY c.region';

async function fill(db: Connection, database: string): Promise<void> {
  await db.query(`CREATE DATABASE ${database} PARTITIONS 4`);
  await db.query(`USE ${database}`);
  await db.query('CREATE TABLE cust (id INT PRIMARY KEY, region VARCHAR(10))');
  await db.query('CREATE TABLE ord (id INT PRIMARY KEY, cust INT, total DECIMAL(10,2))');
  const customers = Array.from({ length: 40 }, (_, i) => [i + 1, `r${i % 3}`]);
  const orders = Array.from({ length: 200 }, (_, i) => [i + 1, (i % 40) + 1, (i * 7) % 100]);
  await db.query('INSERT INTO cust VALUES ?', [customers]);
  await db.query('INSERT INTO ord VALUES ?', [orders]);
}

async function rows(db: Connection, sql: string): Promise<unknown[]> {
  const [result] = await db.query<RowDataPacket[]>(sql);
  return result.map((row) => ({ ...row }));
}

/** What the memo did while `work` ran. */
async function counted(work: () => Promise<unknown>): Promise<typeof planMemoTotals> {
  const before = { ...planMemoTotals };
  await work();
  return {
    hits: planMemoTotals.hits - before.hits,
    kept: planMemoTotals.kept - before.kept,
    volatile: planMemoTotals.volatile - before.volatile,
  };
}

describe('plans kept between executions', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await fill(db, 'memo_a');
    await fill(db, 'memo_b');
    await db.query('USE memo_a');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('plans a repeated query once and answers as before', async () => {
    const first = await rows(db, REPORT);
    const again = await counted(async () => {
      assert.deepEqual(await rows(db, REPORT), first);
      assert.deepEqual(await rows(db, REPORT), first);
    });
    assert.ok(again.hits >= 2, JSON.stringify(again));
    assert.equal(again.kept, 0);
  });

  it('answers from the data of now, not of the plan', async () => {
    await rows(db, REPORT);
    await db.query("INSERT INTO cust VALUES (100, 'r9')");
    await db.query('INSERT INTO ord VALUES (1000, 100, 5.50)');
    const after = await rows(db, REPORT);
    assert.deepEqual(after.at(-1), { region: 'r9', n: 1, total: '5.50' });
    await db.query('DELETE FROM ord WHERE id = 1000');
    await db.query('DELETE FROM cust WHERE id = 100');
  });

  it('plans again after DDL', async () => {
    await rows(db, 'SELECT * FROM cust c JOIN ord o ON o.cust = c.id ORDER BY o.id LIMIT 1');
    await db.query('ALTER TABLE cust ADD COLUMN vip INT DEFAULT 7');
    try {
      const [row] = await rows(
        db,
        'SELECT * FROM cust c JOIN ord o ON o.cust = c.id ORDER BY o.id LIMIT 1',
      );
      assert.equal((row as Record<string, unknown>)['vip'], 7);
    } finally {
      await db.query('ALTER TABLE cust DROP COLUMN vip');
    }
  });

  it('keeps plans apart by database', async () => {
    await db.query('USE memo_b');
    await db.query('UPDATE ord SET total = total + 1000');
    try {
      const b = await rows(db, REPORT);
      await db.query('USE memo_a');
      const a = await rows(db, REPORT);
      assert.notDeepEqual(a, b);
    } finally {
      await db.query('USE memo_b');
      await db.query('UPDATE ord SET total = total - 1000');
      await db.query('USE memo_a');
    }
  });

  it('keeps plans apart by sql_mode', async () => {
    const sql =
      'SELECT c.region, o.total FROM cust c JOIN ord o ON o.cust = c.id GROUP BY c.region';
    await db.query("SET SESSION sql_mode = 'ONLY_FULL_GROUP_BY'");
    await assert.rejects(db.query(sql), { errno: 1055 });
    await db.query("SET SESSION sql_mode = ''");
    assert.equal((await rows(db, sql)).length, 3);
    await db.query("SET SESSION sql_mode = 'ONLY_FULL_GROUP_BY'");
    await assert.rejects(db.query(sql), { errno: 1055 });
    await db.query('SET SESSION sql_mode = DEFAULT');
  });

  it('plans again a query that reads the clock or the session', async () => {
    const sql =
      'SELECT DATABASE() AS db, NOW() IS NOT NULL AS t, COUNT(*) AS n FROM cust c JOIN ord o ON o.cust = c.id';
    const done = await counted(async () => {
      for (let i = 0; i < 3; i += 1)
        assert.deepEqual(await rows(db, sql), [{ db: 'memo_a', t: 1, n: 200 }]);
    });
    assert.equal(done.hits, 0, JSON.stringify(done));
    assert.ok(done.volatile >= 3, JSON.stringify(done));
  });

  it('plans every time for a session with temporary tables', async () => {
    const other = await cluster.connect('memo_a');
    try {
      await other.query('CREATE TEMPORARY TABLE scratch (id INT)');
      const done = await counted(async () => {
        for (let i = 0; i < 2; i += 1) await rows(other, REPORT);
      });
      assert.deepEqual(done, { hits: 0, kept: 0, volatile: 0 });
    } finally {
      await other.end();
    }
  });

  it('plans information_schema queries every time', async () => {
    const sql =
      "SELECT t.TABLE_NAME, COUNT(*) AS n FROM information_schema.TABLES t JOIN information_schema.COLUMNS c ON c.TABLE_NAME = t.TABLE_NAME AND c.TABLE_SCHEMA = t.TABLE_SCHEMA WHERE t.TABLE_SCHEMA = 'memo_a' GROUP BY t.TABLE_NAME ORDER BY 1";
    const done = await counted(async () => {
      for (let i = 0; i < 2; i += 1)
        assert.deepEqual(await rows(db, sql), [
          { TABLE_NAME: 'cust', n: 2 },
          { TABLE_NAME: 'ord', n: 3 },
        ]);
    });
    assert.equal(done.hits + done.kept, 0, JSON.stringify(done));
  });
});

describe('the memo itself', () => {
  it('forgets the least recently used plans beyond its limits', () => {
    const memo = new PlanMemo<string>({ entriesMax: 2, bytesMax: 1_000_000 });
    memo.set('a', 'plan a');
    memo.set('b', 'plan b');
    assert.equal(memo.get('a'), 'plan a');
    memo.set('c', 'plan c');
    assert.equal(memo.get('b'), undefined);
    assert.equal(memo.get('a'), 'plan a');
    assert.equal(memo.get('c'), 'plan c');
    const small = new PlanMemo<string>({ entriesMax: 10, bytesMax: 100 });
    small.set('x'.repeat(100), 'too big');
    assert.equal(small.size, 0);
  });
});
