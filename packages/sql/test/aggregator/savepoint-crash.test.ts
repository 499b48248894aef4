/**
 * A transaction that rolled back to a savepoint prepares exactly its kept writes: the
 * aggregator dies right after its commit decision, both leaves are killed with SIGKILL while
 * prepared, and after restarts the recovered transaction holds the kept rows and none of the
 * dropped ones, on rowstore and columnstore tables across 4 partitions.
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

describe('savepoints and crash recovery', () => {
  let home: string;
  const processes: SqlProcess[] = [];

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'exo-sql-savepoint-crash-'));
  });

  after(async () => {
    for (const process of processes) await process.kill();
    await rm(home, { recursive: true, force: true });
  });

  it('recovers exactly the writes kept by ROLLBACK TO SAVEPOINT', async () => {
    const leafDirs = [join(home, 'leaf0'), join(home, 'leaf1')];
    const leaves = await Promise.all(leafDirs.map((dir) => startSqlProcess(['leaf', dir])));
    processes.push(...leaves);
    const leafPorts = leaves.map((leaf) => String(leaf.port));
    const aggregatorHome = join(home, 'aggregator');
    const first = await startSqlProcess(['aggregator', aggregatorHome, '0', ...leafPorts], {
      EXO_SQL_FAILPOINT: 'after-decision',
    });
    processes.push(first);
    const db = await connect(first.port);
    await db.query('CREATE DATABASE kept PARTITIONS 4');
    await db.query('CREATE ROWSTORE TABLE kept.r (id INT PRIMARY KEY, v INT)');
    await db.query('CREATE TABLE kept.c (id INT PRIMARY KEY, v INT)');
    await db.query('BEGIN');
    for (const table of ['r', 'c'])
      await db.query(`INSERT INTO kept.${table} VALUES (1,1),(2,2),(3,3),(4,4),(5,5),(6,6)`);
    await db.query('SAVEPOINT s');
    for (const table of ['r', 'c']) {
      await db.query(`INSERT INTO kept.${table} VALUES (11,11),(12,12),(13,13),(14,14)`);
      await db.query(`UPDATE kept.${table} SET v = v * 10`);
    }
    await db.query('ROLLBACK TO SAVEPOINT s');
    for (const table of ['r', 'c']) await db.query(`INSERT INTO kept.${table} VALUES (21,21)`);
    await assert.rejects(db.query('COMMIT'), 'the aggregator dies after its decision');
    db.destroy();
    await first.kill();
    // Both leaves hold the transaction prepared (not committed): kill them too.
    for (const leaf of leaves) await leaf.kill();
    const restarted = await Promise.all(
      leafDirs.map((dir, index) => startSqlProcess(['leaf', dir, leafPorts[index] ?? '0'])),
    );
    processes.push(...restarted);
    const second = await startSqlProcess(['aggregator', aggregatorHome, '0', ...leafPorts]);
    processes.push(second);
    const check = await connect(second.port, 'kept');
    try {
      for (const table of ['r', 'c']) {
        const [rows] = await check.query<RowDataPacket[]>({
          sql: `SELECT id, v FROM ${table} ORDER BY id`,
          rowsAsArray: true,
        });
        assert.deepEqual(
          rows,
          [
            [1, 1],
            [2, 2],
            [3, 3],
            [4, 4],
            [5, 5],
            [6, 6],
            [21, 21],
          ],
          `table ${table}`,
        );
      }
    } finally {
      await check.end();
    }
  });
});
