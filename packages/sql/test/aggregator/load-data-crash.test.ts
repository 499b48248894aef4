/**
 * LOAD DATA's fast path under kill -9, with real processes: the aggregator dies inside the
 * load's two-phase commit, before or after its decision is durable, and both leaves are killed
 * too, so their prepared loads must come back from the chunk files alone. After restarts the
 * load is all there or not at all, and no chunk file is left behind.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { startSqlProcess, type SqlProcess } from '../support/processes.js';

const ROWS = 5000;

function connect(port: number, file?: Buffer): Promise<Connection> {
  return createConnection({
    host: '127.0.0.1',
    port,
    user: 'root',
    ...(file !== undefined ? { infileStreamFactory: () => Readable.from([file]) } : {}),
  });
}

async function loadFiles(directory: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.csv')) found.push(entry.name);
  }
  return found;
}

describe('LOAD DATA crash recovery', () => {
  let home: string;
  const processes: SqlProcess[] = [];

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'exo-sql-load-crash-'));
  });

  after(async () => {
    for (const process of processes) await process.kill();
    await rm(home, { recursive: true, force: true });
  });

  async function scenario(name: string, failpoint: string): Promise<number> {
    const leafDirs = [join(home, name, 'leaf0'), join(home, name, 'leaf1')];
    const leaves: SqlProcess[] = [];
    for (const dir of leafDirs) leaves.push(await startSqlProcess(['leaf', dir]));
    processes.push(...leaves);
    const aggregatorHome = join(home, name, 'aggregator');
    const leafPorts = leaves.map((leaf) => String(leaf.port));
    const first = await startSqlProcess(['aggregator', aggregatorHome, '0', ...leafPorts], {
      EXO_SQL_FAILPOINT: failpoint,
    });
    processes.push(first);
    const lines = Array.from({ length: ROWS }, (_, index) => `${index}\tv${index}\n`).join('');
    const db = await connect(first.port, Buffer.from(lines));
    await db.query('CREATE DATABASE crash PARTITIONS 4');
    await db.query('CREATE TABLE crash.t (id INT PRIMARY KEY, v VARCHAR(10))');
    await assert.rejects(
      db.query("LOAD DATA LOCAL INFILE 'rows.tsv' INTO TABLE crash.t"),
      'the aggregator dies while committing the load',
    );
    db.destroy();
    await first.kill();
    const files = (await Promise.all(leafDirs.map(loadFiles))).flat();
    assert.ok(files.length >= 2, 'the prepared load is held in chunk files on both leaves');
    // The leaves die too: their prepared loads live only in the prepare log and the chunk files.
    for (const [index, leaf] of leaves.entries()) {
      await leaf.kill();
      leaves[index] = await startSqlProcess([
        'leaf',
        leafDirs[index] as string,
        leafPorts[index] as string,
      ]);
      processes.push(leaves[index]);
    }
    const second = await startSqlProcess(['aggregator', aggregatorHome, '0', ...leafPorts]);
    processes.push(second);
    const check = await connect(second.port);
    try {
      const [rows] = await check.query<RowDataPacket[]>(
        'SELECT COUNT(*) AS n, COUNT(DISTINCT v) AS d FROM crash.t',
      );
      const [row] = rows;
      assert.equal(Number(row?.n), Number(row?.d));
      // The restarted aggregator resolved the in-doubt load: its chunk files are gone.
      for (const dir of leafDirs) assert.deepEqual(await loadFiles(dir), [], dir);
      return Number(row?.n);
    } finally {
      await check.end();
    }
  }

  it('rolls back a load whose commit decision was not yet durable', async () => {
    assert.equal(await scenario('before', 'before-decision'), 0);
  });

  it('completes a load whose commit decision was durable', async () => {
    assert.equal(await scenario('after', 'after-decision'), ROWS);
  });
});
