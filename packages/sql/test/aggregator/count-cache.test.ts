/**
 * Row counts for the broadcast choice are kept between statements (`aggregator/count-cache.ts`)
 * until something is written: a spy on the leaves counts the COUNT(*) requests of the choice.
 * A repeated query counts nothing; INSERT, UPDATE, DELETE, TRUNCATE and LOAD DATA make it count
 * again. A count made stale behind the aggregator's back (rows written on the leaves directly)
 * changes at most the plan, never the answer. Expected rows come from a model of the tables
 * kept in the test.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { configureCopyCache } from '../../src/aggregator/copy-cache.js';

const JOIN =
  "SELECT a.tier, COUNT(*) AS n, SUM(f.qty) AS q FROM facts f, accounts a WHERE f.acct = a.acct_id AND a.name <> 'x' GROUP BY a.tier ORDER BY a.tier";

/** The broadcast choice's counts: `CAST(count(*) AS BIGINT) AS "n"` over one table. */
const COUNT_SQL = /^SELECT CAST\(count\(\*\) AS BIGINT\) AS "n" FROM /;

/** The test's model of the tables: facts [id, acct, qty], accounts by id → [name, tier]. */
const facts = new Map<number, readonly [number, number]>(
  Array.from({ length: 200 }, (_, id) => [id, [id % 13, id % 7]] as const),
);
const accounts = new Map<number, readonly [string, number]>(
  Array.from({ length: 10 }, (_, id) => [id, [`a${id}`, id % 3]] as const),
);

/** JOIN's rows computed from the model. */
function expected(): unknown[][] {
  const groups = new Map<number, [number, number]>();
  for (const [acct, qty] of facts.values()) {
    const account = accounts.get(acct);
    if (account === undefined || account[0] === 'x') continue;
    const group = groups.get(account[1]) ?? [0, 0];
    groups.set(account[1], [group[0] + 1, group[1] + qty]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([tier, [n, q]]) => [tier, n, String(q)]);
}

describe('cached row counts for the broadcast choice', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let counts = 0;

  /** The join's rows on 16 partitions (broadcast) and the requests it counted with. */
  async function join(): Promise<{ rows: unknown[][]; counted: number }> {
    const before = counts;
    const [rows] = await db.query<RowDataPacket[]>({ sql: JOIN, rowsAsArray: true });
    return { rows: rows as unknown[][], counted: counts - before };
  }

  async function fill(): Promise<void> {
    await db.query('CREATE DATABASE many PARTITIONS 16');
    await db.query('USE many');
    await db.query('CREATE TABLE facts (id INT PRIMARY KEY, acct INT, qty INT)');
    await db.query(
      'CREATE TABLE accounts (acct_id INT PRIMARY KEY, name VARCHAR(10), tier INT, SHARD KEY (acct_id))',
    );
    await db.query('INSERT INTO facts VALUES ?', [
      [...facts.entries()].map(([id, [acct, qty]]) => [id, acct, qty]),
    ]);
    await db.query('INSERT INTO accounts VALUES ?', [
      [...accounts.entries()].map(([id, [name, tier]]) => [id, name, tier]),
    ]);
  }

  /** Runs `write`, which the model follows with `model`, and checks the counts are taken again. */
  async function assertRecounts(
    write: string | (() => Promise<unknown>),
    model: () => void,
  ): Promise<void> {
    const first = await join();
    const second = await join();
    assert.equal(second.counted, 0, 'a repeated query reuses the counts');
    assert.deepEqual(second.rows, first.rows);
    await (typeof write === 'string' ? db.query(write) : write());
    model();
    const after = await join();
    assert.ok(after.counted > 0, 'the write made the cached counts stale');
    assert.deepEqual(after.rows, expected());
  }

  before(async () => {
    // Rows written on the leaves directly (below) are invisible to the aggregator's write
    // counter; copies kept between statements (copy-cache.ts) would answer from before them.
    configureCopyCache({ bytesMax: 0 });
    cluster = await startSqlCluster({ leaves: 2 });
    for (const server of cluster.leaves) {
      const leaf = server.leaf;
      const exec = leaf.exec.bind(leaf);
      leaf.exec = (requests) => {
        counts += requests.filter((request) => COUNT_SQL.test(request.sql)).length;
        return exec(requests);
      };
    }
    db = await cluster.connect();
    await fill();
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('counts once for repeated queries, with the right rows', async () => {
    const first = await join();
    assert.ok(first.counted > 0, 'the first run counts');
    assert.ok(first.rows.length > 0);
    assert.deepEqual(first.rows, expected());
    const second = await join();
    assert.equal(second.counted, 0);
    assert.deepEqual(second.rows, first.rows);
  });

  it('counts again after INSERT', async () => {
    await assertRecounts("INSERT INTO accounts VALUES (11, 'a11', 1), (12, 'a12', 2)", () => {
      accounts.set(11, ['a11', 1]).set(12, ['a12', 2]);
    });
  });

  it('counts again after UPDATE', async () => {
    await assertRecounts('UPDATE accounts SET tier = tier + 1 WHERE acct_id < 4', () => {
      for (const [id, [name, tier]] of accounts) if (id < 4) accounts.set(id, [name, tier + 1]);
    });
  });

  it('counts again after DELETE', async () => {
    await assertRecounts('DELETE FROM accounts WHERE acct_id = 11', () => accounts.delete(11));
  });

  it('counts again after a write inside a committed transaction', async () => {
    await assertRecounts(
      async () => {
        await db.query('BEGIN');
        await db.query('INSERT INTO facts VALUES (500, 3, 9), (501, 5, 1)');
        await db.query('COMMIT');
      },
      () => facts.set(500, [3, 9]).set(501, [5, 1]),
    );
  });

  it('counts again after LOAD DATA', async () => {
    await assertRecounts(
      () =>
        db.query({
          sql: "LOAD DATA LOCAL INFILE 'a.csv' INTO TABLE accounts FIELDS TERMINATED BY ','",
          infileStreamFactory: () => Readable.from([Buffer.from('14,b14,0\n15,b15,1\n')]),
        }),
      () => accounts.set(14, ['b14', 0]).set(15, ['b15', 1]),
    );
  });

  it('answers right on a count made stale behind its back', async () => {
    const cached = await join();
    assert.equal((await join()).counted, 0, 'the counts are cached');
    // Rows written on one partition of a leaf directly: the aggregator's write counter does not
    // move, so its cached counts say accounts is small while it now outgrows facts. A copy
    // reads every partition, so where the rows sit does not change the answer.
    const values = Array.from({ length: 400 }, (_, index) => `(${100 + index}, 'z', 2)`);
    const [server] = cluster.leaves;
    assert.ok(server !== undefined);
    const { partitions } = await server.leaf.info();
    const partition = partitions.find((ref) => ref.database === 'many');
    assert.ok(partition !== undefined);
    await server.leaf.exec([
      { partition, engine: 'column', sql: `INSERT INTO accounts VALUES ${values.join(', ')}` },
      { partition, engine: 'column', sql: 'INSERT INTO facts VALUES (600, 100, 4), (601, 101, 5)' },
    ]);
    facts.set(600, [100, 4]).set(601, [101, 5]);
    for (let index = 0; index < 400; index += 1) accounts.set(100 + index, ['z', 2]);
    const stale = await join();
    assert.equal(stale.counted, 0, 'the stale counts were used');
    assert.notDeepEqual(stale.rows, cached.rows);
    assert.deepEqual(stale.rows, expected());
  });

  it('counts again after TRUNCATE', async () => {
    await assertRecounts('TRUNCATE TABLE accounts', () => accounts.clear());
    assert.deepEqual((await join()).rows, []);
  });
});
