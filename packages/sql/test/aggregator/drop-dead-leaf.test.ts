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
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { startSqlProcess, type SqlProcess } from '../support/processes.js';

const ROWS = '(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6), (7, 7), (8, 8)';

async function count(db: Connection, table: string): Promise<number> {
  const [rows] = await db.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(rows[0]?.n);
}

describe('a table dropped while a leaf is down', () => {
  let home: string;
  const processes: SqlProcess[] = [];

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'exo-sql-drop-dead-'));
  });

  after(async () => {
    for (const process of processes) await process.kill();
    await rm(home, { recursive: true, force: true });
  });

  it('leaves no rows to a table created again under its name', async () => {
    const leaf0 = await startSqlProcess(['leaf', join(home, 'leaf0')]);
    let leaf1 = await startSqlProcess(['leaf', join(home, 'leaf1')]);
    processes.push(leaf0, leaf1);
    const aggregator = await startSqlProcess([
      'aggregator',
      join(home, 'aggregator'),
      '0',
      String(leaf0.port),
      String(leaf1.port),
    ]);
    processes.push(aggregator);
    const db = await createConnection({ host: '127.0.0.1', port: aggregator.port, user: 'root' });
    const restartLeaf1 = async (): Promise<void> => {
      leaf1 = await startSqlProcess(['leaf', join(home, 'leaf1'), String(leaf1.port)]);
      processes.push(leaf1);
    };
    const create = async (): Promise<void> => {
      await db.query('CREATE TABLE d.c (id INT PRIMARY KEY, v INT)');
      await db.query('CREATE ROWSTORE TABLE d.r (id INT PRIMARY KEY, v INT)');
    };
    await db.query('CREATE DATABASE d PARTITIONS 4');
    await create();
    for (const table of ['d.c', 'd.r']) {
      await db.query(`INSERT INTO ${table} VALUES ${ROWS}`);
      await leaf1.kill();
      await assert.rejects(db.query(`DROP TABLE ${table}`), 'leaf1 cannot drop its partitions');
      await restartLeaf1();
    }
    await create();
    assert.deepEqual([await count(db, 'd.c'), await count(db, 'd.r')], [0, 0], 'after DROP TABLE');

    await db.query(`INSERT INTO d.c VALUES ${ROWS}`);
    await db.query(`INSERT INTO d.r VALUES ${ROWS}`);
    await leaf1.kill();
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
