/**
 * REBALANCE PARTITIONS and REMOVE LEAF with real leaf processes: the data is identical before
 * and after the moves, writes made during a rebalance are all there, and a kill -9 of the
 * aggregator at each step of a move leaves every partition live on exactly one leaf.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { startSqlProcess, type SqlProcess } from '../support/processes.js';

const PARTITIONS = 6;
const QUERIES = [
  'SELECT COUNT(*) AS n, SUM(v) AS s FROM c',
  'SELECT k, COUNT(*) AS n FROM c GROUP BY k ORDER BY k',
  'SELECT id, v FROM r ORDER BY id',
  'SELECT c.k, SUM(r.v) AS s FROM c JOIN r ON c.id = r.id GROUP BY c.k ORDER BY c.k',
  'SELECT name FROM ref ORDER BY name',
];

function connect(port: number, database?: string): Promise<Connection> {
  return createConnection({
    host: '127.0.0.1',
    port,
    user: 'root',
    ...(database !== undefined ? { database } : {}),
    supportBigNumbers: true,
    decimalNumbers: false,
  });
}

async function snapshot(db: Connection): Promise<string> {
  const results: unknown[] = [];
  for (const sql of QUERIES) results.push((await db.query<RowDataPacket[]>(sql))[0]);
  return JSON.stringify(results);
}

/** The leaves (by data folder) holding each partition ordinal of database `reb`. */
function holders(leafDirs: readonly string[]): number[][] {
  return Array.from({ length: PARTITIONS }, (_, ordinal) =>
    leafDirs.flatMap((dir, index) =>
      existsSync(join(dir, 'reb', String(ordinal))) ? [index] : [],
    ),
  );
}

async function fill(db: Connection): Promise<void> {
  await db.query('CREATE TABLE c (id INT PRIMARY KEY, k INT, v BIGINT)');
  await db.query('CREATE ROWSTORE TABLE r (id INT PRIMARY KEY, v INT)');
  await db.query('CREATE REFERENCE TABLE ref (name VARCHAR(20) PRIMARY KEY)');
  const rows = Array.from({ length: 2000 }, (_, id) => `(${id}, ${id % 7}, ${id * 3})`);
  await db.query(`INSERT INTO c VALUES ${rows.join(',')}`);
  const rowstore = Array.from({ length: 500 }, (_, id) => `(${id}, ${id * 2})`);
  await db.query(`INSERT INTO r VALUES ${rowstore.join(',')}`);
  await db.query("INSERT INTO ref VALUES ('a'), ('b'), ('c')");
}

describe('REBALANCE PARTITIONS', () => {
  let home: string;
  const processes: SqlProcess[] = [];

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'exo-sql-rebalance-'));
  });

  after(async () => {
    for (const child of processes) await child.kill();
    await rm(home, { recursive: true, force: true });
  });

  async function start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<SqlProcess> {
    const child = await startSqlProcess(args, env);
    processes.push(child);
    return child;
  }

  it('spreads partitions over a new leaf, keeps data and concurrent writes; REMOVE LEAF moves them back', async () => {
    const leafDirs = [join(home, 'a-leaf0'), join(home, 'a-leaf1')];
    const leaf0 = await start(['leaf', leafDirs[0]!]);
    const aggregator = await start(['aggregator', join(home, 'a-agg'), '0', String(leaf0.port)]);
    const setup = await connect(aggregator.port);
    await setup.query(`CREATE DATABASE reb PARTITIONS ${PARTITIONS}`);
    await setup.end();
    const db = await connect(aggregator.port, 'reb');
    await fill(db);
    const before = await snapshot(db);
    assert.deepEqual(
      holders(leafDirs),
      Array.from({ length: PARTITIONS }, () => [0]),
    );

    const leaf1 = await start(['leaf', leafDirs[1]!]);
    await db.query(`ADD LEAF root@'127.0.0.1':${leaf1.port}`);
    const [plan] = await db.query<RowDataPacket[]>('EXPLAIN REBALANCE PARTITIONS ON reb');
    assert.equal(plan.length, PARTITIONS / 2);

    // Writes keep coming while partitions move; every acknowledged one must be there after.
    // The rowstore ones may be committed by the aggregator to its host's leaf files
    // (local-writes.ts) between the moves.
    const writers = [await connect(aggregator.port, 'reb'), await connect(aggregator.port, 'reb')];
    const written = { c: 0, r: 0 };
    let writing = true;
    const writes = (['c', 'r'] as const).map(async (table, index) => {
      for (let id = 10_000; writing; id += 1) {
        const sql =
          table === 'c' ? 'INSERT INTO c VALUES (?, ?, 1)' : 'INSERT INTO r VALUES (?, ?)';
        await writers[index]!.query(sql, [id, 100]);
        written[table] += 1;
      }
    });
    await db.query('REBALANCE PARTITIONS ON reb');
    writing = false;
    await Promise.all(writes);
    for (const writer of writers) await writer.end();
    assert.ok(written.c > 0 && written.r > 0);

    const [counted] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM c WHERE k = 100');
    assert.equal(Number(counted[0]?.n), written.c);
    const [rowstore] = await db.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM r WHERE id >= 10000',
    );
    assert.equal(Number(rowstore[0]?.n), written.r);
    await db.query('DELETE FROM c WHERE k = 100');
    await db.query('DELETE FROM r WHERE id >= 10000');
    assert.equal(await snapshot(db), before);
    const spread = holders(leafDirs);
    assert.ok(spread.every((leaves) => leaves.length === 1));
    assert.equal(spread.filter((leaves) => leaves[0] === 1).length, PARTITIONS / 2);
    const [again] = await db.query<RowDataPacket[]>('EXPLAIN REBALANCE PARTITIONS');
    assert.equal(again.length, 0);

    await db.query(`REMOVE LEAF '127.0.0.1':${leaf0.port}`);
    assert.equal(await snapshot(db), before);
    assert.deepEqual(
      holders(leafDirs),
      Array.from({ length: PARTITIONS }, () => [1]),
    );
    await db.end();
  });

  for (const failpoint of [
    'rebalance-during-copy',
    'rebalance-before-switch',
    'rebalance-after-switch',
  ]) {
    it(`keeps each partition live on exactly one leaf after a kill -9 (${failpoint})`, async () => {
      const leafDirs = [join(home, `${failpoint}-0`), join(home, `${failpoint}-1`)];
      const leaf0 = await start(['leaf', leafDirs[0]!]);
      const aggregatorHome = join(home, `${failpoint}-agg`);
      const first = await start(['aggregator', aggregatorHome, '0', String(leaf0.port)], {
        EXO_SQL_FAILPOINT: failpoint,
      });
      const setup = await connect(first.port);
      await setup.query(`CREATE DATABASE reb PARTITIONS ${PARTITIONS}`);
      await setup.end();
      const db = await connect(first.port, 'reb');
      await fill(db);
      const before = await snapshot(db);
      const leaf1 = await start(['leaf', leafDirs[1]!]);
      await db.query(`ADD LEAF root@'127.0.0.1':${leaf1.port}`);
      db.on('error', () => undefined);
      await assert.rejects(db.query('REBALANCE PARTITIONS ON reb'));
      await first.kill();

      const second = await start([
        'aggregator',
        aggregatorHome,
        '0',
        String(leaf0.port),
        String(leaf1.port),
      ]);
      const restarted = await connect(second.port, 'reb');
      assert.equal(await snapshot(restarted), before);
      assert.ok(holders(leafDirs).every((leaves) => leaves.length === 1));
      // The move can be made again, and the data stays the same.
      await restarted.query('REBALANCE PARTITIONS ON reb');
      assert.equal(await snapshot(restarted), before);
      assert.ok(holders(leafDirs).every((leaves) => leaves.length === 1));
      await restarted.end();
    });
  }
});
