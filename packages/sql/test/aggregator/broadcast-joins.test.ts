/**
 * Broadcast joins: queries joining sharded tables off their shard keys, where the small side is
 * copied to every leaf. Each query runs on a database with PARTITIONS 1 and on one with
 * PARTITIONS 16 (where broadcast applies), and its rows must match; a spy on the leaves' broadcast
 * request checks which queries used a copy. Copies must be gone after every statement: after
 * success, after an error, after a killed client connection and after a lost leaf connection.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { connectLeaf } from '../../src/leaf/index.js';
import { configureCopyCache } from '../../src/aggregator/copy-cache.js';
import { onBroadcastCopy, startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

/** [query, whether the 16-partition run copies a table to the leaves]. */
const QUERIES: readonly (readonly [string, boolean])[] = [
  // Off-key join, filter on the small side, two-phase aggregation.
  [
    "SELECT a.tier, COUNT(*), SUM(f.amount) FROM facts f, accounts a WHERE f.acct = a.acct_id AND a.name <> 'a3' GROUP BY a.tier ORDER BY a.tier",
    true,
  ],
  // Several small tables; rows merged with ORDER BY and LIMIT.
  [
    'SELECT f.id, a.name, k.label FROM facts f JOIN accounts a ON a.acct_id = f.acct JOIN kinds k ON k.kind = f.kind WHERE f.qty > 3 ORDER BY f.id LIMIT 25',
    true,
  ],
  // Outer join with the small table on the inner side: safe to copy. NULL keys stay unmatched.
  [
    'SELECT f.id, a.name FROM facts f LEFT JOIN accounts a ON a.acct_id = f.acct ORDER BY f.id',
    true,
  ],
  // Duplicate join values on the small side multiply rows.
  [
    'SELECT t.tag, COUNT(*), COUNT(DISTINCT f.id) FROM facts f JOIN tags t ON t.acct_id = f.acct GROUP BY t.tag ORDER BY t.tag',
    true,
  ],
  // Small table preserved by an outer join: it must not be copied (each partition would emit it).
  [
    'SELECT a.acct_id, COUNT(f.id) FROM accounts a LEFT JOIN facts f ON f.acct = a.acct_id GROUP BY a.acct_id ORDER BY a.acct_id',
    false,
  ],
  // A correlated subquery on the copied table.
  [
    'SELECT f.id FROM facts f WHERE EXISTS (SELECT 1 FROM accounts a WHERE a.acct_id = f.acct AND a.tier = 2) ORDER BY f.id',
    true,
  ],
  // NULL-safe and IS NULL conditions over the copy.
  [
    'SELECT f.id, a.acct_id FROM facts f LEFT JOIN accounts a ON a.acct_id = f.acct WHERE a.acct_id IS NULL ORDER BY f.id',
    true,
  ],
  // A derived table: the copy joins the fragment inside it.
  [
    'SELECT x.tier, SUM(x.amount) FROM (SELECT a.tier, f.amount FROM facts f, accounts a, kinds k WHERE f.acct = a.acct_id AND f.kind = k.kind) AS x GROUP BY x.tier ORDER BY x.tier',
    true,
  ],
  // The same small table twice (self-join of the copy).
  [
    'SELECT f.id, a1.name, a2.name FROM facts f, accounts a1, accounts a2 WHERE a1.acct_id = f.acct AND a2.acct_id = f.qty ORDER BY f.id',
    true,
  ],
];

async function fill(db: Connection, database: string, partitions: number): Promise<void> {
  await db.query(`CREATE DATABASE ${database} PARTITIONS ${partitions}`);
  await db.query(`USE ${database}`);
  await db.query(
    'CREATE TABLE facts (id INT PRIMARY KEY, acct INT, kind INT, qty INT, amount DECIMAL(10,2))',
  );
  await db.query(
    'CREATE TABLE accounts (acct_id INT PRIMARY KEY, name VARCHAR(10), tier INT, SHARD KEY (acct_id))',
  );
  await db.query('CREATE TABLE kinds (kind INT PRIMARY KEY, label VARCHAR(10))');
  await db.query('CREATE TABLE tags (tag_id INT PRIMARY KEY, acct_id INT, tag VARCHAR(10))');
  let seed = 7;
  const next = (limit: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor((seed / 2147483648) * limit);
  };
  const facts = Array.from({ length: 300 }, (_, id) => [
    id,
    id % 11 === 0 ? null : next(14),
    next(6),
    next(10),
    (next(10000) / 100).toFixed(2),
  ]);
  await db.query('INSERT INTO facts VALUES ?', [facts]);
  await db.query('INSERT INTO accounts VALUES ?', [
    Array.from({ length: 12 }, (_, id) => [id, `a${id % 5}`, id % 3]),
  ]);
  await db.query("INSERT INTO kinds VALUES (0,'k0'),(1,'k1'),(2,'k1'),(3,'k3'),(4,NULL)");
  await db.query('INSERT INTO tags VALUES ?', [
    Array.from({ length: 20 }, (_, id) => [id, id % 7 === 0 ? null : id % 6, `t${id % 3}`]),
  ]);
}

describe('broadcast joins', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let copies = 0;

  const leftovers = (): string[] =>
    cluster.leaves.flatMap((server) => server.leaf.broadcastTables());

  /** Copies are dropped after the answer is sent; wait (bounded) until they are gone. */
  async function assertNoLeftovers(): Promise<void> {
    for (let attempt = 0; attempt < 200 && leftovers().length > 0; attempt += 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(leftovers(), []);
  }

  before(async () => {
    // Each statement's own copies are checked here (made, then dropped); copies kept between
    // statements are checked in copy-cache.test.ts.
    configureCopyCache({ bytesMax: 0 });
    cluster = await startSqlCluster({ leaves: 2 });
    onBroadcastCopy(cluster, () => {
      copies += 1;
    });
    db = await cluster.connect();
    await fill(db, 'one', 1);
    await fill(db, 'many', 16);
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const [query, broadcast] of QUERIES) {
    it(query, async () => {
      await db.query('USE one');
      const [single] = await db.query<RowDataPacket[]>({ sql: query, rowsAsArray: true });
      await db.query('USE many');
      const before = copies;
      const [spread] = await db.query<RowDataPacket[]>({ sql: query, rowsAsArray: true });
      assert.ok(single.length > 0, 'the query returns rows');
      assert.deepEqual(spread, single);
      assert.equal(copies > before, broadcast, 'whether a table was copied to the leaves');
      await assertNoLeftovers();
    });
  }

  it('keeps the other plans inside an explicit transaction', async () => {
    await db.query('USE many');
    const before = copies;
    await db.query('BEGIN');
    const [rows] = await db.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM facts f, accounts a WHERE f.acct = a.acct_id',
    );
    await db.query('COMMIT');
    assert.equal(copies, before);
    assert.ok(Number(rows[0]?.['n']) > 0);
  });

  it('drops the copies after an error', async () => {
    await db.query('USE many');
    const before = copies;
    await assert.rejects(
      db.query(
        // The failing conjunct names both tables: it runs on the partitions, after the copy.
        'SELECT f.id FROM facts f, accounts a WHERE f.acct = a.acct_id AND f.id * 9223372036854775807 * LENGTH(a.name) > 0',
      ),
    );
    assert.ok(copies > before, 'the failing query used a copy');
    await assertNoLeftovers();
    // The connection stays usable.
    const [rows] = await db.query<RowDataPacket[]>('SELECT 1 AS one');
    assert.equal(rows[0]?.['one'], 1);
  });

  it('drops the copies after the client connection is killed mid-statement', async () => {
    const client = await cluster.connect('many');
    const before = copies;
    // A destroyed mysql2 connection may leave the query's promise pending: not awaited.
    void client
      .query(
        'SELECT f.id, a.name, k.label FROM facts f JOIN accounts a ON a.acct_id = f.acct JOIN kinds k ON k.kind = f.kind',
      )
      .catch(() => undefined);
    // Kill the connection once the statement is under way (its copies are being created).
    for (let attempt = 0; attempt < 5000 && copies === before; attempt += 1)
      await new Promise((resolve) => setTimeout(resolve, 1));
    client.destroy();
    assert.ok(copies > before, 'the statement created copies');
    await assertNoLeftovers();
  });

  it('drops the copies of a leaf connection that closes', async () => {
    const server = cluster.leaves[0];
    assert.ok(server !== undefined);
    const client = await connectLeaf({ host: '127.0.0.1', port: server.port });
    await client.createBroadcast({
      name: 'exo_bc_test_1',
      columns: [
        { name: 'k', engineType: 'INTEGER' },
        { name: 'v', engineType: 'VARCHAR' },
      ],
      rows: [
        [1, 'x'],
        [null, 'y'],
      ],
    });
    assert.deepEqual(server.leaf.broadcastTables(), ['exo_bc_test_1']);
    const [rows] = await server.leaf.exec([
      {
        partition: { database: 'many', ordinal: -1 },
        engine: 'column',
        sql: 'SELECT COUNT(*) FROM exo_broadcast.main.exo_bc_test_1',
      },
    ]);
    assert.equal(Number(rows?.rows[0]?.[0]), 2);
    await assert.rejects(client.createBroadcast({ name: 'bad name', columns: [], rows: [] }), {
      errno: 1210,
    });
    await client.close();
    await assertNoLeftovers();
  });
});
