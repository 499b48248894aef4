/**
 * Broadcast copies kept between statements (`aggregator/copy-cache.ts`): a spy on the leaves'
 * broadcast requests counts the copies made. A repeated query, and the nested plans of one
 * statement, copy nothing more; every kind of write (INSERT, UPDATE, DELETE, REPLACE, LOAD DATA,
 * TRUNCATE, ALTER, DROP and CREATE, a committed transaction) makes the next query copy again.
 * Each query runs on a database of 16 partitions (copies) and on one of 1 partition (no copies)
 * holding the same rows, written by the same statements, and the answers must match. A
 * transaction reads its own writes, and filters that are not functions of the table alone are
 * never kept.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { configureCopyCache } from '../../src/aggregator/copy-cache.js';
import { onBroadcastCopy, startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const JOIN =
  "SELECT a.tier, COUNT(*) AS n, SUM(f.qty) AS q FROM facts f, accounts a WHERE f.acct = a.acct_id AND a.name <> 'x' GROUP BY a.tier ORDER BY a.tier";

/** A scalar sub-plan and its outer query, both joining accounts under the same filter. */
const NESTED =
  'SELECT f.acct, SUM(f.qty) AS q FROM facts f, accounts a WHERE f.acct = a.acct_id AND a.tier = 1 GROUP BY f.acct HAVING SUM(f.qty) > (SELECT SUM(f.qty) / 20 FROM facts f, accounts a WHERE f.acct = a.acct_id AND a.tier = 1) ORDER BY f.acct';

const DATABASES = ['one', 'many'] as const;

describe('broadcast copies kept between statements', () => {
  let cluster: SqlCluster;
  let db: Connection;
  /** Names of the copies created, one entry per leaf. */
  const made: string[] = [];

  async function rowsOf(database: string, sql: string): Promise<unknown[][]> {
    await db.query(`USE ${database}`);
    const [rows] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return rows as unknown[][];
  }

  /** `sql` on 16 partitions, with the copies it made; its rows must match 1 partition's. */
  async function run(sql: string = JOIN): Promise<{ rows: unknown[][]; copies: string[] }> {
    const expected = await rowsOf('one', sql);
    const before = made.length;
    const rows = await rowsOf('many', sql);
    assert.deepEqual(rows, expected, 'the same rows on 1 and on 16 partitions');
    return { rows, copies: made.slice(before) };
  }

  /** Runs `write` on both databases. */
  async function writeBoth(write: string | ((database: string) => Promise<unknown>)) {
    for (const database of DATABASES) {
      await db.query(`USE ${database}`);
      await (typeof write === 'string' ? db.query(write) : write(database));
    }
  }

  /** A repeated query copies nothing; after `write` the next one copies again. */
  async function assertInvalidates(
    write: string | ((database: string) => Promise<unknown>),
    expect: { readonly changes?: boolean; readonly copies?: boolean } = {},
  ): Promise<void> {
    const first = await run();
    const second = await run();
    assert.deepEqual(second.copies, [], 'a repeated query reads the kept copies');
    await writeBoth(write);
    const after = await run();
    if (expect.copies !== false)
      assert.ok(after.copies.length > 0, 'the write made the kept copies stale');
    if (expect.changes !== false)
      assert.notDeepEqual(after.rows, first.rows, 'the write changed the answer');
  }

  async function fill(): Promise<void> {
    for (const [database, partitions] of [
      ['one', 1],
      ['many', 16],
    ] as const) {
      await db.query(`CREATE DATABASE ${database} PARTITIONS ${partitions}`);
      await db.query(`USE ${database}`);
      await db.query('CREATE TABLE facts (id INT PRIMARY KEY, acct INT, qty INT)');
      await db.query(
        'CREATE TABLE accounts (acct_id INT PRIMARY KEY, name VARCHAR(10), tier INT, SHARD KEY (acct_id))',
      );
      await db.query('INSERT INTO facts VALUES ?', [
        Array.from({ length: 300 }, (_, id) => [id, id % 13, id % 7]),
      ]);
      await db.query('INSERT INTO accounts VALUES ?', [
        Array.from({ length: 10 }, (_, id) => [id, `a${id}`, id % 3]),
      ]);
    }
  }

  before(async () => {
    configureCopyCache();
    cluster = await startSqlCluster({ leaves: 2 });
    onBroadcastCopy(cluster, (request) => made.push(request.name));
    db = await cluster.connect();
    await fill();
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('copies once for repeated queries, and keeps the copies on the leaves', async () => {
    const first = await run();
    assert.ok(first.rows.length > 0);
    assert.ok(first.copies.length > 0, 'the first run copies');
    const second = await run();
    assert.deepEqual(second.copies, []);
    const kept = cluster.leaves.flatMap((server) => server.leaf.broadcastTables());
    assert.ok(kept.length > 0, 'the copies outlive the statement');
  });

  it('copies once for the nested plans of one statement', async () => {
    // A write first: the statement starts without kept copies.
    await writeBoth("INSERT INTO accounts VALUES (30, 'a30', 1)");
    const { rows, copies } = await run(NESTED);
    assert.ok(rows.length > 0);
    assert.equal(new Set(copies).size, 1, `one copy for both plans: ${copies.join(' ')}`);
  });

  it('copies again after INSERT', async () => {
    await assertInvalidates("INSERT INTO accounts VALUES (11, 'a11', 1), (12, 'a12', 2)");
  });

  it('copies again after UPDATE', async () => {
    await assertInvalidates('UPDATE accounts SET tier = tier + 1 WHERE acct_id < 4');
  });

  it('copies again after DELETE', async () => {
    await assertInvalidates('DELETE FROM accounts WHERE acct_id = 11');
  });

  it('copies again after REPLACE', async () => {
    await assertInvalidates("REPLACE INTO accounts VALUES (2, 'a2', 0)");
  });

  it('copies again after LOAD DATA', async () => {
    await assertInvalidates(() =>
      db.query({
        sql: "LOAD DATA LOCAL INFILE 'a.csv' INTO TABLE accounts FIELDS TERMINATED BY ','",
        infileStreamFactory: () => Readable.from([Buffer.from('11,b11,0\n')]),
      }),
    );
  });

  it('copies again after a committed transaction, and a transaction reads its own writes', async () => {
    await assertInvalidates(async (database) => {
      const before = await rowsOf(database, JOIN);
      await db.query('BEGIN');
      await db.query('UPDATE accounts SET tier = 7 WHERE acct_id = 5');
      const copies = made.length;
      const inside = await rowsOf(database, JOIN);
      assert.equal(made.length, copies, 'no copy inside a transaction');
      assert.notDeepEqual(inside, before, 'the transaction reads its own write');
      await db.query('COMMIT');
    });
  });

  it('reads the kept copies again after a rolled back transaction', async () => {
    const first = await run();
    await writeBoth(async () => {
      await db.query('BEGIN');
      await db.query("INSERT INTO accounts VALUES (40, 'a40', 2)");
      await db.query('ROLLBACK');
    });
    const after = await run();
    assert.deepEqual(after.rows, first.rows);
  });

  it('never keeps a copy filtered by a function', async () => {
    const sql =
      "SELECT COUNT(*) FROM facts f, accounts a WHERE f.acct = a.acct_id AND UPPER(a.name) <> 'X'";
    assert.ok((await run(sql)).copies.length > 0, 'the query copies');
    assert.ok((await run(sql)).copies.length > 0, 'the copy is made again');
  });

  it('copies again after ALTER TABLE', async () => {
    await assertInvalidates('ALTER TABLE accounts ADD COLUMN note VARCHAR(5)', {
      changes: false,
    });
  });

  it('copies again after TRUNCATE', async () => {
    // An empty table may not be copied at all; the answer shows no kept copy was read.
    await assertInvalidates('TRUNCATE TABLE accounts', { copies: false });
    assert.deepEqual((await run()).rows, []);
  });

  it('copies again after DROP TABLE and CREATE TABLE', async () => {
    await assertInvalidates(async () => {
      await db.query('DROP TABLE accounts');
      await db.query(
        'CREATE TABLE accounts (acct_id INT PRIMARY KEY, name VARCHAR(10), tier INT, SHARD KEY (acct_id))',
      );
      await db.query("INSERT INTO accounts VALUES (1, 'b1', 5), (2, 'b2', 6)");
    });
  });
});
