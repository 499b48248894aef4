/**
 * Durability and atomicity across crashes, with real processes killed by SIGKILL:
 * - the aggregator dies inside two-phase commit, before or after its decision is durable:
 *   after a restart the transaction is rolled back or committed on every partition, never half;
 * - a leaf is killed while clients write: every acknowledged row is there after the restart;
 * - the aggregator is killed while it commits clients' writes to a leaf's files itself.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { startSqlProcess, type SqlProcess } from '../support/processes.js';

function connect(port: number, database?: string): Promise<Connection> {
  return createConnection({
    host: '127.0.0.1',
    port,
    user: 'root',
    ...(database ? { database } : {}),
  });
}

async function count(port: number, database: string, table: string): Promise<number> {
  const db = await connect(port, database);
  try {
    const [rows] = await db.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table}`);
    return Number(rows[0]?.n);
  } finally {
    await db.end();
  }
}

describe('crash recovery', () => {
  let home: string;
  const processes: SqlProcess[] = [];

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'exo-sql-crash-'));
  });

  after(async () => {
    for (const process of processes) await process.kill();
    await rm(home, { recursive: true, force: true });
  });

  async function scenario(name: string, failpoint: string): Promise<{ restarted: number }> {
    const leaves = [
      await startSqlProcess(['leaf', join(home, name, 'leaf0')]),
      await startSqlProcess(['leaf', join(home, name, 'leaf1')]),
    ];
    processes.push(...leaves);
    const aggregatorHome = join(home, name, 'aggregator');
    const leafPorts = leaves.map((leaf) => String(leaf.port));
    const first = await startSqlProcess(['aggregator', aggregatorHome, '0', ...leafPorts], {
      EXO_SQL_FAILPOINT: failpoint,
    });
    processes.push(first);
    const db = await connect(first.port);
    await db.query('CREATE DATABASE crash PARTITIONS 4');
    await db.query('CREATE TABLE crash.t (id INT PRIMARY KEY, v VARCHAR(10))');
    await db.query('BEGIN');
    await db.query(
      "INSERT INTO crash.t VALUES (1,'a'),(2,'b'),(3,'c'),(4,'d'),(5,'e'),(6,'f'),(7,'g'),(8,'h')",
    );
    await assert.rejects(db.query('COMMIT'), 'the aggregator dies during COMMIT');
    db.destroy();
    await first.kill();
    const second = await startSqlProcess(['aggregator', aggregatorHome, '0', ...leafPorts]);
    processes.push(second);
    return { restarted: second.port };
  }

  it('rolls back a transaction whose commit decision was not yet durable', async () => {
    const { restarted } = await scenario('before', 'before-decision');
    assert.equal(await count(restarted, 'crash', 't'), 0);
  });

  it('completes a transaction whose commit decision was durable', async () => {
    const { restarted } = await scenario('after', 'after-decision');
    assert.equal(await count(restarted, 'crash', 't'), 8);
  });

  it('keeps every acknowledged write when a leaf is killed mid-stream', async () => {
    const leafDir = join(home, 'writes', 'leaf');
    let leaf = await startSqlProcess(['leaf', leafDir]);
    processes.push(leaf);
    const aggregator = await startSqlProcess([
      'aggregator',
      join(home, 'writes', 'aggregator'),
      '0',
      String(leaf.port),
    ]);
    processes.push(aggregator);
    const setup = await connect(aggregator.port);
    await setup.query('CREATE DATABASE w PARTITIONS 2');
    await setup.query('CREATE ROWSTORE TABLE w.r (id INT PRIMARY KEY)');
    await setup.query('CREATE TABLE w.c (id INT PRIMARY KEY)');
    await setup.end();
    const acknowledged: number[] = [];
    const writers = [0, 1].map(async (writer) => {
      const db = await connect(aggregator.port, 'w');
      try {
        for (let id = writer; id < 100000; id += 2) {
          await db.query(`INSERT INTO ${writer === 0 ? 'r' : 'c'} VALUES (?)`, [id]);
          acknowledged.push(id);
        }
      } catch {
        // The leaf died under this writer: what was acknowledged before is what counts.
      } finally {
        db.destroy();
      }
    });
    while (acknowledged.length < 200) await new Promise((resolve) => setTimeout(resolve, 20));
    await leaf.kill();
    await Promise.all(writers);
    leaf = await startSqlProcess(['leaf', leafDir, String(leaf.port)]);
    processes.push(leaf);
    const db = await connect(aggregator.port, 'w');
    const [rows] = await db.query<RowDataPacket[]>('SELECT id FROM r UNION ALL SELECT id FROM c');
    await db.end();
    const stored = new Set(rows.map((row) => Number(row.id)));
    const lost = acknowledged.filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], `${acknowledged.length} acknowledged writes survive`);
  });

  it('keeps every acknowledged write the aggregator made to a leaf file when it is killed mid-stream', async () => {
    const leaf = await startSqlProcess(['leaf', join(home, 'local', 'leaf')]);
    processes.push(leaf);
    const aggregatorHome = join(home, 'local', 'aggregator');
    const first = await startSqlProcess(['aggregator', aggregatorHome, '0', String(leaf.port)]);
    processes.push(first);
    const setup = await connect(first.port);
    await setup.query('CREATE DATABASE lw PARTITIONS 2');
    await setup.query('CREATE ROWSTORE TABLE lw.r (id INT PRIMARY KEY, n INT NOT NULL)');
    await setup.end();
    // Upserts and single-row inserts of a rowstore table on a leaf of the aggregator's host are
    // committed by the aggregator to the partition files (aggregator/local-writes.ts).
    const acknowledged = new Map<number, number>();
    const writers = [0, 1].map(async (writer) => {
      const db = await connect(first.port, 'lw');
      try {
        for (let round = 0; round < 100000; round += 1) {
          const id = writer + 2 * (round % 50);
          await db.execute('INSERT INTO r VALUES (?, 1) ON DUPLICATE KEY UPDATE n = n + 1', [id]);
          acknowledged.set(id, (acknowledged.get(id) ?? 0) + 1);
        }
      } catch {
        // The aggregator died under this writer: what was acknowledged before is what counts.
      } finally {
        db.destroy();
      }
    });
    const watcher = await connect(first.port);
    let local = 0;
    while (local < 500) {
      const [status] = await watcher.query<RowDataPacket[]>("SHOW STATUS LIKE 'Exo_local_writes'");
      local = Number(status[0]?.Value);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    watcher.destroy();
    await first.kill();
    await Promise.all(writers);
    const second = await startSqlProcess(['aggregator', aggregatorHome, '0', String(leaf.port)]);
    processes.push(second);
    const db = await connect(second.port, 'lw');
    const [rows] = await db.query<RowDataPacket[]>('SELECT id, n FROM r');
    await db.end();
    const stored = new Map(rows.map((row) => [Number(row.id), Number(row.n)]));
    // Each acknowledged upsert is there; one in flight at the kill may be too (never acknowledged).
    for (const [id, times] of acknowledged) {
      const n = stored.get(id) ?? 0;
      assert.ok(n === times || n === times + 1, `row ${id}: ${times} acknowledged, ${n} stored`);
    }
  });
});
