/**
 * DROP TABLE and DROP DATABASE while a leaf is killed with SIGKILL: the catalog forgets the
 * table first, so the dead leaf keeps its engine tables, rows included. A table created later
 * under the same name starts empty on every partition, the restarted leaf's included.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { ProcessCluster } from '../support/processes.js';

const ROWS = '(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6), (7, 7), (8, 8)';

async function count(db: Connection, table: string): Promise<number> {
  const [rows] = await db.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(rows[0]?.n);
}

describe('a table dropped while a leaf is down', () => {
  let home: string;
  let cluster: ProcessCluster | undefined;

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'exo-sql-drop-dead-'));
  });

  after(async () => {
    await cluster?.close();
    await rm(home, { recursive: true, force: true });
  });

  it('leaves no rows to a table created again under its name', async () => {
    const nodes = (cluster = await ProcessCluster.start(home));
    const db = await nodes.connect();
    const killLeaf1 = async (): Promise<void> => {
      await nodes.leaves[1]?.kill();
    };
    const restartLeaf1 = async (): Promise<void> => {
      await nodes.restartLeaf(1);
    };
    const create = async (): Promise<void> => {
      await db.query('CREATE TABLE d.c (id INT PRIMARY KEY, v INT)');
      await db.query('CREATE ROWSTORE TABLE d.r (id INT PRIMARY KEY, v INT)');
    };
    await db.query('CREATE DATABASE d PARTITIONS 4');
    await create();
    for (const table of ['d.c', 'd.r']) {
      await db.query(`INSERT INTO ${table} VALUES ${ROWS}`);
      await killLeaf1();
      await assert.rejects(db.query(`DROP TABLE ${table}`), 'leaf1 cannot drop its partitions');
      await restartLeaf1();
    }
    await create();
    assert.deepEqual([await count(db, 'd.c'), await count(db, 'd.r')], [0, 0], 'after DROP TABLE');

    await db.query(`INSERT INTO d.c VALUES ${ROWS}`);
    await db.query(`INSERT INTO d.r VALUES ${ROWS}`);
    await killLeaf1();
    await assert.rejects(db.query('DROP DATABASE d'), 'leaf1 cannot drop its partitions');
    await restartLeaf1();
    await db.query('CREATE DATABASE d PARTITIONS 4');
    await create();
    assert.deepEqual(
      [await count(db, 'd.c'), await count(db, 'd.r')],
      [0, 0],
      'after DROP DATABASE',
    );
    await db.query(`INSERT INTO d.c VALUES ${ROWS}`);
    await db.query(`INSERT INTO d.r VALUES ${ROWS}`);
    await db.end();
  });
});
