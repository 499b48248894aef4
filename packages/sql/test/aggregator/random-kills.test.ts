/**
 * Leaves and the aggregator killed with SIGKILL at random moments while clients write
 * (multi-row autocommit INSERTs across partitions and explicit transactions, rowstore and
 * columnstore; single-row upserts of counters, which the aggregator commits to the rowstore
 * partition files itself: aggregator/local-writes.ts), each restarted on its port. Afterwards:
 * every acknowledged statement is there whole, every failed one is there whole or not at all,
 * each counter counts every acknowledged upsert and at most the failed ones besides, and no
 * writer is left waiting.
 * The kill times are random, so each run tries other moments; what is asserted must hold for
 * every one of them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { startSqlProcess, type SqlProcess } from '../support/processes.js';

const ROUNDS = 8;
const WRITERS = 3;
const WRITERS_STOP_MS = 20_000;
/** Counters the upserts add to, per table (few, so they meet stored rows). */
const COUNTERS = 8;

interface Statement {
  readonly ids: number[];
  readonly table: 'c' | 'r';
  readonly explicit: boolean;
  acknowledged: boolean;
}

/** Upserts of one counter: acknowledged ones, and failed ones (which may have committed). */
interface Counter {
  acknowledged: number;
  failed: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('random kills under writers', () => {
  let home: string;
  const running = new Map<string, SqlProcess>();

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'exo-sql-kills-'));
  });

  after(async () => {
    for (const process of running.values()) await process.kill();
    await rm(home, { recursive: true, force: true });
  });

  it('loses no acknowledged write and applies no statement in part', async () => {
    const ports = new Map<string, number>();
    const args = (name: string): string[] =>
      name === 'aggregator'
        ? [
            'aggregator',
            join(home, name),
            String(ports.get(name) ?? 0),
            String(ports.get('leaf0')),
            String(ports.get('leaf1')),
          ]
        : ['leaf', join(home, name), String(ports.get(name) ?? 0)];
    const start = async (name: string): Promise<void> => {
      const process = await startSqlProcess(args(name));
      ports.set(name, process.port);
      running.set(name, process);
    };
    await start('leaf0');
    await start('leaf1');
    await start('aggregator');
    const connect = (database?: string): Promise<Connection> =>
      createConnection({
        host: '127.0.0.1',
        port: ports.get('aggregator') ?? 0,
        user: 'root',
        ...(database !== undefined ? { database } : {}),
      });
    const setup = await connect();
    await setup.query('CREATE DATABASE k PARTITIONS 4');
    await setup.query('CREATE TABLE k.c (id BIGINT PRIMARY KEY, n INT)');
    await setup.query('CREATE ROWSTORE TABLE k.r (id BIGINT PRIMARY KEY, n INT)');
    await setup.query('CREATE ROWSTORE TABLE k.ur (id INT PRIMARY KEY, n INT NOT NULL)');
    await setup.query('CREATE TABLE k.uc (id INT PRIMARY KEY, n INT NOT NULL)');
    await setup.end();

    const statements: Statement[] = [];
    const counters = new Map<string, Counter>();
    const upsert = async (db: Connection): Promise<void> => {
      const table = Math.random() < 0.7 ? 'ur' : 'uc';
      const id = Math.floor(Math.random() * COUNTERS);
      const key = `${table}:${id}`;
      const counter = counters.get(key) ?? { acknowledged: 0, failed: 0 };
      counters.set(key, counter);
      try {
        await db.execute(`INSERT INTO ${table} VALUES (?, 1) ON DUPLICATE KEY UPDATE n = n + 1`, [
          id,
        ]);
        counter.acknowledged += 1;
      } catch (error) {
        counter.failed += 1;
        throw error;
      }
    };
    let nextId = 1;
    let stopping = false;
    const reconnect = async (): Promise<Connection> => {
      for (;;) {
        try {
          return await connect('k');
        } catch {
          await sleep(50);
        }
      }
    };
    const writer = async (): Promise<void> => {
      let db = await reconnect();
      while (!stopping) {
        if (Math.random() < 0.4) {
          try {
            await upsert(db);
          } catch {
            db.destroy();
            db = await reconnect();
          }
          continue;
        }
        const ids = Array.from({ length: 1 + Math.floor(Math.random() * 6) }, () => nextId++);
        const statement: Statement = {
          ids,
          table: Math.random() < 0.5 ? 'c' : 'r',
          explicit: Math.random() < 0.3,
          acknowledged: false,
        };
        statements.push(statement);
        const insert = `INSERT INTO ${statement.table} VALUES ${ids.map((id) => `(${id}, 0)`).join(', ')}`;
        try {
          if (statement.explicit) {
            await db.query('BEGIN');
            await db.query(insert);
            await db.query(`UPDATE ${statement.table} SET n = 1 WHERE id = ${ids[0]}`);
            await db.query('COMMIT');
          } else {
            await db.query(insert);
          }
          statement.acknowledged = true;
        } catch {
          db.destroy();
          db = await reconnect();
        }
      }
      await db.end();
    };
    const writers = Array.from({ length: WRITERS }, writer);
    for (let round = 0; round < ROUNDS; round += 1) {
      await sleep(400 + Math.random() * 1200);
      const victim = ['aggregator', 'leaf0', 'leaf1'][Math.floor(Math.random() * 3)] ?? 'leaf0';
      await running.get(victim)?.kill();
      await sleep(100 + Math.random() * 500);
      await start(victim);
    }
    stopping = true;
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      Promise.all(writers).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), WRITERS_STOP_MS);
      }),
    ]);
    clearTimeout(timer);
    assert.ok(stopped, `every writer finishes its statement within ${WRITERS_STOP_MS} ms`);

    const db = await reconnect();
    const present = new Map<string, Map<number, number>>();
    for (const table of ['c', 'r', 'ur', 'uc']) {
      const [rows] = await db.query<RowDataPacket[]>(`SELECT id, n FROM ${table}`);
      present.set(table, new Map(rows.map((row) => [Number(row.id), Number(row.n)])));
    }
    await db.end();
    const broken: string[] = [];
    for (const statement of statements) {
      const rows = present.get(statement.table) ?? new Map<number, number>();
      const found = statement.ids.filter((id) => rows.has(id)).length;
      const describe = `${statement.explicit ? 'transaction' : 'statement'} ${statement.table}[${statement.ids.join(',')}]`;
      if (statement.acknowledged && found !== statement.ids.length)
        broken.push(`acknowledged ${describe}: ${found} rows of ${statement.ids.length}`);
      if (statement.acknowledged && statement.explicit && rows.get(statement.ids[0] ?? 0) !== 1)
        broken.push(`acknowledged ${describe}: its UPDATE is missing`);
      if (!statement.acknowledged && found !== 0 && found !== statement.ids.length)
        broken.push(`failed ${describe}: ${found} rows of ${statement.ids.length}`);
    }
    for (const [key, counter] of counters) {
      const [table = '', id = ''] = key.split(':');
      const stored = present.get(table)?.get(Number(id)) ?? 0;
      if (stored < counter.acknowledged || stored > counter.acknowledged + counter.failed)
        broken.push(
          `counter ${key}: ${stored} stored, ${counter.acknowledged} upserts acknowledged, ${counter.failed} failed`,
        );
    }
    assert.deepEqual(broken, []);
    assert.ok(
      statements.filter((statement) => statement.acknowledged).length > ROUNDS,
      'writes went through between the kills',
    );
  });
});
