/**
 * ALTER TABLE while a leaf is killed with SIGKILL: the statement fails and no partition takes
 * it, the live leaf's included (it used to be applied there, and every later try failed with
 * "Duplicate column name" on the live leaf while the catalog never changed); after the restart
 * the same statement applies everywhere. Both storages, several actions in one statement.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { ProcessCluster } from '../support/processes.js';

const ROWS = '(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6), (7, 7), (8, 8)';
const ALTER = 'ADD COLUMN w INT DEFAULT 9, RENAME COLUMN v TO v2';

async function rowsOf(db: Connection, sql: string): Promise<unknown[][]> {
  const [rows] = await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true });
  return rows;
}

describe('ALTER TABLE while a leaf is down', () => {
  let home: string;
  let cluster: ProcessCluster | undefined;

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'exo-sql-alter-dead-'));
  });

  after(async () => {
    await cluster?.close();
    await rm(home, { recursive: true, force: true });
  });

  it('applies to every partition or none', async () => {
    const nodes = (cluster = await ProcessCluster.start(home));
    const db = await nodes.connect();
    await db.query('CREATE DATABASE a PARTITIONS 4');
    await db.query('USE a');
    await db.query('CREATE TABLE c (id INT PRIMARY KEY, v INT, KEY (v))');
    await db.query('CREATE ROWSTORE TABLE r (id INT PRIMARY KEY, v INT, KEY (v))');
    await db.query(`INSERT INTO c VALUES ${ROWS}`);
    await db.query(`INSERT INTO r VALUES ${ROWS}`);
    await nodes.leaves[1]?.kill();
    for (const table of ['c', 'r'])
      await assert.rejects(
        db.query(`ALTER TABLE ${table} ${ALTER}`),
        'leaf1 cannot change its partitions',
      );
    await nodes.restartLeaf(1);
    for (const table of ['c', 'r']) {
      // Nothing changed anywhere: the old column reads on every partition.
      assert.deepEqual(await rowsOf(db, `SELECT SUM(v) FROM ${table}`), [['36']]);
      await db.query(`ALTER TABLE ${table} ${ALTER}`);
      assert.deepEqual(await rowsOf(db, `SELECT COUNT(*), SUM(v2), SUM(w) FROM ${table}`), [
        [8, '36', '72'],
      ]);
      assert.deepEqual(await rowsOf(db, `SELECT id FROM ${table} WHERE v2 = 5`), [[5]]);
    }
    await db.end();
  });
});
