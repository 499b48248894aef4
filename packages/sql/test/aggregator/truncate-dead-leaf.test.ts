/**
 * TRUNCATE TABLE while a leaf is killed with SIGKILL: the statement fails, and no partition
 * is emptied, the live leaf's included; after the restart it empties every partition.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { ProcessCluster } from '../support/processes.js';

const ROWS = '(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6), (7, 7), (8, 8)';

async function counts(db: Connection): Promise<number[]> {
  const found: number[] = [];
  for (const table of ['c', 'r']) {
    const [rows] = await db.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table}`);
    found.push(Number(rows[0]?.n));
  }
  return found;
}

describe('TRUNCATE TABLE while a leaf is down', () => {
  let home: string;
  let cluster: ProcessCluster | undefined;

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'exo-sql-truncate-dead-'));
  });

  after(async () => {
    await cluster?.close();
    await rm(home, { recursive: true, force: true });
  });

  it('empties every partition or none', async () => {
    const nodes = (cluster = await ProcessCluster.start(home));
    const db = await nodes.connect();
    await db.query('CREATE DATABASE t PARTITIONS 4');
    await db.query('USE t');
    await db.query('CREATE TABLE c (id INT PRIMARY KEY, v INT)');
    await db.query('CREATE ROWSTORE TABLE r (id INT PRIMARY KEY, v INT)');
    await db.query(`INSERT INTO c VALUES ${ROWS}`);
    await db.query(`INSERT INTO r VALUES ${ROWS}`);
    await nodes.leaves[1]?.kill();
    for (const table of ['c', 'r'])
      await assert.rejects(
        db.query(`TRUNCATE TABLE ${table}`),
        'leaf1 cannot empty its partitions',
      );
    await nodes.restartLeaf(1);
    assert.deepEqual(await counts(db), [8, 8], 'a failed TRUNCATE empties nothing');
    await db.query('TRUNCATE TABLE c');
    await db.query('TRUNCATE TABLE r');
    assert.deepEqual(await counts(db), [0, 0]);
    await db.end();
  });
});
