/**
 * A COMMIT over two leaves, one of which was killed with SIGKILL: its prepare fails at once,
 * and the aggregator rolls the transaction back on the other leaf while that leaf may still be
 * preparing it. The rollback must win: no prepare record is left without its outcome, since
 * each one would come back in doubt at the leaf's next start, holding its partitions' write
 * locks (a second one on the same rowstore partition then waits the lock wait timeout before
 * the leaf even listens).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { parseRecords } from '../../src/storage/prepare-log.js';
import { decodeLogRecord } from '../../src/storage/txn-records.js';
import { ProcessCluster } from '../support/processes.js';

const ATTEMPTS = 3;

function connect(port: number): Promise<Connection> {
  return createConnection({ host: '127.0.0.1', port, user: 'root', database: 'c' });
}

/** The transactions the leaf's prepare log holds without an outcome. */
async function undecided(leafDir: string): Promise<string[]> {
  const open = new Set<string>();
  const { records } = parseRecords(await readFile(join(leafDir, 'txn.log')));
  for (const payload of records) {
    const record = decodeLogRecord(payload);
    if (record.kind === 'prepare' || record.kind === 'decided') open.add(record.txn);
    else open.delete(record.txn);
  }
  return [...open];
}

describe('a COMMIT that a dead leaf fails', () => {
  let home: string;
  let cluster: ProcessCluster | undefined;

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'exo-sql-commit-dead-'));
  });

  after(async () => {
    await cluster?.close();
    await rm(home, { recursive: true, force: true });
  });

  it('leaves nothing in doubt on the leaf that was preparing', async () => {
    const nodes = (cluster = await ProcessCluster.start(home));
    const { aggregator } = nodes;
    const setup = await createConnection({
      host: '127.0.0.1',
      port: aggregator.port,
      user: 'root',
    });
    await setup.query('CREATE DATABASE c PARTITIONS 4');
    await setup.query('CREATE ROWSTORE TABLE c.r (id INT PRIMARY KEY, v INT)');
    await setup.end();
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const db = await connect(aggregator.port);
      db.on('error', () => undefined);
      await db.query('BEGIN');
      const rows = Array.from({ length: 8 }, (_, index) => `(${attempt * 10 + index}, 1)`);
      await db.query(`INSERT INTO r VALUES ${rows.join(', ')}`);
      await nodes.leaves[1]?.kill();
      await assert.rejects(db.query('COMMIT'), 'the COMMIT fails without leaf1');
      db.destroy();
      await nodes.restartLeaf(1);
    }
    assert.deepEqual(await undecided(nodes.leafDir(0)), []);
    await nodes.leaves[0]?.kill();
    await nodes.restartLeaf(0);
    const db = await connect(aggregator.port);
    const [counted] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM r');
    assert.equal(Number(counted[0]?.n), 0, 'no rolled-back row is there');
    await db.query('INSERT INTO r VALUES (100, 1), (101, 1), (102, 1), (103, 1)');
    await db.end();
  });
});
