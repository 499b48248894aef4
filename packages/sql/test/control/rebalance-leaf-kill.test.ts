/**
 * A leaf killed with SIGKILL in the middle of a partition move — the source after freezing
 * and snapshotting the partition, the destination after receiving a chunk or after installing
 * the copy — with real leaf and aggregator processes. The REBALANCE fails; once the leaf is
 * back on its port, the data is what it was, the move can be made again, and every partition
 * is then live on exactly one leaf.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { startSqlProcess, type SqlProcess } from '../support/processes.js';

const PARTITIONS = 4;
const QUERIES = [
  'SELECT COUNT(*) AS n, SUM(v) AS s FROM c',
  'SELECT k, COUNT(*) AS n FROM c GROUP BY k ORDER BY k',
  'SELECT id, v FROM r ORDER BY id',
];

function connect(port: number, database?: string): Promise<Connection> {
  return createConnection({
    host: '127.0.0.1',
    port,
    user: 'root',
    ...(database !== undefined ? { database } : {}),
    supportBigNumbers: true,
  });
}

async function snapshot(db: Connection): Promise<string> {
  const results: unknown[] = [];
  for (const sql of QUERIES) results.push((await db.query<RowDataPacket[]>(sql))[0]);
  return JSON.stringify(results);
}

/** The snapshot once every partition answers again (the aggregator reconnects by itself). */
async function snapshotWhenBack(db: Connection): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await snapshot(db);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function exited(process: SqlProcess): Promise<void> {
  const { child } = process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the leaf did not stop at its failpoint')),
      10_000,
    );
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The leaves (by data folder) holding each partition ordinal of database `moved`. */
function holders(leafDirs: readonly string[]): number[][] {
  return Array.from({ length: PARTITIONS }, (_, ordinal) =>
    leafDirs.flatMap((dir, index) =>
      existsSync(join(dir, 'moved', String(ordinal))) ? [index] : [],
    ),
  );
}

describe('REBALANCE PARTITIONS with a leaf killed mid-move', () => {
  let home: string;
  const processes: SqlProcess[] = [];

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'exo-sql-rebalance-kill-'));
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

  for (const { failpoint, victim } of [
    { failpoint: 'leaf-after-freeze', victim: 0 },
    { failpoint: 'leaf-after-chunk', victim: 1 },
    { failpoint: 'leaf-after-install', victim: 1 },
  ]) {
    it(`keeps the data and can move again (${failpoint} on the ${victim === 0 ? 'source' : 'destination'})`, async () => {
      const leafDirs = [join(home, `${failpoint}-0`), join(home, `${failpoint}-1`)];
      const env = (index: number): NodeJS.ProcessEnv =>
        index === victim ? { EXO_SQL_FAILPOINT: failpoint } : {};
      const leaf0 = await start(['leaf', leafDirs[0]!, '0'], env(0));
      const aggregator = await start([
        'aggregator',
        join(home, `${failpoint}-agg`),
        '0',
        String(leaf0.port),
      ]);
      const db = await connect(aggregator.port);
      db.on('error', () => undefined);
      await db.query(`CREATE DATABASE moved PARTITIONS ${PARTITIONS}`);
      await db.query('USE moved');
      await db.query('CREATE TABLE c (id INT PRIMARY KEY, k INT, v BIGINT)');
      await db.query('CREATE ROWSTORE TABLE r (id INT PRIMARY KEY, v INT)');
      const rows = Array.from({ length: 3000 }, (_, id) => `(${id}, ${id % 5}, ${id * 7})`);
      await db.query(`INSERT INTO c VALUES ${rows.join(',')}`);
      const rowstore = Array.from({ length: 400 }, (_, id) => `(${id}, ${id * 3})`);
      await db.query(`INSERT INTO r VALUES ${rowstore.join(',')}`);
      const before = await snapshot(db);

      const leaf1 = await start(['leaf', leafDirs[1]!, '0'], env(1));
      await db.query(`ADD LEAF root@'127.0.0.1':${leaf1.port}`);
      await assert.rejects(db.query('REBALANCE PARTITIONS ON moved'));
      const dead = victim === 0 ? leaf0 : leaf1;
      // The leaf killed itself at its failpoint (it was never sent a signal).
      await exited(dead);
      assert.equal(dead.child.signalCode, 'SIGKILL');
      await start(['leaf', leafDirs[victim]!, String(dead.port)]);

      assert.equal(await snapshotWhenBack(db), before);
      await db.query('REBALANCE PARTITIONS ON moved');
      assert.equal(await snapshot(db), before);
      const spread = holders(leafDirs);
      assert.ok(
        spread.every((leaves) => leaves.length === 1),
        `partitions held by ${JSON.stringify(spread)}`,
      );
      assert.equal(spread.filter((leaves) => leaves[0] === 1).length, PARTITIONS / 2);
      // Both leaves take writes again.
      const extra = Array.from({ length: 40 }, (_, index) => `(${10_000 + index}, 9, 1)`);
      await db.query(`INSERT INTO c VALUES ${extra.join(',')}`);
      const [counted] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM c WHERE k = 9');
      assert.equal(Number(counted[0]?.n), 40);
      await db.end();
    });
  }
});
