/**
 * Crashes while the aggregator keeps running, with real processes killed by SIGKILL:
 * - a leaf dies after it prepared and before it committed: the transaction is committed (the
 *   decision was durable, so COMMIT succeeds), and the restarted leaf finishes its part before
 *   it serves anything else — reads see every row, writes are not blocked by its locks;
 * - an aggregator dies inside an open transaction: the leaves roll back what it wrote, so the
 *   next aggregator's writes to the same rows do not wait for locks nobody will release;
 * - the only leaf of a transaction that wrote to several of its partitions dies after the
 *   first partition committed: that leaf decided the commit itself (no decision of the
 *   aggregator's), and its restart commits the other partitions.
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

async function ids(db: Connection, table: string): Promise<number[]> {
  const [rows] = await db.query<RowDataPacket[]>(`SELECT id FROM ${table} ORDER BY id`);
  return rows.map((row) => Number(row.id));
}

const EIGHT = [1, 2, 3, 4, 5, 6, 7, 8];
const VALUES = EIGHT.map((id) => `(${id}, 'v${id}')`).join(', ');

describe('leaf and aggregator crashes under a running aggregator', () => {
  let home: string;
  const processes: SqlProcess[] = [];

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'exo-sql-restart-'));
  });

  after(async () => {
    for (const process of processes) await process.kill();
    await rm(home, { recursive: true, force: true });
  });

  it('finishes a committed transaction on a leaf that died before committing its part', async () => {
    const leaf0 = await startSqlProcess(['leaf', join(home, 'a', 'leaf0')]);
    const leaf1Dir = join(home, 'a', 'leaf1');
    const leaf1 = await startSqlProcess(['leaf', leaf1Dir], {
      EXO_SQL_FAILPOINT: 'leaf-before-commit',
    });
    processes.push(leaf0, leaf1);
    const aggregator = await startSqlProcess([
      'aggregator',
      join(home, 'a', 'aggregator'),
      '0',
      String(leaf0.port),
      String(leaf1.port),
    ]);
    processes.push(aggregator);
    const db = await connect(aggregator.port);
    await db.query('CREATE DATABASE a PARTITIONS 4');
    await db.query('USE a');
    await db.query('CREATE ROWSTORE TABLE r (id INT PRIMARY KEY, v VARCHAR(10))');
    await db.query('CREATE TABLE c (id INT PRIMARY KEY, v VARCHAR(10))');
    await db.query('BEGIN');
    await db.query(`INSERT INTO r VALUES ${VALUES}`);
    await db.query(`INSERT INTO c VALUES ${VALUES}`);
    // leaf1 kills itself when told to commit; the decision was logged before that.
    await db.query('COMMIT');
    await leaf1.kill();
    const restarted = await startSqlProcess(['leaf', leaf1Dir, String(leaf1.port)]);
    processes.push(restarted);
    assert.deepEqual(await ids(db, 'r'), EIGHT, 'rowstore rows of both leaves');
    assert.deepEqual(await ids(db, 'c'), EIGHT, 'columnstore rows of both leaves');
    // The restarted leaf's locks on those partitions are gone.
    await db.query('SET SESSION innodb_lock_wait_timeout = 2');
    await db.query("UPDATE r SET v = 'w' WHERE id IN (1, 2, 3, 4)");
    await db.query('DELETE FROM c WHERE id > 4');
    assert.deepEqual(await ids(db, 'c'), [1, 2, 3, 4]);
    await db.end();
  });

  it('rolls back what an aggregator that died wrote in an open transaction', async () => {
    const leaves = [
      await startSqlProcess(['leaf', join(home, 'b', 'leaf0')]),
      await startSqlProcess(['leaf', join(home, 'b', 'leaf1')]),
    ];
    processes.push(...leaves);
    const aggregatorHome = join(home, 'b', 'aggregator');
    const leafPorts = leaves.map((leaf) => String(leaf.port));
    const first = await startSqlProcess(['aggregator', aggregatorHome, '0', ...leafPorts]);
    processes.push(first);
    const db = await connect(first.port);
    await db.query('CREATE DATABASE b PARTITIONS 4');
    await db.query('CREATE ROWSTORE TABLE b.r (id INT PRIMARY KEY, v VARCHAR(10))');
    await db.query('BEGIN');
    await db.query(`INSERT INTO b.r VALUES ${VALUES}`);
    await first.kill();
    db.destroy();
    const second = await startSqlProcess(['aggregator', aggregatorHome, '0', ...leafPorts]);
    processes.push(second);
    const next = await connect(second.port, 'b');
    await next.query('SET SESSION innodb_lock_wait_timeout = 2');
    assert.deepEqual(await ids(next, 'r'), [], 'nothing of the open transaction is visible');
    // Before, the leaves kept that transaction open: these writes waited and failed with 1205.
    await next.query(`INSERT INTO r VALUES ${VALUES}`);
    assert.deepEqual(await ids(next, 'r'), EIGHT);
    await next.end();
  });

  it('finishes on restart a one-leaf commit cut short between two partitions', async () => {
    const leafDir = join(home, 'c', 'leaf');
    const leaf = await startSqlProcess(['leaf', leafDir], {
      EXO_SQL_FAILPOINT: 'leaf-after-part-commit',
    });
    processes.push(leaf);
    const aggregator = await startSqlProcess([
      'aggregator',
      join(home, 'c', 'aggregator'),
      '0',
      String(leaf.port),
    ]);
    processes.push(aggregator);
    const db = await connect(aggregator.port);
    await db.query('CREATE DATABASE c PARTITIONS 4');
    await db.query('USE c');
    await db.query('CREATE ROWSTORE TABLE r (id INT PRIMARY KEY, v VARCHAR(10))');
    await db.query('CREATE TABLE k (id INT PRIMARY KEY, v VARCHAR(10))');
    await db.query('BEGIN');
    await db.query(`INSERT INTO r VALUES ${VALUES}`);
    await db.query(`INSERT INTO k VALUES ${VALUES}`);
    // The leaf kills itself once its first partition engine committed. The aggregator logged
    // no decision (the leaf decides a transaction that is all its own), so the COMMIT fails.
    await assert.rejects(db.query('COMMIT'));
    db.destroy();
    await leaf.kill();
    const restarted = await startSqlProcess(['leaf', leafDir, String(leaf.port)]);
    processes.push(restarted);
    const next = await connect(aggregator.port, 'c');
    assert.deepEqual(await ids(next, 'r'), EIGHT, 'every rowstore partition committed');
    assert.deepEqual(await ids(next, 'k'), EIGHT, 'every columnstore partition committed');
    await next.query('SET SESSION innodb_lock_wait_timeout = 2');
    await next.query("UPDATE r SET v = 'w' WHERE id > 0");
    await next.end();
  });
});
