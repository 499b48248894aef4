/**
 * KILL QUERY / KILL CONNECTION and statement time limits against real leaf processes, through
 * mysql2: a long DuckDB query on a leaf, a merge-engine query on the aggregator and a rowstore
 * lock wait are each interrupted long before they would end, and the connection is reused.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { startAggregator, type RunningAggregator } from '../../src/index.js';
import { startSqlProcess, type SqlProcess } from '../support/processes.js';
import { waitRunning } from '../support/processlist.js';

/** A cross join of three copies of 4,000 rows: 6.4e10 combinations, minutes of DuckDB work. */
const LONG_LEAF_QUERY = 'SELECT COUNT(*) AS n FROM r a, r b, r c WHERE a.x + b.x + c.x = -1';
/** Sharded tables joined off their shard key: gathered and joined on the merge engine. */
const LONG_MERGE_QUERY = 'SELECT COUNT(*) AS n FROM s a, s b, s c WHERE a.v + b.v + c.v = -1';
/** Far longer than any of these statements takes once interrupted. */
const ENDS_WITHIN_MS = 15_000;

interface Failure {
  readonly errno?: number;
  readonly code?: string;
  readonly sqlState?: string;
}

async function failureOf(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (error) {
    return error as Failure;
  }
  assert.fail('the statement succeeded');
}

async function connectionId(db: Connection): Promise<number> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
  return Number(rows[0]?.id);
}

describe('KILL and statement time limits', () => {
  let home: string;
  const leaves: SqlProcess[] = [];
  let aggregator: RunningAggregator;
  let admin: Connection;
  const connect = (): Promise<Connection> =>
    createConnection({ host: '127.0.0.1', port: aggregator.port, user: 'root', database: 'k' });

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'exo-sql-kill-'));
    for (const name of ['leaf0', 'leaf1'])
      leaves.push(await startSqlProcess(['leaf', join(home, name)]));
    aggregator = await startAggregator({
      home: join(home, 'aggregator'),
      port: 0,
      singleNode: true,
      leaves: leaves.map((leaf) => ({ host: '127.0.0.1', port: leaf.port })),
    });
    const setup = await createConnection({
      host: '127.0.0.1',
      port: aggregator.port,
      user: 'root',
    });
    await setup.query('CREATE DATABASE k PARTITIONS 4');
    await setup.end();
    admin = await connect();
    await admin.query('CREATE REFERENCE TABLE r (x INT PRIMARY KEY)');
    await admin.query('CREATE TABLE s (id INT PRIMARY KEY, v INT)');
    await admin.query('CREATE TABLE w (id INT PRIMARY KEY, v INT)');
    await admin.query('CREATE ROWSTORE TABLE locked (id INT PRIMARY KEY, v INT)');
    const values = Array.from({ length: 4000 }, (_, index) => `(${index})`).join(',');
    await admin.query(`INSERT INTO r VALUES ${values}`);
    const pairs = Array.from({ length: 3000 }, (_, index) => `(${index}, ${index})`).join(',');
    await admin.query(`INSERT INTO s VALUES ${pairs}`);
    await admin.query('INSERT INTO locked VALUES (1, 1), (2, 2)');
  });

  after(async () => {
    await admin?.end().catch(() => undefined);
    await aggregator?.close();
    for (const leaf of leaves) await leaf.kill();
    await rm(home, { recursive: true, force: true });
  });

  it('KILL QUERY stops a long DuckDB query on a leaf; the connection stays usable', async () => {
    const victim = await connect();
    try {
      const id = await connectionId(victim);
      const started = Date.now();
      const running = failureOf(victim.query(LONG_LEAF_QUERY));
      await waitRunning(admin, id);
      await admin.query(`KILL QUERY ${id}`);
      const failure = await running;
      assert.equal(failure.errno, 1317);
      assert.equal(failure.sqlState, '70100');
      assert.ok(Date.now() - started < ENDS_WITHIN_MS);
      const [rows] = await victim.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM r');
      assert.equal(Number(rows[0]?.n), 4000);
    } finally {
      await victim.end();
    }
  });

  it('KILL QUERY stops a merge-engine query; the explicit transaction goes on', async () => {
    const victim = await connect();
    try {
      const id = await connectionId(victim);
      await victim.query('BEGIN');
      await victim.query('INSERT INTO w VALUES (1, 1), (2, 2), (3, 3)');
      const running = failureOf(victim.query(LONG_MERGE_QUERY));
      await waitRunning(admin, id);
      await admin.query(`KILL QUERY ${id}`);
      assert.equal((await running).errno, 1317);
      // As in MariaDB, only the statement ends: the transaction keeps its insert and goes on.
      await victim.query('INSERT INTO w VALUES (4, 4)');
      await victim.query('COMMIT');
      const [rows] = await admin.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM w');
      assert.equal(Number(rows[0]?.n), 4);
    } finally {
      await victim.end();
      await admin.query('DELETE FROM w');
    }
  });

  it('KILL QUERY interrupts a write whole: nothing of it is applied', async () => {
    const victim = await connect();
    try {
      const id = await connectionId(victim);
      const running = failureOf(
        victim.query(
          'INSERT INTO w SELECT a.x, b.x FROM r a, r b, r c WHERE a.x + b.x + c.x <> -1 AND c.x >= 0 AND a.x * 4000 + b.x >= 0',
        ),
      );
      await waitRunning(admin, id);
      await admin.query(`KILL QUERY ${id}`);
      assert.equal((await running).errno, 1317);
      const [rows] = await admin.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM w');
      assert.equal(Number(rows[0]?.n), 0);
    } finally {
      await victim.end();
    }
  });

  it('KILL QUERY ends a rowstore lock wait', async () => {
    const holder = await connect();
    const victim = await connect();
    try {
      await holder.query('BEGIN');
      await holder.query('UPDATE locked SET v = 10 WHERE id = 1');
      const id = await connectionId(victim);
      const running = failureOf(victim.query('UPDATE locked SET v = 20 WHERE id = 1'));
      await waitRunning(admin, id);
      await admin.query(`KILL QUERY ${id}`);
      assert.equal((await running).errno, 1317);
      await holder.query('COMMIT');
      await victim.query('UPDATE locked SET v = 30 WHERE id = 2');
      const [rows] = await admin.query<RowDataPacket[]>('SELECT v FROM locked ORDER BY id');
      assert.deepEqual(
        rows.map((row) => Number(row['v'])),
        [10, 30],
      );
    } finally {
      await holder.end();
      await victim.end();
    }
  });

  it('KILL CONNECTION closes a running connection and rolls back its transaction', async () => {
    const victim = await connect();
    victim.on('error', () => undefined);
    const id = await connectionId(victim);
    await victim.query('BEGIN');
    await victim.query('INSERT INTO w VALUES (100, 1)');
    const running = failureOf(victim.query(LONG_LEAF_QUERY));
    await waitRunning(admin, id);
    await admin.query(`KILL CONNECTION ${id}`);
    const failure = await running;
    // MariaDB closes another killed connection without sending anything.
    assert.equal(failure.code, 'PROTOCOL_CONNECTION_LOST');
    for (let attempt = 0; attempt < 500; attempt += 1) {
      const [rows] = await admin.query<RowDataPacket[]>('SHOW PROCESSLIST');
      if (!rows.some((row) => Number(row['Id']) === id)) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const [rows] = await admin.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM w WHERE id = 100');
    assert.equal(Number(rows[0]?.n), 0);
  });

  it('KILL of its own connection answers 1927, then the connection closes', async () => {
    const victim = await connect();
    const closed = new Promise<void>((resolve) => victim.on('error', () => resolve()));
    const id = await connectionId(victim);
    const failure = await failureOf(victim.query(`KILL ${id}`));
    assert.equal(failure.errno, 1927);
    assert.equal(failure.sqlState, '70100');
    await closed;
  });

  it('KILL QUERY of its own statement answers 1317 and the connection stays', async () => {
    const victim = await connect();
    try {
      const id = await connectionId(victim);
      assert.equal((await failureOf(victim.query(`KILL QUERY ${id}`))).errno, 1317);
      await victim.query('SELECT 1');
      assert.equal((await failureOf(victim.query('KILL QUERY 999999'))).errno, 1094);
    } finally {
      await victim.end();
    }
  });

  it('max_statement_time (1969) and max_execution_time (3024) interrupt', async () => {
    const victim = await connect();
    try {
      await victim.query('SET max_statement_time = 0.3');
      const failure = await failureOf(victim.query(LONG_LEAF_QUERY));
      assert.equal(failure.errno, 1969);
      assert.equal(failure.sqlState, '70100');
      await victim.query('SET max_statement_time = 0');
      await victim.query('SET max_execution_time = 300');
      assert.equal((await failureOf(victim.query(LONG_MERGE_QUERY))).errno, 3024);
      await victim.query('SET SESSION max_execution_time = 0');
      const [rows] = await victim.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM s');
      assert.equal(Number(rows[0]?.n), 3000);
      assert.equal((await failureOf(victim.query("SET max_statement_time = 'x'"))).errno, 1232);
    } finally {
      await victim.end();
    }
  });
});
